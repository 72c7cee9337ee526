"""What the shopper's phone keeps and what it says, in Chromium at 360 × 800: every tick and every typed word
survives a reload before "Spara och fortsätt", online and offline; an empty visit is not sent, and what is missing
is listed in Swedish with a link to each question; a refusal by the server is listed the same way; a photo shows
as a thumbnail and can be removed; the phone says "submitted" only once the server confirmed it.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from tests.support.live_server import Server, running_server
from tests.support.shopper_browser import (
    SEED_WORLD,
    accessible,
    choose,
    fill_visit,
    log_in,
    photo_file,
    run_python,
    script_ready,
)

# One worker runs the module, so its module-wide live server starts once, not once per worker that picks up a test.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("shopper-keeps-and-checks")]

SCREEN = {"width": 360, "height": 800}
UNITS = ("lilla-hyttnas", "besokscentret", "ateljen", "verkstan")
COMMENT = "Guiden kom fem minuter för sent och sa inget om det."
DRAFT_ON_SERVER = "Sparat i telefonen och hos servern som utkast. Inte inskickat än."
REQUIRED = 17  # the guided tour's required questions


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("e2e-keeps")
    besokscentret = '("besokscentret", "Besökscentret", 60.6235, 15.78)'
    ateljen = '("ateljen", "Ateljén", 60.624, 15.78), ("verkstan", "Verkstan", 60.6245, 15.78)'
    run_python("-c", SEED_WORLD.replace(besokscentret, f"{besokscentret}, {ateljen}"), data_dir=data_dir)
    with running_server(data_dir) as live:
        for unit in UNITS:  # assignments 1 to 4: one a test
            run_python("-m", "servicescore", "assignments", "create", "--shopper", "shopper", "--unit",
                 f"carl-larssons-gard/{unit}", "--instrument", "guided-tour", "--wave", "2026-Q4",
                 "--from", "2026-01-01", "--to", "2027-12-31", data_dir=data_dir)  # fmt: skip
        yield live


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    profile = browser.new_context(viewport=SCREEN, locale="sv-SE", device_scale_factor=2)
    yield profile
    profile.close()


def start(page: Page, server: Server, assignment: int) -> None:
    page.goto(server.url(f"/visits/{assignment}"))
    script_ready(page)
    page.get_by_role("button", name="Starta besöket").click()
    expect(page.locator(".progress")).to_have_text("Del 1 av 6")
    script_ready(page)


def stored_on_phone(page: Page) -> None:
    """Wait until the page has written the last change to IndexedDB (it marks the form while one is pending)."""
    expect(page.locator("form.section-form[data-unsaved]")).to_have_count(0)


def status_on_server(server: Server, assignment: int) -> list[str]:
    with sqlite3.connect(server.data_dir / "servicescore.sqlite3") as connection:
        rows = connection.execute("SELECT status FROM response WHERE assignment = ?", (assignment,)).fetchall()
    return [row[0] for row in rows]


def test_every_change_survives_a_reload_online_and_offline(phone: BrowserContext, shop: Server) -> None:
    page = phone.new_page()
    log_in(page, shop, "shopper")
    expect(page.locator("#offline-ready")).to_be_visible(timeout=30_000)
    start(page, shop, 1)

    # Online: tick, type, and reload before "Spara och fortsätt".
    choose(page, "started_on_time", "Nej")
    choose(page, "welcome_warmth", "2")
    page.locator('textarea[name="started_on_time.comment"]').fill(COMMENT)
    stored_on_phone(page)
    page.screenshot(path=shop.data_dir / "e2e-shopper-section-360x800.png")
    accessible(page)
    page.reload()
    script_ready(page)
    expect(page.locator('.item[data-item="started_on_time"] input[value="no"]')).to_be_checked()
    expect(page.locator('.item[data-item="welcome_warmth"] input[value="2"]')).to_be_checked()
    expect(page.locator('textarea[name="started_on_time.comment"]')).to_have_value(COMMENT)

    # Offline, the same on the next section (the page itself comes from the service worker's copy).
    phone.set_offline(True)
    page.goto(shop.url("/visits/1/section/2"))
    script_ready(page)
    choose(page, "knowledge_depth", "4")
    choose(page, "facts_accurate", "Ej aktuellt")
    page.locator('textarea[name="knowledge_depth.comment"]').fill("Kunde årtalen men inte sammanhangen.")
    stored_on_phone(page)
    page.reload()
    script_ready(page)
    expect(page.locator('.item[data-item="knowledge_depth"] input[value="4"]')).to_be_checked()
    expect(page.locator('.item[data-item="facts_accurate"] input[value="na"]')).to_be_checked()
    expect(page.locator('textarea[name="knowledge_depth.comment"]')).to_have_value(
        "Kunde årtalen men inte sammanhangen."
    )
    page.goto(shop.url("/visits/1/section/1"))  # and the first section is still whole
    script_ready(page)
    expect(page.locator('textarea[name="started_on_time.comment"]')).to_have_value(COMMENT)

    # Back online, the outbox sends the draft: the server now has what the phone kept.
    phone.set_offline(False)
    page.reload()
    script_ready(page)
    expect(page.locator("#sync-status")).to_have_text(DRAFT_ON_SERVER, timeout=30_000)
    assert status_on_server(shop, 1) == ["draft"]


def test_an_empty_visit_is_not_sent_and_what_is_missing_is_listed(phone: BrowserContext, shop: Server) -> None:
    page = phone.new_page()
    log_in(page, shop, "shopper")
    start(page, shop, 2)
    for number in range(1, 7):
        expect(page.locator(".progress")).to_have_text(f"Del {number} av 6")
        script_ready(page)
        page.get_by_role("button", name="Spara och fortsätt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Avsluta och skicka in")
    script_ready(page)
    expect(page.locator("#sync-status")).to_have_text(DRAFT_ON_SERVER, timeout=30_000)  # not "sent"
    page.get_by_role("button", name="Avsluta och skicka in").click()

    summary = page.locator("#finish-problems")
    expect(summary.get_by_role("heading", level=2)).to_have_text("Besöket kan inte skickas in än")
    expect(summary.get_by_role("heading", level=2)).to_be_focused()
    links = summary.locator("li a")
    expect(links).to_have_count(REQUIRED)
    expect(links.first).to_have_text("Del 1 av 6: Började visningen på utsatt tid?")
    expect(summary.locator("li").first).to_have_text("Del 1 av 6: Började visningen på utsatt tid?")
    expect(links.nth(REQUIRED - 1)).to_have_attribute("href", "/visits/2/section/6#q-would_recommend")
    assert "skickas när" not in page.locator("main").inner_text()
    assert "required" not in page.locator("main").inner_text()
    page.screenshot(path=shop.data_dir / "e2e-shopper-missing-360x800.png")
    summary.screenshot(path=shop.data_dir / "e2e-shopper-missing-list-360.png")
    accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= SCREEN["width"]
    expect(page).to_have_url(shop.url("/visits/2/finish"))
    assert status_on_server(shop, 2) == ["draft"]

    links.nth(4).click()  # "Del 2 av 6: …": the question itself
    expect(page).to_have_url(shop.url("/visits/2/section/2#q-knowledge_depth"))
    expect(page.locator("#q-knowledge_depth")).to_be_in_viewport()
    page.goto(shop.url("/visits"))
    script_ready(page)
    expect(page.locator('section[aria-labelledby="h-in_progress"]')).to_contain_text("Besökscentret")
    expect(page.locator("#sent-note")).to_be_hidden()
    assert "answers." not in page.locator("main").inner_text()


def refuse_submission(route: Route) -> None:
    """The server refuses the submission (the phone's clock and one answer); a draft passes."""
    if json.loads(route.request.post_data or "{}").get("status") != "submitted":
        route.continue_()
        return
    errors = [
        {"field": "ended_at", "message": "lies in the future", "code": "clock"},
        {"field": "answers.pace.value", "message": "must be from 1 to 5 (got 9)", "code": "out_of_range"},
    ]
    body = {"status_code": 422, "detail": "; ".join(e["message"] for e in errors), "errors": errors}
    route.fulfill(status=422, content_type="application/json", body=json.dumps(body))


def test_a_photo_can_be_removed_and_a_refusal_is_explained(phone: BrowserContext, shop: Server, tmp_path: Path) -> None:
    page = phone.new_page()
    log_in(page, shop, "shopper")
    start(page, shop, 3)
    fill_visit(page, tmp_path)  # a whole visit, with a photo of the entrance

    page.goto(shop.url("/visits/3/section/1"))
    script_ready(page)
    thumbs = page.locator('[data-thumbs-for="entrance_photo"]')
    expect(thumbs.get_by_role("img", name="Foto 1")).to_have_attribute("src", re.compile("^data:image/jpeg"))
    page.locator("#q-entrance_photo").scroll_into_view_if_needed()
    page.screenshot(path=shop.data_dir / "e2e-shopper-photo-360x800.png")
    accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= SCREEN["width"]
    thumbs.get_by_role("button", name="Ta bort foto 1").click()
    expect(thumbs.locator("img")).to_have_count(0)
    expect(page.locator('[data-photos-for="entrance_photo"]')).to_have_text("Sparade foton: 0")
    page.reload()
    script_ready(page)
    expect(thumbs.locator("img")).to_have_count(0)
    page.locator('input[name="entrance_photo.photo"]').set_input_files(photo_file(tmp_path))
    expect(thumbs.locator("img")).to_have_count(1)

    page.route("**/api/v1/visits/*", refuse_submission)
    page.goto(shop.url("/visits/3/finish"))
    script_ready(page)
    page.get_by_role("button", name="Avsluta och skicka in").click()
    summary = page.locator("#finish-problems")
    expect(summary.get_by_role("heading", level=2)).to_have_text("Servern tog inte emot besöket")
    expect(summary.locator("li")).to_have_text([
        "Besökets sluttid Telefonens klocka verkar gå fel. Ställ in rätt datum och tid och skicka in igen.",
        "Del 5 av 6: Hur väl avvägt var tempot? Värdet ligger utanför det som protokollet tillåter: 1 till 5.",
    ])  # fmt: skip
    expect(summary.locator("li a")).to_have_attribute("href", "/visits/3/section/5#q-pace")
    expect(page.locator("#sync-status")).to_have_text(DRAFT_ON_SERVER, timeout=30_000)
    expect(page).to_have_url(shop.url("/visits/3/finish"))
    page.reload()  # the reasons are kept on the phone until the next try
    script_ready(page)
    expect(summary.locator("li")).to_have_count(2)
    accessible(page)
    assert status_on_server(shop, 3) == ["draft"]

    page.unroute("**/api/v1/visits/*")
    page.get_by_role("button", name="Avsluta och skicka in").click()
    expect(page).to_have_url(shop.url("/visits?sent=3"))
    expect(page.locator("#sent-note")).to_have_text(
        "Besöket är inskickat: servern har bekräftat att den har tagit emot det.", timeout=30_000
    )
    assert status_on_server(shop, 3) == ["submitted"]


def test_without_the_script_a_refused_form_is_a_page_that_back_and_reload_show_again(
    browser: Browser, shop: Server
) -> None:
    """Without the page script the section and finish forms post to the server. A refusal was the answer to the POST,
    so reload re-sent it and Back to it asked to "confirm form resubmission" (ERR_CACHE_MISS); now it is a redirect
    to a page that shows the same problems and what was typed."""
    context = browser.new_context(viewport=SCREEN, locale="sv-SE", java_script_enabled=False)
    posts: list[tuple[str, int]] = []
    try:
        page = context.new_page()
        page.on("response", lambda r: posts.append((r.url, r.status)) if r.request.method == "POST" else None)
        log_in(page, shop, "shopper")
        page.goto(shop.url("/visits/4"))
        page.get_by_role("button", name="Starta besöket").click()
        page.goto(shop.url("/visits/4/section/6"))
        choose(page, "overall_rating", "4")
        page.locator('input[name="tour_duration.min"]').fill("300")
        page.get_by_role("button", name="Spara och fortsätt").click()
        expect(page.locator("#p-tour_duration")).to_have_text(
            "Värdet ligger utanför det som protokollet tillåter: högst 4 h 00 min."
        )
        assert posts[-1] == (shop.url("/visits/4/section/6"), 303)
        expect(page).to_have_url(shop.url("/visits/4/section/6?sent=1"))
        reloaded = page.reload()
        assert reloaded is not None
        assert (reloaded.request.method, reloaded.status) == ("GET", 200)
        expect(page.locator("#p-tour_duration")).to_be_visible()
        expect(page.locator('input[name="tour_duration.min"]')).to_have_value("300")
        expect(page.locator('.item[data-item="overall_rating"] input[value="4"]')).to_be_checked()
        axe_checked(browser, context, shop.url("/visits/4/section/6?sent=1"))

        page.goto(shop.url("/visits/4/finish"))
        page.get_by_role("button", name="Avsluta och skicka in").click()
        expect(page).to_have_url(shop.url("/visits/4/finish?sent=1"))
        expect(page.locator("#finish-problems li").first).to_contain_text("Svar saknas.")
        page.locator("#finish-problems li a").first.click()
        expect(page.locator(".progress")).to_have_text("Del 1 av 6")
        page.go_back()
        expect(page.locator("#finish-problems li").first).to_contain_text("Svar saknas.")
        page.reload()
        expect(page.locator("#finish-problems li").first).to_contain_text("Svar saknas.")
        axe_checked(browser, context, shop.url("/visits/4/finish?sent=1"))
        assert [status for _, status in posts][-2:] == [303, 303], "Back and reload posted nothing"
        assert status_on_server(shop, 4) == ["draft"]
    finally:
        context.close()


def axe_checked(browser: Browser, no_script: BrowserContext, url: str) -> None:
    """axe-core (which needs the browser's JavaScript) on the page ``url`` shows in ``no_script``, opened with its
    cookies in a browser profile with JavaScript."""
    context = browser.new_context(viewport=SCREEN, locale="sv-SE")
    try:
        context.add_cookies(no_script.cookies())
        page = context.new_page()
        page.goto(url)
        expect(page.locator(".problem, #finish-problems li").first).to_be_visible()
        accessible(page)
    finally:
        context.close()
