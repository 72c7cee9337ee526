"""Downloading report PDFs in Chromium: a consultant the comparison of Zorngården and Carl Larssons gård, a client
viewer Zorngården's own report (peers anonymised). The PDFs are read back as text."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.support.demo_world import copy_demo_world
from tests.support.live_server import PASSWORD, Server, running_server

# One worker runs the module, so its module-wide live server starts once, not once per worker that picks up a test.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("report-download")]

DESKTOP = {"width": 1280, "height": 900}
RENDER_MS = 180_000  # the first render starts the worker process; the machine may be busy


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory, requires: object) -> Iterator[Server]:
    """A server of its own on a copy of the demo world (its consultant `konsult` made by `running_server`) and a
    client viewer of Zorngården."""
    with running_server(copy_demo_world(tmp_path_factory, tmp_path_factory.mktemp("e2e-reports"))) as live:
        client = ["--username", "kund", "--role", "client", "--organisation", "zorngarden", "--name", "Kim Kund"]
        subprocess.run([sys.executable, "-m", "servicescore", "users", "create", *client, "--password-stdin"],
                       input=f"{PASSWORD}\n", text=True, env=live.environment(), check=True, timeout=300,
                       capture_output=True)  # fmt: skip
        yield live


@pytest.fixture
def desktop(browser: Browser) -> Iterator[BrowserContext]:
    profile = browser.new_context(viewport=DESKTOP, locale="sv-SE", accept_downloads=True)
    yield profile
    profile.close()


def _log_in(page: Page, server: Server, username: str) -> None:
    page.goto(server.url("/login"))
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def _text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(out.split())


def test_consultant_downloads_the_comparison(demo_server: Server, desktop: BrowserContext, tmp_path: Path) -> None:
    page = desktop.new_page()
    _log_in(page, demo_server, "konsult")
    page.goto(demo_server.url("/console/reports"))
    form = page.locator("form[action='/console/reports/pdf']")  # the batch form below has a report menu too
    form.get_by_label("Rapport", exact=True).select_option("comparison")
    form.get_by_label("Organisation", exact=True).select_option("zorngarden")
    form.get_by_role("group", name="Jämför med").get_by_label("Carl Larssons gård").check()
    form.get_by_label("Mätperiod").select_option("2026-Q3")
    form.get_by_label("Rapportens språk").select_option("sv")
    with page.expect_download(timeout=RENDER_MS) as download_info:
        form.get_by_role("button", name="Hämta PDF").click()
    download = download_info.value
    assert download.suggested_filename == "comparison-zorngarden-carl-larssons-gard-2026-Q3-sv.pdf"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.read_bytes().startswith(b"%PDF-")
    text = _text(target)
    assert "Zorngården · Carl Larssons gård" in text
    assert "Sida 2 av" in text
    assert "säkerställd skillnad" in text


def test_client_viewer_downloads_their_own_report(demo_server: Server, desktop: BrowserContext, tmp_path: Path) -> None:
    page = desktop.new_page()
    _log_in(page, demo_server, "kund")
    page.goto(demo_server.url("/portal/reports"))
    with page.expect_download(timeout=RENDER_MS) as download_info:
        page.get_by_role("link", name="Servicerapport, 2026-Q3, Svenska (PDF)").click()
    target = tmp_path / "kund.pdf"
    download_info.value.save_as(target)
    text = _text(target)
    assert "Servicerapport" in text
    assert "Zorngården får index" in text
    assert "Jämförelse A" in text
    assert "Carl Larssons gård" not in text  # peers anonymised
    other = page.request.get(demo_server.url("/portal/reports/pdf?report=client&organisation=carl-larssons-gard"))
    assert other.status == 404
