"""Answering a survey on a phone-sized Chromium: Swedish and English, a missing answer fixed, resume after the tab
is closed, no JavaScript, keyboard only, axe-core on every state at 360×740 and desktop, the page's weight, and the
response read back from the database."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.live_server import PHONE, running_server
from tests.support.survey_browser import Survey, check_state, choose

# One worker runs the module, so its module-wide live server starts once, not once per worker that picks up a test.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("respond-in-browser")]

MAX_FIRST_PAGE_BYTES = 50 * 1024


def seed(data_dir: str) -> None:
    """Run in a subprocess: an organisation with a brand, a unit, and an open visitor survey; prints the token."""
    import os
    from datetime import UTC, datetime, timedelta

    os.environ["SERVICESCORE_DATA_DIR"] = data_dir
    from servicescore.db.collections import open_collection
    from servicescore.db.engine import write_transaction
    from servicescore.db.instruments import sync_instruments
    from servicescore.db.lifecycle import database
    from servicescore.db.tables import Organisation, Unit, Wave
    from servicescore.definitions import load_instruments
    from servicescore.settings import get_settings

    async def run() -> str:
        settings = get_settings()
        async with database(settings) as engine, write_transaction(engine):
            survey = next(i for i in load_instruments(settings.surveys_dir) if i.id == "visitor-survey")
            version = (await sync_instruments([survey]))[survey.id]
            org = Organisation(slug="zorngarden", name="Zorngården", brand="zorngarden", brand_colour="#7a2e1f")
            await org.save()
            unit = Unit(organisation=org.id, slug="museet", name="Zornmuseet")
            await unit.save()
            wave = Wave(key="2026-Q4")
            await wave.save()
            now = datetime.now(UTC)
            _, tokens = await open_collection(
                instrument_version_id=version, wave_id=wave.id, unit_ids=[unit.id],
                opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30),
            )  # fmt: skip
            return tokens[unit.id]

    print(asyncio.run(run()))


@pytest.fixture(scope="module")
def survey(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Survey]:
    with running_server(tmp_path_factory.mktemp("respond-e2e")) as live:
        token = subprocess.run(
            [sys.executable, __file__, str(live.data_dir)],
            env=live.environment(),
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout.strip()
        yield Survey(live, f"/s/{token}")


def test_visitor_survey_in_swedish_with_a_missing_answer_fixed(page: Page, survey: Survey) -> None:
    shots = survey.server.data_dir
    transferred: list[tuple[str, int]] = []
    page.on(
        "requestfinished",
        lambda r: transferred.append((r.url, r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"])),
    )
    page.goto(survey.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ditt besök")
    expect(page.get_by_text("Sida 1 av 4")).to_be_visible()
    page_bytes = sum(size for url, size in transferred if not url.endswith("/logo"))
    assert page_bytes <= MAX_FIRST_PAGE_BYTES, transferred
    assert all(url.startswith(survey.server.base_url) for url, _ in transferred), "nothing from other hosts"
    (shots / "respond-first-page-bytes.txt").write_text(f"{page_bytes}\n")
    check_state(page, "first", shots)
    response_id = page.locator("input[name=_response]").input_value()

    choose(page, "Vem var du här med?", "Familj med barn")
    page.get_by_role("button", name="Nästa").click()
    expect(page.get_by_role("alert")).to_contain_text("Några svar behöver ses över")
    expect(page.get_by_role("alert")).to_be_focused()  # a screen reader and the keyboard start at the list
    expect(page.locator("#e-visit_type")).to_have_text("Svara på frågan för att gå vidare.")
    expect(page.get_by_label("Familj med barn")).to_be_checked()
    check_state(page, "error", shots)
    choose(page, "Är det första gången du besöker oss? (måste besvaras)", "Ja, det är mitt första besök")
    page.get_by_role("button", name="Nästa").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Upplevelsen")
    choose(page, "Hur blev du bemött av personalen?", "5 Mycket väl")
    choose(page, "Hur nöjd är du med guidningen?", "Vet inte / ej aktuellt")
    page.get_by_role("button", name="Nästa").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Helhetsintryck")
    follow_up = page.get_by_label("Vad hade behövts för att du skulle ge ett högre betyg?")
    expect(follow_up).to_be_hidden()
    choose(page, "Hur nöjd är du med ditt besök som helhet? (måste besvaras)", "4")
    choose(page, "Hur troligt är det att du skulle rekommendera ett besök hos oss till en vän eller kollega? "
           "(måste besvaras)", "6")  # fmt: skip
    expect(follow_up).to_be_visible()  # live, with the script
    follow_up.fill("Fler guidade visningar <b>på engelska</b>")
    check_state(page, "ratings", shots)
    page.get_by_role("button", name="Nästa").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Återkoppling")
    check_state(page, "last", shots)
    choose(page, "Får vi kontakta dig om dina svar?", "Nej")
    page.get_by_role("button", name="Skicka svaren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tack för dina svar!")
    check_state(page, "thanks", shots)

    status, answers = survey.stored(response_id)
    assert status == ("complete", "sv")
    assert answers == {
        "visit_type": (None, 0, "first_visit"),
        "visited_with": (None, 0, "family_children"),
        "staff_welcome": (5.0, 0, None),
        "guide_rating": (None, 1, None),
        "overall_satisfaction": (4.0, 0, None),
        "recommend": (6.0, 0, None),
        "what_would_improve": (None, 0, "Fler guidade visningar <b>på engelska</b>"),
        "contact_consent": (0.0, 0, None),
    }


def test_visitor_survey_in_english(page: Page, survey: Survey) -> None:
    page.goto(survey.url + "?lang=en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your visit")
    response_id = page.locator("input[name=_response]").input_value()
    choose(page, "Is this your first visit to us? (required)", "No, I have been here before")
    page.get_by_role("button", name="Next").click()
    choose(page, "How were you treated by the staff?", "Don't know / not applicable")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Page 3 of 4")).to_be_visible()
    choose(page, "How satisfied are you with your visit as a whole? (required)", "5 Very satisfied")
    choose(page, "How likely is it that you would recommend a visit to us to a friend or colleague? (required)",
           "10 Extremely likely")  # fmt: skip
    page.get_by_label("What was the best part of your visit?").fill("The guide")
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your answers!")
    status, answers = survey.stored(response_id)
    assert status == ("complete", "en")
    assert answers["staff_welcome"] == (None, 1, None)
    assert answers["recommend"] == (10.0, 0, None)
    assert answers["best_part"] == (None, 0, "The guide")


def test_the_tab_closed_and_the_link_opened_again_resumes(context: BrowserContext, survey: Survey) -> None:
    page = context.new_page()
    page.goto(survey.url)
    response_id = page.locator("input[name=_response]").input_value()
    choose(page, "Är det första gången du besöker oss? (måste besvaras)", "Nej, jag har varit här förut")
    page.get_by_role("button", name="Nästa").click()
    choose(page, "Hur nöjd är du med café och butik?", "2")
    page.get_by_role("button", name="Nästa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Helhetsintryck")
    page.close()

    again = context.new_page()
    again.goto(survey.url)
    expect(again.get_by_role("heading", level=1)).to_have_text("Helhetsintryck")
    assert again.locator("input[name=_response]").input_value() == response_id
    again.get_by_role("button", name="Föregående").click()
    expect(again.get_by_label("2", exact=True).first).to_be_visible()
    status, answers = survey.stored(response_id)
    assert status == ("partial", "sv")
    assert answers["cafe_and_shop"] == (2.0, 0, None)


def test_completed_without_javascript(browser: Browser, survey: Survey) -> None:
    context = browser.new_context(viewport=PHONE, locale="sv-SE", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(survey.url)
        response_id = page.locator("input[name=_response]").input_value()
        page.get_by_role("button", name="Nästa").click()
        expect(page.get_by_role("alert")).to_be_focused()  # without the script too
        choose(page, "Är det första gången du besöker oss? (måste besvaras)", "Ja, det är mitt första besök")
        page.get_by_role("button", name="Nästa").click()
        page.get_by_role("button", name="Nästa").click()
        choose(page, "Hur nöjd är du med ditt besök som helhet? (måste besvaras)", "3")
        choose(page, "Hur troligt är det att du skulle rekommendera ett besök hos oss till en vän eller kollega? "
               "(måste besvaras)", "2")  # fmt: skip
        page.get_by_role("button", name="Nästa").click()
        expect(page.get_by_role("status")).to_contain_text("följdfråga")  # revealed by the server
        page.get_by_label("Vad hade behövts för att du skulle ge ett högre betyg?").fill("Kortare kö")
        page.get_by_role("button", name="Nästa").click()
        page.get_by_role("button", name="Skicka svaren").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Tack för dina svar!")
        status, answers = survey.stored(response_id)
        assert status == ("complete", "sv")
        assert answers["what_would_improve"] == (None, 0, "Kortare kö")
        assert answers["recommend"] == (2.0, 0, None)
    finally:
        context.close()


def test_back_and_reload_after_a_page_with_errors_show_pages_not_a_resubmission(page: Page, survey: Survey) -> None:
    """A page sent with errors is a redirect to a page read with GET: reloading it shows the same errors and what
    was typed, and Back from the next page shows the page again (it was "Confirm form resubmission",
    ERR_CACHE_MISS, when the errors were the answer to the POST)."""
    posts: list[int] = []
    page.on("response", lambda r: posts.append(r.status) if r.request.method == "POST" else None)
    page.goto(survey.url)
    response_id = page.locator("input[name=_response]").input_value()
    choose(page, "Vem var du här med?", "Partner eller vänner")
    page.get_by_role("button", name="Nästa").click()
    expect(page.get_by_role("alert")).to_be_focused()
    assert posts == [303]
    assert "sent=1" in page.url

    reloaded = page.reload()
    assert reloaded is not None
    assert (reloaded.request.method, reloaded.status) == ("GET", 200)
    expect(page.get_by_role("alert")).to_contain_text("Några svar behöver ses över")
    expect(page.get_by_role("alert")).to_be_focused()
    expect(page.locator("#e-visit_type")).to_have_text("Svara på frågan för att gå vidare.")
    expect(page.get_by_label("Partner eller vänner")).to_be_checked()
    assert survey.stored(response_id)[1] == {}, "nothing of a page with errors is saved"

    choose(page, "Är det första gången du besöker oss? (måste besvaras)", "Nej, jag har varit här förut")
    page.get_by_role("button", name="Nästa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upplevelsen")
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ditt besök")
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ditt besök")
    expect(page.get_by_label("Partner eller vänner")).to_be_checked()
    expect(page.get_by_label("Nej, jag har varit här förut")).to_be_checked()
    expect(page.get_by_role("alert")).to_have_count(0)
    assert posts == [303, 303], "Back and reload posted nothing"
    assert survey.stored(response_id)[1] == {
        "visit_type": (None, 0, "returning"),
        "visited_with": (None, 0, "partner_friends"),
    }


FOCUSED = (
    "() => { const e = document.activeElement; return {tag: e.tagName, type: e.type || '', name: e.name || '',"
    " value: e.value || '', outline: getComputedStyle(e.type === 'radio' ? e.nextElementSibling : e).outlineStyle}; }"
)


def test_completed_with_the_keyboard_only_and_focus_always_visible(page: Page, survey: Survey) -> None:
    page.goto(survey.url)
    response_id = page.locator("input[name=_response]").input_value()
    headings = []
    for _ in range(6):
        heading = page.get_by_role("heading", level=1).inner_text()
        headings.append(heading)
        if heading == "Tack för dina svar!":
            break
        answered: set[str] = set()
        for _ in range(120):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED)
            if focused["tag"] != "MAIN":
                assert focused["outline"] == "solid", f"focus not visible on {focused}"
            if focused["type"] == "radio" and focused["name"] not in answered:
                page.keyboard.press("Space")  # the first option of each group: 1, 0 or the first choice
                answered.add(focused["name"])
            elif focused["tag"] == "BUTTON" and focused["value"] == "next":
                page.keyboard.press("Enter")
                break
        expect(page.get_by_role("heading", level=1)).not_to_have_text(heading)
    assert headings == ["Ditt besök", "Upplevelsen", "Helhetsintryck", "Återkoppling", "Tack för dina svar!"]
    status, answers = survey.stored(response_id)
    assert status == ("complete", "sv")
    assert answers["visit_type"] == (None, 0, "first_visit")
    assert answers["staff_welcome"] == (1.0, 0, None)
    assert answers["overall_satisfaction"] == (1.0, 0, None)
    assert answers["recommend"] == (0.0, 0, None)
    assert answers["contact_consent"] == (1.0, 0, None)


if __name__ == "__main__":
    seed(sys.argv[1])
