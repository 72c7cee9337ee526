"""Bounces read from a Maildir folder by the mail round and classified with flufl.bounce: a hard bounce (an RFC 3464
report with Action: failed) stops further mail to the address, in every collection; a delay report does not; each
report is read once."""

from __future__ import annotations

import mailbox
from datetime import timedelta
from pathlib import Path

import pytest

from servicescore.db.tables import Contact, Message
from servicescore.settings import Settings
from tests.support.mail_world import NOW, Client, MailWorld, add, csv_file, in_loop, mail_round, outbox

pytestmark = pytest.mark.anyio


def report(address: str, action: str, status: str, diagnostic: str) -> bytes:
    """A delivery status notification as Postfix writes it."""
    return f"""From: MAILER-DAEMON@mail.example.org (Mail Delivery System)
To: servicescore@localhost
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mail.example.org.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.org
Arrival-Date: Mon,  7 Dec 2026 09:00:01 +0100 (CET)

Final-Recipient: rfc822; {address}
Original-Recipient: rfc822;{address}
Action: {action}
Status: {status}
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; {diagnostic}

--B
Content-Type: text/rfc822-headers

From: servicescore@localhost
To: {address}
Subject: Hur blev du bemött hos Zorngården?

--B--
""".encode()


async def _bounced() -> list[tuple[str, bool]]:
    rows = await Contact.select(Contact.language, Contact.bounced_at, Contact.bounce_reason).order_by(Contact.id)
    return [(row["bounce_reason"], row["bounced_at"] is not None) for row in rows]


async def test_a_hard_bounce_stops_mail_to_that_address(
    client: Client, settings: Settings, world: MailWorld, tmp_path: Path
) -> None:
    add(client, settings, world.collection, csv_file(
        "anna@example.org,,sv,museet,", "bob@example.org,,en,museet,", "cilla@example.org,,sv,museet,",
    ))  # fmt: skip
    assert mail_round(client, settings, NOW).sent == 3
    box = mailbox.Maildir(tmp_path / "bounces", create=True)
    box.add(report("cilla@example.org", "failed", "5.1.1", "550 5.1.1 <cilla@example.org>: User unknown"))
    box.add(report("anna@example.org", "delayed", "4.4.1", "451 4.4.1 Connection timed out"))
    box.add(b"From: colleague@example.org\nSubject: Lunch?\n\nNot a bounce.\n")
    reading = settings.model_copy(update={"bounce_maildir": tmp_path / "bounces"})
    first = mail_round(client, reading, NOW + timedelta(days=1))
    assert (first.bounced, first.sent) == (1, 0)
    assert in_loop(client, _bounced) == [("", False), ("", False), ("hard bounce", True)]
    assert all("S" in box.get_message(key).get_flags() for key in box.iterkeys())  # read once
    assert mail_round(client, reading, NOW + timedelta(days=2)).bounced == 0
    reminders = mail_round(client, reading, NOW + timedelta(days=3))
    assert reminders.sent == 2
    reminded = [str(m["To"]) for m in outbox(settings.outbox_dir) if "minder" in str(m["Subject"])
                or "Påminnelse" in str(m["Subject"])]  # fmt: skip
    assert sorted(reminded) == ["anna@example.org", "bob@example.org"]
    # the address stays stopped in the organisation's next collection (the frequency rule off, to see it is not that)
    later = NOW + timedelta(days=10)
    add(client, settings, world.other_collection, csv_file("cilla@example.org,,sv,museet,"), at=later)
    mail_round(client, reading.model_copy(update={"contact_frequency_days": 0}), later)
    assert in_loop(client, _messages_in, world.other_collection) == []


async def _messages_in(collection: int) -> list[dict[str, object]]:
    return list(await Message.select(Message.status).where(Message.contact._.collection == collection))
