"""``/console/outbox``: the messages kept when no SMTP server is configured, for consultants only."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from servicescore.mail.transport import OutboxTransport
from servicescore.settings import Settings
from tests.support.console_world import Client, World, log_in, soup

pytestmark = pytest.mark.anyio


def _message(to: str, subject: str, date: str, number: int) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "ServiceScore <enkat@example.org>"
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = date
    message["Message-ID"] = f"<m{number}@example.org>"
    message.set_content(f"Hej {to}!\n")
    return message


async def test_the_outbox_lists_each_message_newest_first(client: Client, world: World, settings: Settings) -> None:
    outbox = OutboxTransport(settings.outbox_dir)
    outbox.send(_message("anna@example.org", "Inbjudan", "Mon, 07 Dec 2026 09:00:00 +0000", 1))
    outbox.send(_message("bo@example.org", "Påminnelse", "Thu, 10 Dec 2026 09:00:00 +0000", 2))
    await log_in(client)
    page = soup(await client.get("/console/outbox"))
    rows = [
        [cell.get_text(strip=True) for cell in row.find_all(["td", "th"])] for row in page.select("tr[data-message]")
    ]
    assert rows == [
        ["2026-12-10 09:00", "bo@example.org", "Påminnelse"],
        ["2026-12-07 09:00", "anna@example.org", "Inbjudan"],
    ]
    shown = await client.get("/console/outbox/m1_example.org.eml")
    assert soup(shown).select_one("pre.message-text").get_text() == "Hej anna@example.org!\n"  # type: ignore[union-attr]
    download = await client.get("/console/outbox/m1_example.org.eml/eml")
    assert download.headers["content-type"] == "message/rfc822"
    assert b"Subject: Inbjudan" in download.content


async def test_outside_names_and_other_roles_are_refused(client: Client, world: World, settings: Settings) -> None:
    (settings.data_dir / "secret.eml").write_text("not in the outbox")
    await log_in(client)
    assert (await client.get("/console/outbox/..%2Fsecret.eml")).status_code == 404
    assert (await client.get("/console/outbox/missing.eml")).status_code == 404
    assert "Utkorgen är tom." in (await client.get("/console/outbox")).text
    await client.post("/logout", follow_redirects=False)
    await log_in(client, "kund")
    assert (await client.get("/console/outbox")).status_code == 403
