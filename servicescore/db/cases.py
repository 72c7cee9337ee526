"""Follow-up cases in the database: opened once per response, handled by consultants and the organisation's viewers.

Every function that reads or changes a case takes ``scope``: None for a consultant (every organisation), else the
client viewer's organisation id. A case outside the scope is ``CaseNotFound``, exactly like a missing one. Every
change is one write transaction with its audit event; closing deletes the contact details.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, Protocol

import polars as pl
from piccolo.engine.base import Engine

from servicescore.collections.answers import StoredAnswer
from servicescore.collections.contact import ContactDetails
from servicescore.db.audit import record_event
from servicescore.db.engine import write_transaction
from servicescore.db.tables import Answer, AuditEvent, Case, CaseContact, Response, User
from servicescore.identity import Role


class CaseSeed(Protocol):
    """A case made elsewhere with its whole history (the demo's): what `insert_seeded_cases` stores (read-only)."""

    @property
    def response_id(self) -> uuid.UUID: ...

    @property
    def organisation(self) -> str: ...

    @property
    def status(self) -> str: ...

    @property
    def opened_at(self) -> datetime: ...

    @property
    def due_at(self) -> datetime: ...

    @property
    def first_contact_at(self) -> datetime | None: ...

    @property
    def closed_at(self) -> datetime | None: ...

    @property
    def name(self) -> str: ...

    @property
    def email(self) -> str: ...

    @property
    def phone(self) -> str: ...

    @property
    def note(self) -> str: ...


# Primary keys through _meta, so mypy sees columns (Piccolo adds ``id`` at runtime).
case_key = Case._meta.primary_key
audit_key = AuditEvent._meta.primary_key
user_key = User._meta.primary_key

CASE = "case"
OPEN, CONTACTED, CLOSED = "open", "contacted", "closed"
NOTE_MAX = 3000
StateFilter = Literal["open", "closed", "all"]


class CaseNotFound(LookupError):
    """No such case, or one of another organisation: the same to the caller."""


class CaseRefused(ValueError):
    """A change the case's state does not allow; ``key`` names the message ``cases.refused.<key>``."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class CaseRow:
    id: int
    response_id: uuid.UUID
    organisation_id: int
    organisation: str
    unit: str
    status: str
    assignee_id: int | None
    assignee: str
    opened_at: datetime  # when the response was sent
    due_at: datetime
    first_contact_at: datetime | None
    closed_at: datetime | None

    def overdue(self, now: datetime) -> bool:
        """Still waiting for first contact after its due time."""
        return self.first_contact_at is None and self.closed_at is None and self.due_at < now


@dataclass(frozen=True)
class Note:
    at: str
    author: str
    text: str


@dataclass(frozen=True)
class HistoryEvent:
    at: datetime
    actor: str
    action: str
    detail: dict[str, Any]


@dataclass(frozen=True)
class CaseDetail:
    case: CaseRow
    instrument_version_id: int
    answers: dict[str, StoredAnswer]
    contact: ContactDetails | None  # None once the case is closed
    notes: list[Note]
    history: list[HistoryEvent]


_COLUMNS = (
    case_key,
    Case.response,
    Case.organisation,
    Case.organisation.name.as_alias("organisation_name"),
    Case.response._.unit._.name.as_alias("unit_name"),
    Case.status,
    Case.assignee,
    Case.assignee.display_name.as_alias("assignee_display"),
    Case.assignee.username.as_alias("assignee_username"),
    Case.response.submitted_at.as_alias("opened_at"),
    Case.due_at,
    Case.first_contact_at,
    Case.closed_at,
)


def _row(row: dict[str, Any]) -> CaseRow:
    return CaseRow(
        id=row["id"],
        response_id=uuid.UUID(str(row["response"])),
        organisation_id=row["organisation"],
        organisation=row["organisation_name"],
        unit=row["unit_name"] or "",
        status=row["status"],
        assignee_id=row["assignee"],
        assignee=row["assignee_display"] or row["assignee_username"] or "",
        opened_at=row["opened_at"],
        due_at=row["due_at"],
        first_contact_at=row["first_contact_at"],
        closed_at=row["closed_at"],
    )


def _in_scope(scope: int | None) -> Any:
    return (case_key > 0) if scope is None else (Case.organisation == scope)


async def open_case(
    engine: Engine[Any],
    response_id: uuid.UUID,
    contact: ContactDetails,
    due_hours: int,
) -> int | None:
    """Open the case of a complete response, once: the id of a new case, or None when the response already has one
    (a resend) or is not complete. Due ``due_hours`` after the response was sent."""
    async with write_transaction(engine):
        row = (
            await Response.select(Response.organisation, Response.submitted_at, Response.status)
            .where(Response.id == response_id)
            .first()
        )
        if row is None or row["status"] != "complete" or row["submitted_at"] is None:
            return None
        # The unique response column makes a second case impossible, even from two processes at once.
        made = (
            await Case.insert(
                Case(
                    response=response_id,
                    organisation=row["organisation"],
                    status=OPEN,
                    due_at=row["submitted_at"] + timedelta(hours=due_hours),
                    notes=[],
                )
            )
            .on_conflict(target=Case.response, action="DO NOTHING")
            .returning(case_key)
        )
        if not made:
            return None
        case_id = int(made[0]["id"])
        await CaseContact.insert(
            CaseContact(case=case_id, name=contact.name, email=contact.email, phone=contact.phone)
        ).run()
        await record_event(
            "case.opened",
            object_type=CASE,
            object_id=case_id,
            detail={"response": str(response_id), "due_hours": due_hours},
        )
    return case_id


async def has_case(response_id: uuid.UUID) -> bool:
    """Whether the response opened a case: its respondent asked to be contacted, and someone will be in touch."""
    return bool(await Case.exists().where(Case.response == response_id))


async def cases(scope: int | None, state: StateFilter = "open") -> list[CaseRow]:
    """The cases in scope, soonest due first; ``open`` means not closed (open or contacted)."""
    where = _in_scope(scope)
    if state == "open":
        where &= Case.status != CLOSED
    elif state == "closed":
        where &= Case.status == CLOSED
    rows = await Case.select(*_COLUMNS).where(where).order_by(Case.due_at).order_by(case_key)
    return [_row(row) for row in rows]


async def case_row(case_id: int, scope: int | None) -> CaseRow:
    row = await Case.select(*_COLUMNS).where((case_key == case_id) & _in_scope(scope)).first()
    if row is None:
        raise CaseNotFound(case_id)
    return _row(row)


async def case_detail(case_id: int, scope: int | None) -> CaseDetail:
    """Everything the case page shows; CaseNotFound outside the scope."""
    case = await case_row(case_id, scope)
    extra = await Case.select(Case.notes, Case.response.instrument_version.as_alias("version")).where(
        case_key == case_id
    )
    answers = await Answer.select(Answer.item, Answer.value, Answer.na, Answer.text).where(
        Answer.response_number._.id == case.response_id
    )
    contact = await CaseContact.select(CaseContact.name, CaseContact.email, CaseContact.phone).where(
        CaseContact.case == case_id
    )
    events = (
        await AuditEvent.select(
            AuditEvent.at, AuditEvent.action, AuditEvent.detail, AuditEvent.actor.username.as_alias("actor_name")
        )
        .where((AuditEvent.object_type == CASE) & (AuditEvent.object_id == str(case_id)))
        .order_by(AuditEvent.at)
        .order_by(audit_key)
    )
    return CaseDetail(
        case=case,
        instrument_version_id=int(extra[0]["version"]),
        answers={r["item"]: StoredAnswer(r["value"], bool(r["na"]), r["text"]) for r in answers},
        contact=ContactDetails(**contact[0]) if contact else None,
        notes=[Note(**note) for note in _notes(extra[0]["notes"])],
        history=[HistoryEvent(e["at"], e["actor_name"] or "", e["action"], _json(e["detail"], {})) for e in events],
    )


def _json(value: Any, empty: Any) -> Any:
    import json  # noqa: PLC0415 - JSONB comes back as text on SQLite and on PostgreSQL

    if value is None:
        return empty
    return json.loads(value) if isinstance(value, str) else value


def _notes(value: Any) -> list[dict[str, str]]:
    return [note for note in _json(value, []) if isinstance(note, dict)]


async def assignable_users(organisation_id: int) -> list[tuple[int, str]]:
    """Who may be given a case of this organisation: active consultants and the organisation's client viewers."""
    rows = (
        await User.select(user_key, User.username, User.display_name)
        .where(
            User.active.eq(True)
            & (
                (User.role == Role.consultant.value)
                | ((User.role == Role.client.value) & (User.organisation == organisation_id))
            )
        )
        .order_by(User.display_name)
        .order_by(User.username)
    )
    return [(row["id"], row["display_name"] or row["username"]) for row in rows]


async def _locked(case_id: int, scope: int | None) -> dict[str, Any]:
    row = (
        await Case.select(case_key, Case.organisation, Case.status, Case.notes, Case.first_contact_at)
        .where((case_key == case_id) & _in_scope(scope))
        .first()
    )
    if row is None:
        raise CaseNotFound(case_id)
    return row


async def assign_case(engine: Engine[Any], case_id: int, scope: int | None, *, assignee_id: int, actor_id: int) -> None:
    async with write_transaction(engine):
        case = await _locked(case_id, scope)
        if case["status"] == CLOSED:
            raise CaseRefused("closed")
        if assignee_id not in {user for user, _ in await assignable_users(case["organisation"])}:
            raise CaseRefused("assignee")
        await Case.update({Case.assignee: assignee_id}).where(case_key == case_id)
        await record_event("case.assigned", actor_id=actor_id, object_type=CASE, object_id=case_id,
                           detail={"assignee": assignee_id})  # fmt: skip


async def add_note(
    engine: Engine[Any], case_id: int, scope: int | None, *, text: str, author: str, actor_id: int, now: datetime
) -> None:
    text = text.strip()
    if not text:
        raise CaseRefused("note_empty")
    if len(text) > NOTE_MAX:
        raise CaseRefused("note_long")
    async with write_transaction(engine):
        case = await _locked(case_id, scope)
        notes = [*_notes(case["notes"]), {"at": now.isoformat(timespec="seconds"), "author": author, "text": text}]
        await Case.update({Case.notes: notes}).where(case_key == case_id)
        # The note's words stay on the case; the trail says a note was added, not what it said.
        await record_event("case.noted", actor_id=actor_id, object_type=CASE, object_id=case_id,
                           detail={"length": len(text)})  # fmt: skip


async def mark_contacted(engine: Engine[Any], case_id: int, scope: int | None, *, actor_id: int, now: datetime) -> None:
    async with write_transaction(engine):
        case = await _locked(case_id, scope)
        if case["status"] == CLOSED:
            raise CaseRefused("closed")
        if case["first_contact_at"] is not None:
            raise CaseRefused("contacted")
        await Case.update({Case.first_contact_at: now, Case.status: CONTACTED}).where(case_key == case_id)
        await record_event("case.contacted", actor_id=actor_id, object_type=CASE, object_id=case_id)


async def close_case(engine: Engine[Any], case_id: int, scope: int | None, *, actor_id: int, now: datetime) -> None:
    """Close the case and delete its contact details; the answers stay, now with nobody's name on them."""
    async with write_transaction(engine):
        case = await _locked(case_id, scope)
        if case["status"] == CLOSED:
            raise CaseRefused("closed")
        await Case.update({Case.closed_at: now, Case.status: CLOSED}).where(case_key == case_id)
        await CaseContact.delete().where(CaseContact.case == case_id)
        await record_event("case.closed", actor_id=actor_id, object_type=CASE, object_id=case_id,
                           detail={"contact_deleted": True})  # fmt: skip


async def case_times_frame(scope: int | None) -> pl.DataFrame:
    """Every case in scope as the frame ``scoring.case_times`` reads."""
    rows = await Case.select(
        Case.organisation.name.as_alias("organisation"),
        Case.response.submitted_at.as_alias("opened_at"),
        Case.due_at,
        Case.first_contact_at,
        Case.closed_at,
    ).where(_in_scope(scope))
    from servicescore.scoring.case_times import CASE_SCHEMA  # noqa: PLC0415 - the scoring package loads SciPy

    return pl.DataFrame(rows, schema=CASE_SCHEMA, orient="row") if rows else pl.DataFrame(schema=CASE_SCHEMA)


async def insert_seeded_cases(made: Sequence[CaseSeed], organisations: Mapping[str, int]) -> int:
    """Write cases with their history (inside the caller's transaction) and audit trail; closed ones keep no
    contact. The demo seeds its world with this."""
    for demo in made:
        noted = demo.first_contact_at
        notes = [{"at": noted.isoformat(timespec="seconds"), "author": "Demo", "text": demo.note}] if noted else []
        row = Case(
            response=demo.response_id,
            organisation=organisations[demo.organisation],
            status=demo.status,
            due_at=demo.due_at,
            first_contact_at=demo.first_contact_at,
            closed_at=demo.closed_at,
            notes=notes if demo.note else [],
        )
        case_id = (await Case.insert(row).returning(case_key))[0]["id"]
        if demo.closed_at is None:
            await CaseContact(case=case_id, name=demo.name, email=demo.email, phone=demo.phone).save()
        events = [
            ("case.opened", demo.opened_at),
            ("case.contacted", demo.first_contact_at),
            ("case.closed", demo.closed_at),
        ]
        for action, at in events:
            if at is not None:
                await AuditEvent(
                    at=at, action=action, object_type=CASE, object_id=str(case_id), detail={"demo": True}
                ).save()
    return len(made)
