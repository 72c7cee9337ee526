"""Report downloads on the demo world: seeded once per session, copied into each test's data dir (so each test
starts with an empty report cache), served by the usual app fixtures of tests/integration/conftest.py."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from servicescore.settings import Settings
from servicescore.snapshot import refresh_snapshot
from tests.support.demo_world import copy_demo_world


def _settings(folder: Path) -> Settings:
    return Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'servicescore.sqlite3'}")


@pytest.fixture(scope="session")
def seeded_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir holding the demo world and its built snapshot."""
    folder = copy_demo_world(tmp_path_factory, tmp_path_factory.mktemp("reports-web") / "data")
    settings = _settings(folder)
    refresh_snapshot(settings)
    return folder


@pytest.fixture
def settings(tmp_path: Path, seeded_demo: Path, isolated_environment: None) -> Settings:
    shutil.copytree(seeded_demo, tmp_path / "data")
    return _settings(tmp_path / "data")


@pytest.fixture(scope="session")
def poppler(requires: Callable[..., None]) -> None:
    requires("poppler-utils (pdftotext, pdfinfo)", available=shutil.which("pdftotext") is not None)
