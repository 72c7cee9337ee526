"""Storage by URL against a real S3 endpoint: moto's server, started once per session (skipped locally without
``moto[server]``, failed in CI), a new bucket per test, and the demo world seeded once into a database that each
test copies."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from servicescore.db.lifecycle import database
from servicescore.definitions import load_instruments
from servicescore.demo.seed import seed_demo
from servicescore.settings import Settings
from tests.support.object_store import aws_environment, moto_server, new_bucket


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory, requires: Callable[..., None]) -> Iterator[str]:
    requires("moto_server")
    with moto_server(tmp_path_factory.mktemp("moto")) as endpoint:
        yield endpoint


@pytest.fixture
def storage_url(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """``s3://<a new bucket>/servicescore``, with the AWS variables of the endpoint set for this test."""
    for name, value in aws_environment(s3_endpoint).items():
        monkeypatch.setenv(name, value)
    return f"s3://{new_bucket(s3_endpoint)}/servicescore"


async def _seed(settings: Settings) -> None:
    instruments = {i.id: i for i in load_instruments(settings.surveys_dir)}
    async with database(settings) as engine:
        await seed_demo(engine, instruments)


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo world in an SQLite file (no snapshot: a test builds it where its storage is)."""
    folder = tmp_path_factory.mktemp("storage-demo")
    asyncio.run(_seed(Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'servicescore.sqlite3'}")))
    with sqlite3.connect(folder / "servicescore.sqlite3") as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the one file that is copied
    return folder / "servicescore.sqlite3"


@pytest.fixture
def database_url(tmp_path: Path, demo_database: Path) -> str:
    """A copy of the demo database for this test, apart from every app's data dir."""
    (tmp_path / "db").mkdir()
    shutil.copyfile(demo_database, tmp_path / "db" / "servicescore.sqlite3")
    return f"sqlite:///{tmp_path / 'db' / 'servicescore.sqlite3'}"
