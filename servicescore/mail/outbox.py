"""Reading the outbox folder back: what the console lists when no SMTP server is configured."""

from __future__ import annotations

import email
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Final

_NAME: Final = re.compile(r"^[A-Za-z0-9_.-]{1,250}\.eml$")


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    name: str  # the file name, also its address in the console
    to: str
    subject: str
    date: str  # ISO 8601, UTC as written in the Date header
    text: str  # the plain-text part
    language: str = ""  # the Content-Language header (sv, en): a page marks the message's words with it


def read_entry(path: Path) -> OutboxEntry:
    message = email.message_from_bytes(path.read_bytes(), policy=default)
    assert isinstance(message, EmailMessage)  # the default policy's message class
    body = message.get_body(("plain",))
    date = parsedate_to_datetime(str(message["Date"])).isoformat() if message["Date"] else ""
    return OutboxEntry(
        path.name,
        str(message["To"] or ""),
        str(message["Subject"] or ""),
        date,
        body.get_content() if body is not None else "",
        str(message["Content-Language"] or ""),
    )


def outbox_entries(folder: Path) -> list[OutboxEntry]:
    """Every message in the folder, newest first (ties by name, so the order is the same on every run)."""
    if not folder.is_dir():
        return []
    entries = [read_entry(path) for path in folder.iterdir() if _NAME.match(path.name)]
    return sorted(entries, key=lambda entry: (entry.date, entry.name), reverse=True)


def outbox_file(folder: Path, name: str) -> Path | None:
    """The file of one message, or None for a name that is not an outbox file's (nothing outside the folder)."""
    if not _NAME.match(name) or name.startswith("."):
        return None
    path = folder / name
    return path if path.is_file() else None
