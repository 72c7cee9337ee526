"""The shopper's phone in the browser: logging in, waiting for the page script, choosing an option, waiting for
the outbox to deliver."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Page, expect

from tests.support.live_server import PASSWORD, Server


def log_in(page: Page, server: Server, username: str) -> None:
    page.goto(server.url("/login"))
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()


def script_ready(page: Page) -> None:
    """Wait until the page script has taken over the forms (a tap before that would post to the server)."""
    expect(page.locator("html[data-visit-script='ready']")).to_have_count(1)


def choose(page: Page, item: str, label: str) -> None:
    options = page.locator(f'.item[data-item="{item}"] label.option')
    options.filter(has_text=re.compile(f"^{re.escape(label)}$")).click()


def listed_as_submitted(page: Page, unit: str) -> None:
    """Reload the list until the server shows the visit as submitted: the outbox sends in the background."""
    deadline = time.monotonic() + 30
    submitted = page.locator('section[aria-labelledby="h-submitted"]')
    while time.monotonic() < deadline and not (submitted.count() and unit in submitted.inner_text()):
        page.wait_for_timeout(500)
        page.reload()
    expect(submitted).to_contain_text(unit)
    expect(page.locator("#group-waiting")).to_be_hidden()
