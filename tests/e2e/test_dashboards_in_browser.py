"""A client viewer's dashboard in Chromium: log in, open the dashboard from the portal, axe-core clean at 360 px and
on a laptop, nothing wider than the screen, and another organisation's dashboard shows the not-found page."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import axe_violations
from tests.support.demo_world import copy_demo_world
from tests.support.live_server import PASSWORD, PHONE, Server, running_server

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
CLIENT = "carl"


def seed(data_dir: str) -> None:
    """Run in a subprocess before the server starts, on a copy of the demo world: a client viewer of Carl Larssons
    gård."""
    import asyncio
    import os

    os.environ["SERVICESCORE_DATA_DIR"] = data_dir
    from servicescore.accounts.users import create_account
    from servicescore.db.engine import write_transaction
    from servicescore.db.lifecycle import database
    from servicescore.identity import Role
    from servicescore.settings import get_settings

    async def run() -> None:
        async with database(get_settings()) as engine, write_transaction(engine):
            await create_account(
                CLIENT, PASSWORD, Role.client, organisation="carl-larssons-gard", display_name="Cecilia Kund"
            )

    asyncio.run(run())


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = copy_demo_world(tmp_path_factory, tmp_path_factory.mktemp("dashboards-e2e"))
    environment = {**Server("", folder).environment()}
    subprocess.run([sys.executable, __file__, str(folder)], env=environment, check=True, timeout=300)
    with running_server(folder) as live:
        yield live


def check(page: Page, name: str, server: Server) -> None:
    """axe-core clean and nothing wider than the screen, at phone and laptop size; a screenshot of each."""
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        violations = axe_violations(page)
        assert violations == [], f"{name} at {size['width']}: {json.dumps(violations, indent=1)}"
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], name
        page.screenshot(path=server.data_dir / f"dashboard-{name}-{size['width']}.png", full_page=True)
    page.set_viewport_size(PHONE)


def test_a_client_viewer_sees_their_dashboard_and_not_another_organisations(page: Page, demo_server: Server) -> None:
    page.goto(demo_server.url("/login"))
    page.get_by_label("Användarnamn").fill(CLIENT)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page).to_have_url(demo_server.url("/portal"))
    check(page, "portal", demo_server)

    page.get_by_role("link", name="Resultat och jämförelser").first.click()
    expect(page).to_have_url(demo_server.url("/portal/dashboard"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Resultat för Carl Larssons gård")
    expect(page.locator("[data-figure=index]")).to_have_text(re.compile(r"^\d+,\d$"))
    expect(page.get_by_role("heading", name="Jämförelsegruppen")).to_be_visible()
    assert "Zorngården" not in page.content()
    check(page, "client", demo_server)

    page.get_by_label("Segment").select_option("returning")
    page.get_by_role("button", name="Visa").click()
    expect(page).to_have_url(demo_server.url("/portal/dashboard?wave=2026-Q3&unit=&segment=returning"))
    expect(page.locator("p.lead")).to_contain_text("Segment: Nej, jag har varit här förut")

    response = page.goto(demo_server.url("/portal/dashboard?wave=2099-Q1"))
    assert response is not None
    assert response.status == 400
    expect(page.get_by_role("alert")).to_contain_text("2099-Q1")
    back = page.get_by_role("link", name="Visa utan urval")
    expect(back).to_have_attribute("href", "/portal/dashboard")
    box = back.bounding_box()
    assert box is not None
    assert box["height"] >= 44  # a tap target at 360 px (it was 20 px high)

    for forbidden in ("/portal/dashboard/zorngarden", "/portal/dashboard?organisation=zorngarden"):
        response = page.goto(demo_server.url(forbidden))
        assert response is not None
        assert response.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")
        assert "Zorngården" not in page.content()
    check(page, "forbidden", demo_server)


if __name__ == "__main__":
    seed(sys.argv[1])
