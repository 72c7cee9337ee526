"""What browser tests check on every page: logging in through the form, axe-core's findings, tap target sizes."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.support.live_server import PASSWORD, Server

MIN_TAP_PX = 44

INTERACTIVE = "a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex='-1'])"


def log_in(page: Page, server: Server, username: str = "konsult", password: str = PASSWORD) -> None:
    page.goto(server.url("/login"))
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()


def axe_violations(page: Page) -> list[dict[str, object]]:
    results = Axe().run(page)
    return [
        {"id": violation["id"], "nodes": [node["target"] for node in violation["nodes"]]}
        for violation in results.response["violations"]
    ]


def small_tap_targets(page: Page) -> list[str]:
    small = []
    for element in page.locator(INTERACTIVE).all():
        if not element.is_visible():
            continue
        box = element.bounding_box()
        assert box is not None
        if box["height"] < MIN_TAP_PX or box["width"] < MIN_TAP_PX:
            small.append(f"{element.evaluate('e => e.outerHTML')[:80]} is {box['width']:.0f}×{box['height']:.0f}")
    return small
