"""What a collection page shows of its e-mailed contacts: per contact and per unit, how many are queued, sent,
bounced, opted out, started and completed, the response rate per unit, and that rate over the days since the
invitation (`collections.response_rate`).

"Started" needs the contact's response, whose id only the invitation token yields (collections.tokens), and the
token is sealed with the address: it is opened here, for the consultant's page, and never stored in the open.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import polars as pl

from servicescore.collections.addresses import AddressBook, Unsealable
from servicescore.collections.mail_plan import Schedule
from servicescore.collections.response_rate import SCHEMA, response_rates
from servicescore.collections.tokens import invitation_response_id
from servicescore.db.mail import collection_contacts, collection_messages, response_statuses, schedule_of


@dataclass(frozen=True, slots=True)
class StepLine:
    step: int
    status: str
    reason: str


@dataclass(frozen=True, slots=True)
class ContactLine:
    id: int
    email: str  # "" once deleted
    name: str
    language: str
    organisation: str
    unit: str
    steps: list[StepLine]
    queued: bool
    sent: int
    bounced: bool
    opted_out: bool
    started: bool
    completed: bool


@dataclass
class UnitLine:
    organisation: str
    unit: str
    contacts: int = 0
    queued: int = 0
    sent: int = 0
    bounced: int = 0
    opted_out: int = 0
    started: int = 0
    completed: int = 0

    @property
    def rate(self) -> float | None:
        """Completed ÷ contacts, in per cent; None without contacts."""
        return 100 * self.completed / self.contacts if self.contacts else None


@dataclass(frozen=True, slots=True)
class DayRate:
    day: int  # whole days since the invitation
    invited: int  # contacts whose invitation is at least this old
    completed: int  # of them, those who completed within that many days
    rate: float  # per cent


@dataclass(frozen=True, slots=True)
class UnitRates:
    organisation: str
    unit: str
    days: list[DayRate]


@dataclass
class MailOverview:
    schedule: Schedule | None
    contacts: list[ContactLine] = field(default_factory=list)
    units: list[UnitLine] = field(default_factory=list)
    rates: list[UnitRates] = field(default_factory=list)  # per unit, by organisation and unit

    @property
    def days(self) -> list[int]:
        """The days since the invitation that any unit has a rate for."""
        return list(range(max((len(unit.days) for unit in self.rates), default=0)))


def unit_rates(rows: list[tuple[str, str, datetime | None, datetime | None]], now: datetime) -> list[UnitRates]:
    """(organisation, unit, invitation sent at, completed at) of each contact → the rates per unit and day."""
    table = response_rates(pl.DataFrame(rows, schema=SCHEMA, orient="row"), now)
    grouped: dict[tuple[str, str], list[DayRate]] = {}
    for organisation, unit, day, invited, completed, rate in table.iter_rows():
        grouped.setdefault((organisation, unit), []).append(DayRate(day, invited, completed, rate))
    return [UnitRates(organisation, unit, days) for (organisation, unit), days in grouped.items()]


async def mail_overview(collection_id: int, book: AddressBook, now: datetime) -> MailOverview:
    contacts = await collection_contacts(collection_id)
    steps: dict[int, list[StepLine]] = defaultdict(list)
    invited_at: dict[int, datetime] = {}
    for message in await collection_messages(collection_id):
        steps[message["contact"]].append(StepLine(message["step"], message["status"], message["reason"]))
        if message["step"] == 0 and message["status"] == "sent":
            invited_at[message["contact"]] = message["sent_at"]
    opened: dict[int, tuple[str, str, uuid.UUID | None]] = {}
    for row in contacts:
        try:
            details = book.open(row["sealed"]) if row["sealed"] else None
        except Unsealable:
            details = None
        opened[row["id"]] = (
            (details.email, details.name, invitation_response_id(details.token)) if details else ("", "", None)
        )
    statuses = await response_statuses([found for _, _, found in opened.values() if found is not None])
    overview = MailOverview(await schedule_of(collection_id))
    units: dict[int, UnitLine] = {}
    for row in contacts:
        email, name, response = opened[row["id"]]
        mine = steps.get(row["id"], [])
        completed = row["completed_at"] is not None
        line = ContactLine(
            id=row["id"], email=email, name=name, language=row["language"], organisation=row["organisation"],
            unit=row["unit"], steps=mine, queued=any(s.status == "pending" for s in mine),
            sent=sum(s.status == "sent" for s in mine), bounced=row["bounced_at"] is not None,
            opted_out=row["opted_out_at"] is not None,
            started=completed or (response is not None and response in statuses), completed=completed,
        )  # fmt: skip
        overview.contacts.append(line)
        unit = units.setdefault(row["unit_id"], UnitLine(row["organisation"], row["unit"]))
        unit.contacts += 1
        unit.queued += line.queued
        unit.sent += line.sent > 0
        unit.bounced += line.bounced
        unit.opted_out += line.opted_out
        unit.started += line.started
        unit.completed += line.completed
    overview.units = sorted(units.values(), key=lambda u: (u.organisation, u.unit))
    overview.rates = unit_rates(
        [(row["organisation"], row["unit"], invited_at.get(row["id"]), row["completed_at"]) for row in contacts], now
    )
    return overview
