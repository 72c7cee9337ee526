"""Logging in on a phone-sized Chromium: the flow, accessibility (axe-core), tap targets, and no JavaScript."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.browser import axe_violations, log_in, small_tap_targets
from tests.support.live_server import PHONE, Server

pytestmark = pytest.mark.browser


def test_consultant_logs_in_lands_on_the_console_and_logs_out(page: Page, server: Server) -> None:
    log_in(page, server)
    expect(page).to_have_url(server.url("/console"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Konsolen")
    expect(page.get_by_role("heading", level=2).first).to_have_text("Hej Karin Berg!")
    expect(page.get_by_role("navigation", name="Konsolens delar").get_by_role("link")).to_have_count(10)
    page.screenshot(path=server.data_dir / "e2e-console-360.png", full_page=True)

    page.get_by_role("button", name="Logga ut").click()
    expect(page).to_have_url(server.url("/"))
    expect(page.get_by_role("navigation").get_by_role("link", name="Logga in")).to_be_visible()
    page.goto(server.url("/console"))
    expect(page).to_have_url(server.url("/login?next=%2Fconsole"))


def test_wrong_password_shows_the_generic_message(page: Page, server: Server) -> None:
    log_in(page, server, username="shopper", password="not the password")
    expect(page).to_have_url(server.url("/login"))
    expect(page.get_by_role("alert")).to_contain_text("Fel användarnamn eller lösenord")
    expect(page.get_by_label("Användarnamn")).to_have_value("shopper")


@pytest.mark.parametrize(
    ("name", "path"),
    [("login", "/login"), ("login-error", None), ("home", "/"), ("home-en", "/?lang=en"), ("console", "/console")],
)
def test_pages_are_accessible_with_big_enough_tap_targets(
    page: Page, server: Server, name: str, path: str | None
) -> None:
    if name == "login-error":
        log_in(page, server, username="nobody", password="wrong password")
        expect(page.get_by_role("alert")).to_be_visible()
    elif name == "console":
        log_in(page, server, username="konsult")
        expect(page).to_have_url(server.url("/console"))
    else:
        page.goto(server.url(path or "/"))
    page.screenshot(path=server.data_dir / f"e2e-{name}-360.png", full_page=True)
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=1)
    assert small_tap_targets(page) == []
    # Phone first: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_keyboard_focus_is_visible(page: Page, server: Server) -> None:
    page.goto(server.url("/login"))
    page.keyboard.press("Tab")  # the skip link comes first and shows itself
    skip = page.get_by_role("link", name="Hoppa till innehållet")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["y"] >= 0
    page.get_by_label("Användarnamn").focus()
    outline = page.get_by_label("Användarnamn").evaluate(
        "e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth"
    )
    assert outline == "solid 3px"


def test_login_works_without_javascript(browser: Browser, server: Server) -> None:
    context = browser.new_context(viewport=PHONE, locale="sv-SE", java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, server, username="shopper")
        expect(page).to_have_url(server.url("/visits"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Dina besök")
        page.get_by_role("button", name="Logga ut").click()
        expect(page).to_have_url(server.url("/"))
    finally:
        context.close()
