"""Report fixtures: the demo world as report data and one kept-running renderer (PDFs read back: tests.support)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from servicescore.definitions import load_instruments
from servicescore.demo.report_data import from_demo
from servicescore.reporting.data import ReportData
from servicescore.reporting.render import Renderer
from servicescore.settings import Settings


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def poppler(requires: Callable[..., None]) -> None:
    requires("poppler-utils (pdftotext, pdftoppm, pdfinfo)", available=shutil.which("pdftotext") is not None)


@pytest.fixture(scope="session")
def demo_data(settings: Settings) -> ReportData:
    return from_demo({i.id: i for i in load_instruments(settings.surveys_dir)})


@pytest.fixture(scope="session")
def renderer(settings: Settings) -> Renderer:
    return Renderer(settings.templates_dir, settings.reports_dir / "brands", settings.attachments_dir)


@pytest.fixture(scope="session")
def artefacts(settings: Settings) -> Path:
    """Where page images are kept after the run: ``$SERVICESCORE_DATA_DIR/artifacts/reports`` (the default data dir
    ``./servicescore-data`` when unset, as in .ci/run, where CI collects them from the checkout)."""
    folder = settings.data_dir / "artifacts" / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
