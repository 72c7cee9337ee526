"""Report downloads on the demo world: seeded once per session, copied into each test's data dir (so each test
starts with an empty report cache), served by the usual app fixtures of tests/integration/conftest.py."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from servicescore.cli import cli
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


def pdf_pages(pdf: bytes) -> int:
    out = subprocess.run(["pdfinfo", "-"], input=pdf, check=True, capture_output=True).stdout.decode()
    return int(next(line.split()[1] for line in out.splitlines() if line.startswith("Pages:")))


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with runs of white space as one space."""
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, check=True, capture_output=True).stdout.decode()
    return " ".join(out.split())


async def invoke(*args: str) -> Result:
    """A `servicescore` command beside the running app (commands run their own event loop, so in a thread)."""
    return await asyncio.to_thread(CliRunner().invoke, cli, list(args), catch_exceptions=False)
