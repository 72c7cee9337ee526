"""The e-mail journey end to end: contacts uploaded in the console in Chromium, invitations sent by `servicescore
invitations send` to a real SMTP server (aiosmtpd) and read there, the personal link in one e-mail opened in
Chromium and the survey completed, another contact opting out on the page the e-mail links to (without
JavaScript, axe-clean), a third starting the survey, and the next round's reminder going only to that one."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.browser import axe_violations, log_in
from tests.support.live_server import PHONE, Server, running_server
from tests.support.smtp_server import Inbox, smtp_server
from tests.support.survey_browser import choose

pytestmark = pytest.mark.browser

CONTACTS = (
    "email,name,language,unit\n"
    "anna@example.org,Anna Berg,sv,zorngarden/museet\n"
    "bob@example.org,Bob Smith,en,zorngarden/hemmet\n"
    "cilla@example.org,,sv,museet\n"
)


def seed(data_dir: str) -> None:
    """Run in a subprocess: Zorngården with its brand and two units, the visitor survey open; prints its id."""
    import os

    os.environ["SERVICESCORE_DATA_DIR"] = data_dir
    from servicescore.db.collections import open_collection
    from servicescore.db.engine import write_transaction
    from servicescore.db.instruments import sync_instruments
    from servicescore.db.lifecycle import database
    from servicescore.db.tables import Organisation, Unit, Wave
    from servicescore.definitions import load_instruments
    from servicescore.settings import get_settings

    async def run() -> int:
        settings = get_settings()
        async with database(settings) as engine, write_transaction(engine):
            survey = next(i for i in load_instruments(settings.surveys_dir) if i.id == "visitor-survey")
            version = (await sync_instruments([survey]))[survey.id]
            org = Organisation(slug="zorngarden", name="Zorngården", brand="zorngarden", brand_colour="#7a2e1f")
            await org.save()
            museum, home = (
                Unit(organisation=org.id, slug="museet", name="Zornmuseet"),
                Unit(organisation=org.id, slug="hemmet", name="Zorns hem"),
            )
            await museum.save()
            await home.save()
            wave = Wave(key="2026-Q4")
            await wave.save()
            now = datetime.now(UTC)
            collection, _ = await open_collection(
                instrument_version_id=version, wave_id=wave.id, unit_ids=[museum.id, home.id],
                opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30), title="Besökare",
            )  # fmt: skip
            return collection

    print(asyncio.run(run()))


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, int]]:
    with running_server(tmp_path_factory.mktemp("mail-e2e"), jobs=False) as server:
        collection = subprocess.run([sys.executable, __file__, str(server.data_dir)], env=server.environment(),
                                    capture_output=True, text=True, check=True, timeout=120).stdout.strip()  # fmt: skip
        yield server, int(collection)


def send(server: Server, smtp_url: str, at: datetime) -> str:
    """`servicescore invitations send --at` beside the server, through the SMTP server."""
    environment = {**server.environment(), "SERVICESCORE_SMTP_URL": smtp_url, "SERVICESCORE_BASE_URL": server.base_url}
    done = subprocess.run([sys.executable, "-m", "servicescore", "invitations", "send", "--at", at.isoformat()],
                          env=environment, capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


def link(message: EmailMessage, kind: str) -> str:
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    found = re.search(rf"http://127\.0\.0\.1:\d+/{kind}/\S+", text)
    assert found, text
    return found[0]


def test_invite_complete_opt_out_and_remind(
    page: Page, browser: Browser, live: tuple[Server, int], tmp_path: Path
) -> None:
    server, collection = live
    log_in(page, server)
    page.goto(server.url(f"/console/collections/{collection}"))
    contacts = tmp_path / "kontakter.csv"
    contacts.write_text(CONTACTS, encoding="utf-8")
    page.get_by_label("Kontaktfil, CSV eller XLSX").set_input_files(contacts)
    page.get_by_label("Påminnelser, dagar efter inbjudan").fill("3")
    page.get_by_role("button", name="Lägg till kontakter").click()
    expect(page.locator("#contacts .notice")).to_have_text("3 kontakter lades till.")

    now = datetime.now(UTC)
    inbox: Inbox
    with smtp_server() as (url, inbox):
        assert send(server, url, now).startswith("3 sent")
        mail = {message["To"].addresses[0].addr_spec: message for message in inbox.messages}
        assert sorted(mail) == ["anna@example.org", "bob@example.org", "cilla@example.org"]
        anna = mail["anna@example.org"]
        assert anna["Subject"] == "Hur blev du bemött hos Zorngården?"
        logo = next(part for part in anna.walk() if part["Content-ID"] == "<logo>")
        assert logo.get_content_type().startswith("image/")

        respondent = browser.new_context(viewport=PHONE, locale="sv-SE")
        survey = respondent.new_page()
        survey.goto(link(anna, "i"))
        expect(survey.get_by_role("heading", level=1)).to_have_text("Ditt besök")
        expect(survey.get_by_text("Zornmuseet")).to_be_visible()
        choose(survey, "Är det första gången du besöker oss? (måste besvaras)", "Ja, det är mitt första besök")
        survey.get_by_role("button", name="Nästa").click()
        survey.get_by_role("button", name="Nästa").click()
        choose(survey, "Hur nöjd är du med ditt besök som helhet? (måste besvaras)", "5 Mycket nöjd")
        choose(survey, "Hur troligt är det att du skulle rekommendera ett besök hos oss till en vän eller kollega? "
               "(måste besvaras)", "10 Mycket troligt")  # fmt: skip
        survey.get_by_role("button", name="Nästa").click()
        survey.get_by_role("button", name="Skicka svaren").click()
        expect(survey.get_by_role("heading", level=1)).to_have_text("Tack för dina svar!")
        respondent.close()

        no_script = browser.new_context(viewport=PHONE, locale="en-GB", java_script_enabled=False)
        leaving = no_script.new_page()
        leaving.goto(link(mail["bob@example.org"], "o"))
        expect(leaving.get_by_role("heading", level=1)).to_have_text("Unsubscribe")
        leaving.get_by_role("button", name="Yes, unsubscribe me").click()
        expect(leaving.get_by_role("status")).to_have_text(
            "Done. You will get no more surveys by e-mail from Zorngården."
        )
        no_script.close()
        checked = browser.new_context(viewport=PHONE, locale="en-GB")
        ask = checked.new_page()
        ask.goto(link(mail["bob@example.org"], "o"))
        assert axe_violations(ask) == []
        checked.close()

        starting = browser.new_context(viewport=PHONE, locale="sv-SE")
        first_page = starting.new_page()
        first_page.goto(link(mail["cilla@example.org"], "i"))
        choose(first_page, "Är det första gången du besöker oss? (måste besvaras)", "Nej, jag har varit här förut")
        first_page.get_by_role("button", name="Nästa").click()
        expect(first_page.get_by_role("heading", level=1)).to_have_text("Upplevelsen")
        starting.close()

        # started but not completed: still reminded
        assert send(server, url, now + timedelta(days=3, minutes=1)).startswith("1 sent")
        reminders = [m for m in inbox.messages if str(m["Subject"]).startswith(("Påminnelse", "Reminder"))]
        assert [m["To"].addresses[0].addr_spec for m in reminders] == ["cilla@example.org"]

    page.goto(server.url(f"/console/collections/{collection}"))
    rows = {
        row.get_attribute("data-contact"): [cell.inner_text() for cell in row.locator("td").all()]
        for row in page.locator("[data-table=mail-contacts] tr[data-contact]").all()
    }
    # unit, messages, queued, bounced, opted out, started, completed
    assert rows["anna@example.org"] == ["Zornmuseet", "inbjudan: skickad", "", "", "", "✓", "✓"]
    assert rows["bob@example.org"] == ["Zorns hem", "inbjudan: skickad", "", "", "✓", "", ""]
    assert rows["cilla@example.org"] == ["Zornmuseet", "inbjudan: skickad; påminnelse 1: skickad", "", "", "", "✓", ""]
    rates = page.locator("[data-table=mail-units] [data-rate]").all_inner_texts()
    assert rates == ["50\u00a0%", "0\u00a0%"]  # Zornmuseet: anna of anna and cilla; Zorns hem: bob opted out


if __name__ == "__main__":
    seed(sys.argv[1])
