"""Browser tests: a real ServiceScore server and Debian's Chromium driven by Playwright.

The browser is never downloaded: without /usr/bin/chromium these tests skip locally and fail in CI (``CI=true``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.support.live_server import PHONE, Server, running_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("e2e-data")) as live:
        yield live


@pytest.fixture(scope="session")
def playwright(requires: Callable[..., None]) -> Iterator[Playwright]:
    requires(f"Chromium at {CHROMIUM} (apt install chromium)", available=CHROMIUM.is_file())
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    yield chromium
    chromium.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A phone-sized browser profile of its own (no cookies from other tests)."""
    profile = browser.new_context(viewport=PHONE, locale="sv-SE", device_scale_factor=2)
    yield profile
    profile.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
