"""Report fixtures: the demo world as report data, one kept-running renderer, PDF text and page images."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from servicescore.definitions import load_instruments
from servicescore.reporting.data import ReportData, from_demo
from servicescore.reporting.render import Renderer
from servicescore.settings import Settings

TODAY = date(2026, 10, 15)


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


def pdf_text(pdf: Path, page: int | None = None) -> str:
    """The PDF's text in reading order (one page when ``page`` is given)."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", *pages, str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def pdf_info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines() if ":" in line)}


def pdf_fonts(pdf: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    return [line.split() for line in out.splitlines()[2:]]


def inflated(pdf: Path) -> bytes:
    """Every stream of the PDF decompressed, joined: where the catalogue's /Lang and the tags live."""
    data = pdf.read_bytes()
    parts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def page_images(pdf: Path, folder: Path, prefix: str) -> list[Path]:
    """Every page as a PNG in ``folder`` (kept after the run)."""
    for old in folder.glob(f"{prefix}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(folder / prefix)], check=True)
    return sorted(folder.glob(f"{prefix}-*.png"))
