"""``/console/outbox``: the messages kept when no SMTP server is configured, for consultants only."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from servicescore.mail.transport import OutboxTransport
from servicescore.settings import Settings
from tests.support.console_world import Client, World, log_in, soup

pytestmark = pytest.mark.anyio


def _message(to: str, subject: str, date: str, number: int, language: str = "") -> EmailMessage:
    message = EmailMessage()
    message["From"] = "ServiceScore <enkat@example.org>"
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = date
    message["Message-ID"] = f"<m{number}@example.org>"
    message.set_content(f"Hej {to}!\n")
    if language:
        message["Content-Language"] = language
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
    # The subject, which opens the message, first: at 360 px it was scrolled out of sight. Sent at 09:00 UTC:
    # 10:00 in Stockholm, written as every other moment of the console (it was "2026-12-10 09:00").
    assert rows == [
        ["Påminnelse", "bo@example.org", "10 december 2026, 10:00"],
        ["Inbjudan", "anna@example.org", "7 december 2026, 10:00"],
    ]
    shown = soup(await client.get("/console/outbox/m1_example.org.eml"))
    assert shown.select_one("pre.message-text").get_text() == "Hej anna@example.org!\n"  # type: ignore[union-attr]
    assert shown.select_one("dl.facts dd:not([data-to])").get_text() == "7 december 2026, 10:00"  # type: ignore[union-attr]
    download = await client.get("/console/outbox/m1_example.org.eml/eml")
    assert download.headers["content-type"] == "message/rfc822"
    assert b"Subject: Inbjudan" in download.content


async def test_a_message_in_another_language_is_marked_with_it(
    client: Client, world: World, settings: Settings
) -> None:
    """An English invitation on the Swedish console: its subject and text carry lang="en", so a screen reader
    reads them in English (they were read with Swedish pronunciation); a message without Content-Language takes the
    page's."""
    outbox = OutboxTransport(settings.outbox_dir)
    outbox.send(_message("bob@example.org", "How were you treated?", "Mon, 07 Dec 2026 09:00:00 +0000", 1, "en"))
    outbox.send(_message("anna@example.org", "Inbjudan", "Sun, 06 Dec 2026 09:00:00 +0000", 2))
    await log_in(client)
    listed = soup(await client.get("/console/outbox"))
    assert [link.get("lang") for link in listed.select("tr[data-message] a")] == ["en", None]
    english = soup(await client.get("/console/outbox/m1_example.org.eml"))
    assert english.html["lang"] == "sv"  # type: ignore[index]
    assert english.h1["lang"] == english.select_one("pre.message-text")["lang"] == "en"  # type: ignore[index]
    swedish = soup(await client.get("/console/outbox/m2_example.org.eml"))
    assert swedish.select_one("pre.message-text").get("lang") is None  # type: ignore[union-attr]


async def test_outside_names_and_other_roles_are_refused(client: Client, world: World, settings: Settings) -> None:
    (settings.data_dir / "secret.eml").write_text("not in the outbox")
    await log_in(client)
    assert (await client.get("/console/outbox/..%2Fsecret.eml")).status_code == 404
    assert (await client.get("/console/outbox/missing.eml")).status_code == 404
    assert "Utkorgen är tom." in (await client.get("/console/outbox")).text
    await client.post("/logout", follow_redirects=False)
    await log_in(client, "kund")
    assert (await client.get("/console/outbox")).status_code == 403
