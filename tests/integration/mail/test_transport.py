"""Sending through a real SMTP server (aiosmtpd) and into the outbox folder: what arrives, and how the server's
refusals are sorted into "try later" and "failed"."""

from __future__ import annotations

import email
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest

from servicescore.mail.transport import (
    BadSmtpUrl,
    OutboxTransport,
    SmtpServer,
    SmtpTransport,
    open_transport,
    parse_smtp_url,
)
from tests.support.smtp_server import free_port, smtp_server


def _message(to: str, number: int = 1) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "ServiceScore <enkat@example.org>"
    message["To"] = to
    message["Subject"] = "Hur var guidningen på Zorngården?"
    message["Message-ID"] = f"<test.{number}@example.org>"
    message.set_content("Hej!\n")
    message.add_alternative("<p>Hej!</p>", subtype="html")
    return message


def test_smtp_urls_are_read_with_their_security() -> None:
    assert parse_smtp_url("smtp://anna:l%C3%B6sen@mail.example.org:587?starttls=true") == SmtpServer(
        "mail.example.org", 587, "anna", "lösen", "starttls"
    )
    assert parse_smtp_url("smtps://mail.example.org") == SmtpServer("mail.example.org", 465, security="tls")
    assert parse_smtp_url("smtp://localhost") == SmtpServer("localhost", 25)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://mail.example.org", "scheme must be smtp:// or smtps:// (got 'http')"),
        ("smtp://:25", "no host"),
        ("smtp://mail.example.org:99999", "the port is not a number"),
        ("smtp://mail.example.org?tls=1", "unknown option(s) tls"),
    ],
)
def test_bad_smtp_urls_say_what_is_wrong(url: str, message: str) -> None:
    with pytest.raises(BadSmtpUrl, match="SERVICESCORE_SMTP_URL") as raised:
        parse_smtp_url(url)
    assert message in str(raised.value)


def test_a_message_arrives_whole_with_both_parts() -> None:
    with smtp_server() as (url, inbox), SmtpTransport(parse_smtp_url(url)) as transport:
        assert transport.send(_message("anna@example.org", 1)).status == "sent"
        assert transport.send(_message("bo@example.org", 2)).status == "sent"  # the same connection
    assert [m["To"] for m in inbox.messages] == ["anna@example.org", "bo@example.org"]
    arrived = inbox.messages[0]
    assert arrived["Subject"] == "Hur var guidningen på Zorngården?"
    assert arrived["Message-ID"] == "<test.1@example.org>"
    assert arrived.get_body(("plain",)).get_content() == "Hej!\n"  # type: ignore[union-attr]
    assert arrived.get_body(("html",)).get_content().strip() == "<p>Hej!</p>"  # type: ignore[union-attr]


def test_a_4xx_is_tried_again_and_a_5xx_fails_with_the_servers_reason() -> None:
    with smtp_server() as (url, inbox), SmtpTransport(parse_smtp_url(url)) as transport:
        busy = transport.send(_message("busy@example.org", 1))
        missing = transport.send(_message("nobody@example.org", 2))
        after = transport.send(_message("anna@example.org", 3))
    assert (busy.status, busy.reason) == ("retry", "451 4.3.2 Mailbox busy, try again later")
    assert (missing.status, missing.reason) == ("failed", "550 5.1.1 No such mailbox here")
    assert after.status == "sent"
    assert [m["To"] for m in inbox.messages] == ["anna@example.org"]


def test_a_server_that_is_down_is_tried_again() -> None:
    transport = SmtpTransport(SmtpServer("127.0.0.1", free_port()))
    outcome = transport.send(_message("anna@example.org"))
    transport.close()
    assert outcome.status == "retry"
    assert "ConnectionRefusedError" in outcome.reason


def test_without_a_server_messages_go_to_the_outbox_once_each(tmp_path: Path) -> None:
    transport = open_transport("", tmp_path / "outbox")
    assert isinstance(transport, OutboxTransport)
    assert transport.send(_message("anna@example.org", 7)).status == "sent"
    assert transport.send(_message("anna@example.org", 7)).status == "sent"  # again: replaces, never adds
    files = sorted((tmp_path / "outbox").iterdir())
    assert [file.name for file in files] == ["test.7_example.org.eml"]
    stored = email.message_from_bytes(files[0].read_bytes(), policy=default)
    assert stored["To"] == "anna@example.org"
    assert stored.get_body(("plain",)).get_content() == "Hej!\n"  # type: ignore[union-attr]
