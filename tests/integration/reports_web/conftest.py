"""Report downloads on the demo world: seeded once per session, copied into each test's data dir (so each test
starts with an empty report cache), served by the usual app fixtures of tests/integration/conftest.py."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from servicescore.db.lifecycle import database
from servicescore.definitions import load_instruments
from servicescore.demo.seed import seed_demo
from servicescore.settings import Settings
from servicescore.snapshot import refresh_snapshot


def _settings(folder: Path) -> Settings:
    return Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'servicescore.sqlite3'}")


async def _seed(settings: Settings) -> None:
    instruments = {i.id: i for i in load_instruments(settings.surveys_dir)}
    async with database(settings) as engine:
        await seed_demo(engine, instruments)


@pytest.fixture(scope="session")
def seeded_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir holding the demo world and its built snapshot."""
    folder = tmp_path_factory.mktemp("reports-web") / "data"
    settings = _settings(folder)
    asyncio.run(_seed(settings))
    refresh_snapshot(settings)
    return folder


@pytest.fixture
def settings(tmp_path: Path, seeded_demo: Path, isolated_environment: None) -> Settings:
    shutil.copytree(seeded_demo, tmp_path / "data")
    return _settings(tmp_path / "data")


@pytest.fixture(scope="session")
def poppler(requires: Callable[..., None]) -> None:
    requires("poppler-utils (pdftotext, pdfinfo)", available=shutil.which("pdftotext") is not None)
