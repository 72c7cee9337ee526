"""A client viewer's dashboard in Chromium: log in, open the dashboard from the portal, axe-core clean at 360 px and
on a laptop, nothing wider than the screen, and another organisation's dashboard shows the not-found page; the
key-figure cards break no word without a hyphen on phones."""

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
# Where a line of the key-figure cards breaks between two letters, i.e. inside a word and without a hyphen: each as
# the text before and after the break. A soft hyphen (drawn as "-" at the break) is not a letter.
MID_WORD_BREAKS = """() => {
  const found = [];
  for (const node of [...document.querySelectorAll(".headline")].flatMap((list) => {
    const walker = document.createTreeWalker(list, NodeFilter.SHOW_TEXT), nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    return nodes;
  })) {
    const text = node.data, range = document.createRange();
    let lineTop = null;
    for (let i = 0; i < text.length; i++) {
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const box = [...range.getClientRects()].filter((rect) => rect.width > 0).pop();
      if (!box) continue;
      if (lineTop !== null && box.top > lineTop + 1 && /\\p{L}/u.test(text[i - 1]) && /\\p{L}/u.test(text[i])) {
        found.push(text.slice(0, i) + "|" + text.slice(i));
      }
      lineTop = box.top;
    }
  }
  return found;
}"""


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


def test_key_figure_cards_break_no_word_without_a_hyphen_on_phones(page: Page, demo_server: Server) -> None:
    """'Jämförelsegruppens medel' broke as 'Jämförelsegrupp|ens medel' at 360–390 px: Debian's Chromium has no
    Swedish hyphenation dictionary for `hyphens: auto`."""
    page.goto(demo_server.url("/login"))
    page.get_by_label("Användarnamn").fill(CLIENT)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page).to_have_url(demo_server.url("/portal"))
    for path in ("/portal", "/portal/dashboard"):
        page.goto(demo_server.url(path))
        expect(page.locator("[data-figure=peer-mean]").first).to_be_visible()
        for width in (390, 375, 360):
            page.set_viewport_size({"width": width, "height": 800})
            assert page.evaluate(MID_WORD_BREAKS) == [], f"{path} at {width} px"
        shot = demo_server.data_dir / f"key-figures-{path.strip('/').replace('/', '-')}-360.png"
        page.locator(".headline").first.screenshot(path=shot)


if __name__ == "__main__":
    seed(sys.argv[1])
