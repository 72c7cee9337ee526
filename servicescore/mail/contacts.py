"""Uploading a collection's contacts (CSV or XLSX) and scheduling their invitation and reminders: the one
function the console and the ``invitations contacts`` command call."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from piccolo.engine.base import Engine

from servicescore.collections.addresses import AddressBook
from servicescore.collections.invitation_list import ContactList, read_contacts, upload_rows
from servicescore.db.mail import NewContact, add_contacts, collection_opens_at, collection_units, known_digests
from servicescore.db.organisations import Missing
from servicescore.db.secret_key import resolve_secret_key
from servicescore.settings import Settings


async def upload_contacts(
    engine: Engine[Any],
    settings: Settings,
    collection_id: int,
    upload: tuple[bytes, str],
    *,
    days: Sequence[int],
    now: datetime,
    invite_at: datetime | None = None,
    actor_id: int | None = None,
) -> ContactList:
    """Read the file (``UnreadableFile``, ``UnreadableRow``) and, when every row is good, store its contacts and
    the schedule: the invitation at ``invite_at`` (default: now, or when the collection opens), reminders ``days``
    after it. With any bad row nothing is stored and the list says which. Missing for no such collection."""
    units = await collection_units(collection_id)
    opens_at = await collection_opens_at(collection_id)
    if units is None or opens_at is None:
        raise Missing()
    book = AddressBook(resolve_secret_key(settings))
    known = await known_digests(collection_id)
    listed = read_contacts(upload_rows(*upload), units, lambda email: book.digest(email) in known)
    if listed.problems or listed.too_many or listed.no_email_column or not listed.contacts:
        return listed
    contacts = [NewContact(c.email, c.name, c.language, c.unit_id, c.segment) for c in listed.contacts]
    await add_contacts(engine, collection_id, contacts, book, invite_at=invite_at or max(now, opens_at), days=days,
                       actor_id=actor_id)  # fmt: skip
    return listed
