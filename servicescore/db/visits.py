"""Storing mystery visits: the sync write, the review decisions, and the reads pages need.

Every write is one transaction that ends in its audit event; the caller answers the phone only after it
committed. The visit's history (each accepted revision's whole payload, each review decision with its comment)
lives in the audit trail, so nothing a shopper sent or a consultant said is overwritten.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.query import Select

from servicescore.db.assignments import AssignmentView, assignment
from servicescore.db.audit import record_event
from servicescore.db.engine import write_transaction
from servicescore.db.instruments import definition_of
from servicescore.db.tables import Answer, Assignment, Attachment, AuditEvent, Response
from servicescore.definitions import Instrument
from servicescore.visits.answers import answer_rows
from servicescore.visits.images import StoredPhoto
from servicescore.visits.payload import VisitPayload
from servicescore.visits.sync import Decision, Outcome, StoredVisit, decide
from servicescore.visits.validation import Problem, check_visit

# Piccolo adds the ``id`` primary keys at class creation, where the type checker cannot see them.
assignment_key = Assignment._meta.primary_key
audit_key = AuditEvent._meta.primary_key

SAVED = "visit.saved"
REVIEW_ACTIONS = {"approve": "approved", "return": "returned", "reject": "rejected"}
# What the assignment shows once its visit is in a state.
ASSIGNMENT_STATUS = {
    "draft": "in_progress",
    "submitted": "submitted",
    "returned": "returned",
    "approved": "approved",
    "rejected": "rejected",
}


class VisitNotFound(LookupError):
    """No such visit or assignment for this user: another shopper's looks exactly like a missing one."""


class VisitInvalid(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


class MissingPhotos(ValueError):
    def __init__(self, missing: list[str]) -> None:
        super().__init__(f"photos not uploaded yet: {', '.join(missing)}")
        self.missing = missing


@dataclass(frozen=True, slots=True)
class SyncResult:
    decision: Decision
    visit_id: uuid.UUID
    revision: int
    status: str
    content_sha256: str


def _postgres(engine: Engine[Any]) -> bool:
    return isinstance(engine, PostgresEngine)


def visit_events(visit_id: uuid.UUID) -> Select[AuditEvent]:
    """A visit's audit trail, oldest first. It filters on both object_type and object_id so that the
    ``audit_event_object (object_type, object_id)`` index of m0003 finds the rows instead of a scan of the whole
    log (tests/integration/visits/test_history_query_plan.py holds SQLite's plan to that)."""
    return (
        AuditEvent.select(AuditEvent.action, AuditEvent.detail, AuditEvent.at, AuditEvent.actor.username.as_alias("by"))
        .where((AuditEvent.object_type == "visit") & (AuditEvent.object_id == str(visit_id)))
        .order_by(audit_key)
    )


async def _history(visit_id: uuid.UUID) -> list[dict[str, Any]]:
    rows = await visit_events(visit_id)
    return [_detail(row["detail"]) for row in rows if row["action"] == SAVED]


def _detail(value: Any) -> dict[str, Any]:
    import json  # noqa: PLC0415 - JSONB comes back as text on SQLite and as text from asyncpg

    return json.loads(value) if isinstance(value, str) else dict(value)


async def _stored(visit_id: uuid.UUID, status: str) -> StoredVisit:
    history = await _history(visit_id)
    last = history[-1]
    return StoredVisit(
        revision=int(last["revision"]),
        content_sha256=str(last["sha256"]),
        status=status,
        history={int(entry["revision"]): str(entry["sha256"]) for entry in history},
    )


async def sync_visit(
    engine: Engine[Any],
    visit_id: uuid.UUID,
    payload: VisitPayload,
    content_sha256: str,
    *,
    shopper_id: int,
    now: datetime,
    stored_photo: Callable[[str], StoredPhoto | None],
) -> SyncResult:
    """Apply one PUT of a visit (see ``servicescore.visits.sync``). Raises VisitNotFound, VisitInvalid or
    MissingPhotos before anything is written; a conflict writes nothing and is returned, not raised."""
    async with write_transaction(engine):
        lock = Assignment.select(assignment_key).where(assignment_key == payload.assignment_id)
        if _postgres(engine):
            lock = lock.lock_rows()  # one writer per assignment: a resend racing its original waits for it
        await lock
        target = await assignment(payload.assignment_id, shopper_id=shopper_id)
        if target is None:
            raise VisitNotFound(f"assignment {payload.assignment_id}")
        existing = await Response.select(Response.status, Response.assignment).where(Response.id == visit_id).first()
        if existing is not None and existing["assignment"] != target.id:
            other = await assignment(existing["assignment"], shopper_id=shopper_id) if existing["assignment"] else None
            if other is None:
                raise VisitNotFound(f"visit {visit_id}")
            return SyncResult(
                Decision(Outcome.conflict, f"visit {visit_id} belongs to assignment {other.id}"),
                visit_id, 0, existing["status"], "",
            )  # fmt: skip
        stored = None if existing is None else await _stored(visit_id, existing["status"])
        decision = decide(stored, payload.revision, content_sha256)
        if decision.outcome is Outcome.created:
            taken = await Response.select(Response.id).where(Response.assignment == target.id).first()
            if taken is not None:
                decision = Decision(Outcome.conflict, f"assignment {target.id} already has visit {taken['id']}")
        if decision.outcome in {Outcome.conflict, Outcome.unchanged}:
            assert stored is not None or decision.outcome is Outcome.conflict
            return SyncResult(
                decision,
                visit_id,
                stored.revision if stored else 0,
                existing["status"] if existing else "",
                stored.content_sha256 if stored else "",
            )
        definition = await definition_of(target.version_id)
        if problems := check_visit(payload, definition, now):
            raise VisitInvalid(problems)
        files = {sha: stored_photo(sha) for sha in payload.photo_hashes()}
        if missing := sorted(sha for sha, found in files.items() if found is None):
            raise MissingPhotos(missing)
        described = {sha: found for sha, found in files.items() if found is not None}
        await _write(visit_id, payload, content_sha256, target, now, files=described, created=existing is None)
        await record_event(
            SAVED,
            actor_id=shopper_id,
            object_type="visit",
            object_id=str(visit_id),
            detail={
                "revision": payload.revision,
                "sha256": content_sha256,
                "status": payload.status,
                "payload": payload.model_dump(mode="json"),
            },
            at=now,
        )
    return SyncResult(decision, visit_id, payload.revision, payload.status, content_sha256)


async def _write(
    visit_id: uuid.UUID,
    payload: VisitPayload,
    sha: str,
    target: AssignmentView,
    now: datetime,
    *,
    files: dict[str, StoredPhoto],
    created: bool,
) -> None:
    values: dict[Any, Any] = {
        Response.status: payload.status,
        Response.language: payload.language,
        Response.content_sha256: sha,
        Response.started_at: payload.started_at,
        Response.submitted_at: now if payload.status == "submitted" else None,
        Response.updated_at: now,  # the snapshot notices every change by this
    }
    if created:
        organisation = await _organisation_of_unit(target)
        stored = await Response.insert(
            Response(
                id=visit_id,
                instrument_version=target.version_id,
                wave=await _wave_id(target),
                organisation=organisation,
                unit=await _unit_id(target),
                assignment=target.id,
                **{column._meta.name: value for column, value in values.items()},
            )
        ).returning(Response.number)
    else:
        stored = await Response.update(values).where(Response.id == visit_id).returning(Response.number)
        await Answer.delete().where(Answer.response_number == stored[0]["number"])
        await Attachment.delete().where(Attachment.response == visit_id)
    number = stored[0]["number"]
    rows = answer_rows(payload)
    if rows:
        await Answer.insert(
            *(Answer(response_number=number, item=r.item, value=r.value, na=r.na, text=r.text) for r in rows)
        )
    photos = [(item, sha256) for item, answer in payload.answers.items() for sha256 in dict.fromkeys(answer.photos)]
    if photos:
        await Attachment.insert(
            *(
                Attachment(
                    response=visit_id,
                    item=item,
                    sha256=sha256,
                    content_type=files[sha256].content_type,
                    size=files[sha256].size,
                    width=files[sha256].width,
                    height=files[sha256].height,
                )
                for item, sha256 in photos
            )
        )
    await Assignment.update({Assignment.status: ASSIGNMENT_STATUS[payload.status]}).where(assignment_key == target.id)


async def _organisation_of_unit(target: AssignmentView) -> int:
    row = (
        await Assignment.select(Assignment.unit.organisation.as_alias("org")).where(assignment_key == target.id).first()
    )
    assert row is not None
    return int(row["org"])


async def _unit_id(target: AssignmentView) -> int:
    row = await Assignment.select(Assignment.unit).where(assignment_key == target.id).first()
    assert row is not None
    return int(row["unit"])


async def _wave_id(target: AssignmentView) -> int:
    row = await Assignment.select(Assignment.wave).where(assignment_key == target.id).first()
    assert row is not None
    return int(row["wave"])


# ---- reading visits -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VisitRecord:
    """A stored visit as pages show it: the latest payload, its state, and what review said."""

    id: uuid.UUID
    assignment: AssignmentView
    status: str
    revision: int
    payload: VisitPayload
    submitted_at: datetime | None
    updated_at: datetime
    review_comment: str = ""
    history: list[dict[str, Any]] = field(default_factory=list)


async def _record(row: dict[str, Any], target: AssignmentView) -> VisitRecord:
    visit_id = row["id"] if isinstance(row["id"], uuid.UUID) else uuid.UUID(str(row["id"]))
    events = await visit_events(visit_id)
    history = [{**event, "detail": _detail(event["detail"])} for event in events]
    saved = [event["detail"] for event in history if event["action"] == SAVED]
    reviews = [
        event["detail"]
        for event in history
        if event["action"] in {"visit.returned", "visit.rejected", "visit.approved"}
    ]
    return VisitRecord(
        id=visit_id,
        assignment=target,
        status=row["status"],
        revision=int(saved[-1]["revision"]),
        payload=VisitPayload.model_validate(saved[-1]["payload"]),
        submitted_at=row["submitted_at"],
        updated_at=row["updated_at"],
        review_comment=str(reviews[-1].get("comment", "")) if reviews else "",
        history=history,
    )


_RESPONSE_COLUMNS = (Response.id, Response.status, Response.submitted_at, Response.updated_at, Response.assignment)


async def visit_of_assignment(target: AssignmentView) -> VisitRecord | None:
    row = await Response.select(*_RESPONSE_COLUMNS).where(Response.assignment == target.id).first()
    return None if row is None else await _record(row, target)


async def visit(visit_id: uuid.UUID, *, shopper_id: int | None = None) -> VisitRecord | None:
    row = await Response.select(*_RESPONSE_COLUMNS).where(Response.id == visit_id).first()
    if row is None or row["assignment"] is None:
        return None
    target = await assignment(row["assignment"], shopper_id=shopper_id)
    return None if target is None else await _record(row, target)


async def visits_in_status(status: str) -> list[VisitRecord]:
    rows = await (
        Response.select(*_RESPONSE_COLUMNS)
        .where((Response.status == status) & Response.assignment.is_not_null())
        .order_by(Response.submitted_at)
    )
    records = []
    for row in rows:
        target = await assignment(row["assignment"])
        if target is not None:
            records.append(await _record(row, target))
    return records


# ---- review ---------------------------------------------------------------------------------------------------


class ReviewRefused(ValueError):
    """The decision does not fit the visit: a return without a comment (``code`` "comment_needed"), or a visit not
    waiting for review ("not_waiting", ``status`` its status). Pages say it from the code in the reader's language."""

    def __init__(self, message: str, code: str, status: str = "") -> None:
        super().__init__(message)
        self.code, self.status = code, status


async def review_visit(
    engine: Engine[Any],
    visit_id: uuid.UUID,
    action: str,
    *,
    consultant_id: int,
    comment: str,
    now: datetime,
) -> str:
    """Approve, return (with a comment the shopper reads) or reject a submitted visit; returns the new status."""
    status = REVIEW_ACTIONS[action]
    if action == "return" and not comment.strip():
        raise ReviewRefused("a returned visit needs a comment telling the shopper what to change", "comment_needed")
    async with write_transaction(engine):
        row = await Response.select(Response.status, Response.assignment).where(Response.id == visit_id).first()
        if row is None or row["assignment"] is None:
            raise VisitNotFound(f"visit {visit_id}")
        if row["status"] != "submitted":
            raise ReviewRefused(f"the visit is {row['status']}, not waiting for review", "not_waiting", row["status"])
        await Response.update({Response.status: status, Response.updated_at: now}).where(Response.id == visit_id)
        await Assignment.update({Assignment.status: ASSIGNMENT_STATUS[status]}).where(
            assignment_key == row["assignment"]
        )
        await record_event(
            f"visit.{status}",
            actor_id=consultant_id,
            object_type="visit",
            object_id=str(visit_id),
            detail={"from": "submitted", "to": status, "comment": comment.strip()},
            at=now,
        )
    return status


async def definition_for(record: VisitRecord) -> Instrument:
    return await definition_of(record.assignment.version_id)
