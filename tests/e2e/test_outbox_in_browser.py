"""The console's outbox in Chromium at 360 px and 1280 px, in Swedish and English: the list, whose subjects (the links
to each message) are in sight on a phone, and one message, whose text keeps its lines but wraps long ones and long
links inside the page (the demo's reminders made the page 1,231 px wide on a phone and 1,392 px on a laptop),
axe-core clean."""

from __future__ import annotations

import json
from email.message import EmailMessage

import pytest
from playwright.sync_api import Page, expect

from servicescore.mail.transport import OutboxTransport
from tests.support.browser import axe_violations, log_in
from tests.support.live_server import PHONE, Server

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
# As the demo's English reminder: paragraphs on one line each, a personal link longer than a phone is wide.
TEXT = (
    "Hello Emma Clarke,\n\n"
    "A few days ago we asked you how you were treated at Carl Larssons gård, Lilla Hyttnäs. Have you not had time "
    "to answer yet? Every answer counts.\n\n"
    "Answer the survey:\nhttp://127.0.0.1:8000/i/5Xlb_9pVjVIeKxJ8Y1Y_yaS4EQoRsjsr?lang=en\n"
)


def _reminder(number: int) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Carl Larssons gård <enkat@example.org>"
    message["To"] = "Emma Clarke <emma.clarke@example.net>"
    message["Subject"] = "Reminder: how were you treated at Carl Larssons gård?"
    message["Date"] = "Fri, 04 Dec 2026 09:00:00 +0000"
    message["Message-ID"] = f"<walk{number}@example.org>"
    message.set_content(TEXT)
    message["Content-Language"] = "en"
    return message


def fits(page: Page, name: str) -> None:
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        assert axe_violations(page) == [], f"{name} at {size['width']}: {json.dumps(axe_violations(page))}"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"], f"{name} is {width} px wide at {size['width']} px"
    page.set_viewport_size(PHONE)


def test_an_outbox_message_fits_the_screen_in_both_languages(page: Page, server: Server) -> None:
    OutboxTransport(server.data_dir / "outbox").send(_reminder(1))
    log_in(page, server)
    for language, date in (("sv", "4 december 2026, 10:00"), ("en", "4 December 2026, 10:00")):
        page.goto(server.url(f"/console/outbox?lang={language}"))
        row = page.locator("tr[data-message='walk1_example.org.eml']")
        expect(row.locator("td").last).to_have_text(date)
        fits(page, f"outbox-{language}")
        # The subject opens the message: on a phone it is in sight, not scrolled off to the right of the table.
        box = row.locator("a").bounding_box()
        assert box is not None
        assert box["x"] + box["width"] <= PHONE["width"]
        row.locator("a").click()
        expect(page.locator("pre.message-text")).to_contain_text("Every answer counts.")
        expect(page.locator("pre.message-text")).to_have_attribute("lang", "en")
        fits(page, f"outbox-message-{language}")
    page.goto(server.url("/console?lang=sv"))
