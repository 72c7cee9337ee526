"""Closing the loop in Chromium: a visitor says yes to contact after a poor visit (the contact fields appear with the
yes, a bad e-mail is shown next to its field), then the consultant finds the case, records the first contact and
closes it. axe-core and tap targets on every state, at phone and desktop size."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator

import pytest
import test_respond_in_browser
from playwright.sync_api import Page, expect

from tests.support.browser import log_in
from tests.support.live_server import running_server
from tests.support.survey_browser import Survey, check_state, choose

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def survey(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Survey]:
    with running_server(tmp_path_factory.mktemp("cases-e2e")) as live:
        token = subprocess.run(
            [sys.executable, test_respond_in_browser.__file__, str(live.data_dir)],
            env=live.environment(), capture_output=True, text=True, check=True, timeout=120,
        ).stdout.strip()  # fmt: skip
        yield Survey(live, f"/s/{token}")


def _contacts(survey: Survey) -> list[tuple[str, str, str]]:
    with sqlite3.connect(survey.server.data_dir / "servicescore.sqlite3") as db:
        return list(db.execute("SELECT name, email, phone FROM case_contact"))


def test_a_poor_visit_with_consent_becomes_a_case_that_is_handled_and_closed(page: Page, survey: Survey) -> None:
    shots = survey.server.data_dir
    page.goto(survey.url)
    choose(page, "Är det första gången du besöker oss? (måste besvaras)", "Ja, det är mitt första besök")
    page.get_by_role("button", name="Nästa").click()
    page.get_by_role("button", name="Nästa").click()
    choose(page, "Hur nöjd är du med ditt besök som helhet? (måste besvaras)", "1 Mycket missnöjd")
    choose(page, "Hur troligt är det att du skulle rekommendera ett besök hos oss till en vän eller kollega? "
           "(måste besvaras)", "2")  # fmt: skip
    page.get_by_label("Vad hade behövts för att du skulle ge ett högre betyg?").fill("En guide som inte rabblade")
    page.get_by_role("button", name="Nästa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Återkoppling")
    contact = page.get_by_role("group", name="Dina kontaktuppgifter")
    expect(contact).to_be_hidden()  # until the visitor says yes
    choose(page, "Får vi kontakta dig om dina svar?", "Ja")
    expect(contact).to_be_visible()
    check_state(page, "cases-contact", shots)
    contact.get_by_label("Namn").fill("Anna Berg")
    contact.get_by_label("E-post").fill("anna.berg@")
    page.get_by_role("button", name="Skicka svaren").click()
    expect(page.locator("#e-contact-email")).to_contain_text("Skriv en hel e-postadress")
    expect(page.get_by_label("E-post")).to_have_value("anna.berg@")
    check_state(page, "cases-contact-error", shots)
    page.get_by_label("E-post").fill("anna.berg@example.se")
    page.get_by_role("button", name="Skicka svaren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tack för dina svar!")
    assert _contacts(survey) == [("Anna Berg", "anna.berg@example.se", "")]

    log_in(page, survey.server)
    page.goto(survey.server.url("/console/cases"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Återkopplingsärenden")
    expect(page.locator(".overdue-count")).to_have_text("Inga ärenden är försenade.")
    check_state(page, "cases-list", shots)
    page.get_by_role("link", name="Ärende 1").click()
    expect(page.locator("[data-field=email]")).to_have_text("anna.berg@example.se")
    check_state(page, "cases-detail", shots)
    page.get_by_role("button", name="Markera första kontakt").click()
    expect(page.get_by_role("status")).to_have_text("Första kontakten är noterad.")
    page.get_by_label("Ny anteckning").fill("Ringde; guiden har fått stöd. Bjöd på ett nytt besök.")
    page.get_by_role("button", name="Spara anteckningen").click()
    page.get_by_role("button", name="Avsluta ärendet").click()
    expect(page.get_by_role("status")).to_have_text("Ärendet är avslutat och kontaktuppgifterna raderade.")
    expect(page.locator("[data-field=contact-deleted]")).to_be_visible()
    check_state(page, "cases-closed", shots)
    assert _contacts(survey) == []
