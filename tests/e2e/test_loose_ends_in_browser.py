"""The pages issue 19's loose ends changed, in Chromium at 360 px and 1280 px on the demo world: the consultant's
review (a refused return in Swedish, no "None min"), organisations with logo status, a peer group's, a wave's and an
assignment's own pages, reports with checkboxes, exports by title; the client's portal home with key figures in the
client's colours, its reports and exports; the assignments and the portal home in English too. axe-core finds
nothing, no page is wider than the screen, and each page's screenshot is written to the server's data dir
(``loose-<name>-<width>.png``) to be looked at."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.browser import axe_violations, log_in
from tests.support.demo_world import copy_demo_world
from tests.support.live_server import PASSWORD, PHONE, Server, running_server

# One worker runs the module, so its module-wide live server starts once, not once per worker that picks up a test.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("loose-ends-in-browser")]

DESKTOP = {"width": 1280, "height": 800}
CLIENT = "kund"


def seed(data_dir: str) -> None:
    """Run in a subprocess after the server made the accounts, on a copy of the demo world: the shopper's assignments
    and visits awaiting review, a client viewer of Zorngården."""
    import asyncio
    import os

    os.environ["SERVICESCORE_DATA_DIR"] = data_dir
    from servicescore.accounts.users import create_account
    from servicescore.db.engine import write_transaction
    from servicescore.db.lifecycle import database
    from servicescore.definitions import load_instruments
    from servicescore.demo.seed import seed_demo_assignments
    from servicescore.identity import Role
    from servicescore.settings import get_settings

    async def run() -> None:
        settings = get_settings()
        instruments = {i.id: i for i in load_instruments(settings.surveys_dir)}
        async with database(settings) as engine:
            await seed_demo_assignments(engine, instruments)
            async with write_transaction(engine):
                await create_account(CLIENT, PASSWORD, Role.client, organisation="zorngarden", display_name="Alva")

    asyncio.run(run())


def _seed(server_dir: str, environment: dict[str, str]) -> None:
    subprocess.run([sys.executable, __file__, server_dir], env=environment, check=True, timeout=300)


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = copy_demo_world(tmp_path_factory, tmp_path_factory.mktemp("loose-ends-e2e"))
    environment = Server("", folder).environment()
    with running_server(folder) as live:
        _seed(str(folder), environment)
        yield live


@pytest.fixture
def both_sizes(browser: Browser) -> Iterator[BrowserContext]:
    profile = browser.new_context(viewport=PHONE, locale="sv-SE")
    yield profile
    profile.close()


def check(page: Page, name: str, server: Server) -> None:
    """axe-core clean and nothing wider than the screen at 360 px and 1280 px; a screenshot of each."""
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        violations = axe_violations(page)
        assert violations == [], f"{name} at {size['width']}: {json.dumps(violations, indent=1)}"
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], f"{name} at {size['width']}"
        assert cards_outside_the_column(page) == [], f"{name} at {size['width']}"
        page.screenshot(path=server.data_dir / f"loose-{name}-{size['width']}.png", full_page=True)
    page.set_viewport_size(PHONE)


def cards_outside_the_column(page: Page) -> list[str]:
    """Cards that stick out of the page's padded column: the organisation page's cards were 20rem (340 px) wide in
    a 326 px column at 360 px, 3 px from the screen's edge on the right and 17 px on the left."""
    return page.evaluate(
        """() => {
            const column = document.querySelector(".page"), style = getComputedStyle(column);
            const right = column.getBoundingClientRect().right - parseFloat(style.paddingRight);
            return [...column.querySelectorAll(".card")]
                .filter((card) => card.getBoundingClientRect().right > right + 0.5)
                .map((card) => card.id || card.getAttribute("aria-labelledby") || card.className);
        }"""
    )


def way_back(page: Page) -> tuple[str | None, int]:
    """Where the link above the heading leads and its height in px (at least 44 to be a tap target), at 360 px."""
    link = page.locator("main > p.crumb a")
    box = link.bounding_box()
    assert box is not None
    return link.get_attribute("href"), min(44, round(box["height"]))


def visit(page: Page, server: Server, path: str, name: str) -> None:
    response = page.goto(server.url(path))
    assert response is not None
    assert response.status == 200, path
    check(page, name, server)


def test_the_consultants_changed_pages(both_sizes: BrowserContext, demo_server: Server) -> None:
    page = both_sizes.new_page()
    log_in(page, demo_server)
    expect(page).to_have_url(demo_server.url("/console"))
    visit(page, demo_server, "/console/review", "review-queue")
    page.locator("a.visit-link").first.click()
    expect(page.locator("h2#h-history")).to_be_visible()
    assert "None" not in page.locator("main").inner_text()
    check(page, "review-visit", demo_server)
    page.get_by_role("button", name="Skicka tillbaka").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Ett besök som skickas tillbaka behöver en kommentar som säger shoppern vad som ska ändras."
    )
    assert "None" not in page.locator("main").inner_text()
    check(page, "review-refused", demo_server)

    visit(page, demo_server, "/console/organisations", "organisations")
    expect(page.locator("tr[data-organisation=zorngarden] td[data-logo]")).to_have_text(
        "Varumärkets logotyp (zorngarden)"
    )
    page.locator("tr[data-organisation=zorngarden] th a").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zorngården")
    check(page, "organisation", demo_server)
    page.goto(demo_server.url("/console/organisations"))
    page.locator("tr[data-peer-group] a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Jämförelsegrupp:")
    page.get_by_role("button", name="Ta bort gruppen").click()
    expect(page.get_by_role("alert")).to_contain_text("Gruppen kan inte tas bort:")
    check(page, "peer-group-refused", demo_server)
    page.goto(demo_server.url("/console/organisations"))
    page.locator("tr[data-wave='2026-Q3'] a").click()
    page.get_by_role("button", name="Ta bort omgången").click()
    expect(page.get_by_role("alert")).to_contain_text("Omgången kan inte tas bort: den används av")
    check(page, "wave-refused", demo_server)

    visit(page, demo_server, "/console/assignments", "assignments")
    page.locator("tr[data-assignment] th a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ändra uppdrag")
    check(page, "assignment", demo_server)

    visit(page, demo_server, "/console/reports", "reports")
    expect(page.locator("fieldset#compare input[type=checkbox]")).to_have_count(12)
    visit(page, demo_server, "/console/exports", "exports")
    expect(page.locator("#answers-instrument option[value=mystery-call]")).to_have_text(
        "Mystery call – kundservice per telefon"
    )
    # Each wave and grouping is a 44 px high tap target, as the console's other checkboxes (they were 26 px).
    heights = page.eval_on_selector_all(
        "input[type=checkbox]", "boxes => boxes.map(box => box.closest('label').getBoundingClientRect().height)"
    )
    assert len(heights) == 13
    assert min(heights) >= 44
    expect(page.locator("input[name=by][value=unit]").locator("xpath=..")).to_have_text("Enhet")
    visit(page, demo_server, "/console/assignments?lang=en", "assignments-en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Assignments")
    page.goto(demo_server.url("/console?lang=sv"))


def test_the_clients_portal_pages(both_sizes: BrowserContext, demo_server: Server) -> None:
    page = both_sizes.new_page()
    log_in(page, demo_server, CLIENT)
    expect(page).to_have_url(demo_server.url("/portal"))
    page.wait_for_load_state("load")
    expect(page.locator("#key-figures")).to_have_text("Nyckeltal för Zorngården")
    expect(page.locator("[data-figure=rank]")).to_contain_text(" av ")
    accent = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()")
    assert accent != "#0b4f9c", "the portal keeps ServiceScore's own colour instead of the client's"
    check(page, "portal", demo_server)
    visit(page, demo_server, "/portal/reports", "portal-reports")
    assert way_back(page) == ("/portal", 44)  # was 20 px high: the 44 px rule applied only inside the console
    visit(page, demo_server, "/portal/exports", "portal-exports")
    assert way_back(page) == ("/portal", 44)  # the export page had no way back
    assert page.locator("#answers-instrument option[value=mystery-call]").count() == 0
    visit(page, demo_server, "/portal?lang=en", "portal-en")
    expect(page.locator("#key-figures")).to_have_text("Key figures of Zorngården")
    page.goto(demo_server.url("/portal?lang=sv"))


if __name__ == "__main__":
    seed(sys.argv[1])
