"""The demo's e-mailed invitations: eight invented visitors of Zorngården and Carl Larssons gård are contacts of
the visitor survey; the invitation went out ten days before seeding and two reminders after 3 and 7 days, so the
outbox (``/console/outbox``) shows both kinds. Olle opts out the day after his invitation, so he gets no reminder.
The addresses are in reserved example domains: nothing could reach a real person even with an SMTP server set."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from piccolo.engine.base import Engine

from servicescore.collections.addresses import AddressBook
from servicescore.collections.demo import DEMO_COLLECTIONS
from servicescore.db.collections import find_units
from servicescore.db.mail import NewContact, add_contacts, collection_titled, contact_of, opt_out
from servicescore.db.secret_key import resolve_secret_key
from servicescore.mail.round import run_mail_round
from servicescore.settings import Settings

# (e-mail, name, language, organisation/unit)
DEMO_CONTACTS: tuple[tuple[str, str, str, str], ...] = (
    ("anna.lind@example.org", "Anna Lind", "sv", "zorngarden/museet"),
    ("erik.holm@example.org", "Erik Holm", "sv", "zorngarden/hemmet"),
    ("sara.berg@example.org", "Sara Berg", "sv", "zorngarden/gammelgarden"),
    ("james.walker@example.com", "James Walker", "en", "zorngarden/museet"),
    ("lars.nyberg@example.org", "Lars Nyberg", "sv", "zorngarden/hemmet"),
    ("maja.ek@example.org", "Maja Ek", "sv", "carl-larssons-gard/lilla-hyttnas"),
    ("olle.sund@example.org", "Olle Sund", "sv", "carl-larssons-gard/besokscentret"),
    ("emma.clarke@example.net", "Emma Clarke", "en", "carl-larssons-gard/lilla-hyttnas"),
)
OPTS_OUT = "olle.sund@example.org"
REMINDER_DAYS = (3, 7)
INVITED_DAYS_AGO = 10


@dataclass(frozen=True)
class DemoMail:
    contacts: int
    invitations: int
    reminders: int


async def seed_demo_mail(engine: Engine[Any], settings: Settings, now: datetime) -> DemoMail:
    """Add the contacts and run the mail rounds of the past ten days (the outbox, unless an SMTP URL is set)."""
    collection = await collection_titled(DEMO_COLLECTIONS[0].title)
    if collection is None:
        return DemoMail(0, 0, 0)
    units = await find_units([], [unit for *_, unit in DEMO_CONTACTS])
    book = AddressBook(resolve_secret_key(settings))
    invited_at = (now - timedelta(days=INVITED_DAYS_AGO)).replace(hour=9, minute=0, second=0, microsecond=0)
    contacts = [NewContact(email, name, language, units[unit], None) for email, name, language, unit in DEMO_CONTACTS]
    await add_contacts(engine, collection, contacts, book, invite_at=invited_at, days=REMINDER_DAYS)
    invitations = (await run_mail_round(settings, invited_at)).sent
    leaving = await contact_of(collection, book.digest(OPTS_OUT))
    if leaving is not None:
        await opt_out(engine, leaving, invited_at + timedelta(days=1))
    reminders = 0
    for days in REMINDER_DAYS:
        reminders += (await run_mail_round(settings, invited_at + timedelta(days=days))).sent
    return DemoMail(len(contacts), invitations, reminders)
