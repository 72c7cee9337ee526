"""A real SMTP server for tests (aiosmtpd on a free local port) that keeps what it receives.

Recipients whose address starts with ``busy`` get a 451 (try later), with ``nobody`` a 550 (no such mailbox):
the two kinds of refusal a mail round must tell apart.
"""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

BUSY_REPLY = "451 4.3.2 Mailbox busy, try again later"
NO_SUCH_REPLY = "550 5.1.1 No such mailbox here"


@dataclass
class Inbox:
    """Everything the server accepted, parsed; ``refuse_busy`` can be turned off to let a retry through."""

    messages: list[EmailMessage] = field(default_factory=list)
    refuse_busy: bool = True

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address.startswith("busy") and self.refuse_busy:
            return BUSY_REPLY
        if address.startswith("nobody"):
            return NO_SUCH_REPLY
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = (envelope.original_content or b"").replace(b"\r\n", b"\n")  # as a mail client keeps it
        self.messages.append(email.message_from_bytes(content, policy=default))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"].addresses[0].addr_spec == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server(**options: Any) -> Iterator[tuple[str, Inbox]]:
    """``with smtp_server() as (url, inbox):`` a running server and its ``smtp://`` URL."""
    inbox = Inbox(**options)
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}", inbox
    finally:
        controller.stop()
