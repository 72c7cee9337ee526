"""What a collection page shows of its e-mailed contacts: per contact and per unit, how many are queued, sent,
bounced, opted out, started and completed, and the response rate per unit.

"Started" needs the contact's response, whose id only the invitation token yields (collections.tokens), and the
token is sealed with the address: it is opened here, for the consultant's page, and never stored in the open.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from servicescore.collections.addresses import AddressBook, Unsealable
from servicescore.collections.mail_plan import Schedule
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


@dataclass
class MailOverview:
    schedule: Schedule | None
    contacts: list[ContactLine] = field(default_factory=list)
    units: list[UnitLine] = field(default_factory=list)


async def mail_overview(collection_id: int, book: AddressBook) -> MailOverview:
    contacts = await collection_contacts(collection_id)
    steps: dict[int, list[StepLine]] = defaultdict(list)
    for message in await collection_messages(collection_id):
        steps[message["contact"]].append(StepLine(message["step"], message["status"], message["reason"]))
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
    return overview
