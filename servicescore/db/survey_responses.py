"""A respondent's response in the database: made when the form is first served, saved page by page, completed once.

Every page is written in one write transaction; answers are upserted on (response, item), so sending a page again
changes nothing but ``updated_at``. Completion locks the response row, so a double tap cannot complete it twice.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Collection as Items
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from servicescore.collections.answers import StoredAnswer
from servicescore.db.collections import SurveyLink
from servicescore.db.engine import write_transaction
from servicescore.db.group_commit import GroupCommitWriter, writer_for
from servicescore.db.instruments import definition_of
from servicescore.db.tables import Answer, Invitation, Response
from servicescore.definitions import Instrument

PARTIAL = "partial"
COMPLETE = "complete"

_definitions: dict[int, Instrument] = {}


async def instrument_for(version_id: int) -> Instrument:
    """A version's definition, parsed once per process: versions are content-addressed and never change."""
    if version_id not in _definitions:
        _definitions[version_id] = await definition_of(version_id)
    return _definitions[version_id]


@dataclass(frozen=True)
class ResponseState:
    id: uuid.UUID
    status: str
    submitted_at: datetime | None
    answers: dict[str, StoredAnswer]

    @property
    def complete(self) -> bool:
        return self.status == COMPLETE


class InvitationUsed(Exception):
    """The invitation already produced its one complete response."""


class ResponseGone(Exception):
    """No such response for this link (it may have been deleted)."""


def _belongs(link: SurveyLink) -> Any:
    return (Response.collection == link.collection_id) & (Response.unit == link.unit_id)


def _writer(engine: Engine | None) -> GroupCommitWriter | None:  # type: ignore[type-arg]
    """The group-commit writer on SQLite; None on PostgreSQL, whose pool and MVCC need no help."""
    engine = engine or Response._meta.db
    return writer_for(str(engine.path)) if isinstance(engine, SQLiteEngine) else None


async def start_response(link: SurveyLink, response_id: uuid.UUID, language: str) -> None:
    """Create the partial response row unless it exists (a reload, or an invitation opened again)."""
    now = datetime.now(UTC)
    if (writer := _writer(None)) is not None:

        def insert(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT INTO response (id, instrument_version, wave, organisation, unit, collection, status, language,"
                " started_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                (str(response_id), link.instrument_version_id, link.wave_id, link.organisation_id, link.unit_id,
                 link.collection_id, PARTIAL, language, str(now), str(now)),
            )  # fmt: skip

        await writer.write(insert)
        return
    await (
        Response.insert(
            Response(
                id=response_id,
                instrument_version=link.instrument_version_id,
                wave=link.wave_id,
                organisation=link.organisation_id,
                unit=link.unit_id,
                collection=link.collection_id,
                status=PARTIAL,
                language=language,
                started_at=now,
                updated_at=now,
            )
        )
        .on_conflict(target=Response.id, action="DO NOTHING")
        .returning(Response.id)
    )


async def load_response(link: SurveyLink, response_id: uuid.UUID) -> ResponseState | None:
    if (writer := _writer(None)) is not None:
        return await writer.read(lambda db: _read_response(db, link, response_id))
    row = (
        await Response.select(Response.status, Response.submitted_at)
        .where((Response.id == response_id) & _belongs(link))
        .first()
    )
    if row is None:
        return None
    return ResponseState(response_id, row["status"], row["submitted_at"], await stored_answers(response_id))


def _read_response(db: sqlite3.Connection, link: SurveyLink, response_id: uuid.UUID) -> ResponseState | None:
    row = db.execute(
        "SELECT status, submitted_at FROM response WHERE id = ? AND collection = ? AND unit = ?",
        (str(response_id), link.collection_id, link.unit_id),
    ).fetchone()
    if row is None:
        return None
    submitted = datetime.fromisoformat(row[1]) if row[1] else None
    answers = {
        item: StoredAnswer(value=value, na=bool(na), text=text)
        for item, value, na, text in db.execute(
            "SELECT item, value, na, text FROM answer WHERE response = ?", (str(response_id),)
        )
    }
    return ResponseState(response_id, row[0], submitted, answers)


def _save_on_sqlite(
    db: sqlite3.Connection,
    *,
    link: SurveyLink,
    response_id: uuid.UUID,
    answers: Mapping[str, StoredAnswer],
    stale: list[str],
    language: str,
    complete: bool,
    now: datetime,
) -> str:
    key = str(response_id)
    row = db.execute(
        "SELECT status FROM response WHERE id = ? AND collection = ? AND unit = ?",
        (key, link.collection_id, link.unit_id),
    ).fetchone()
    if row is None:
        raise ResponseGone(key)
    if row[0] == COMPLETE:
        return COMPLETE
    if stale:
        marks = ", ".join("?" * len(stale))
        db.execute(f"DELETE FROM answer WHERE response = ? AND item IN ({marks})", (key, *stale))  # noqa: S608 - only ? marks
    db.executemany(
        "INSERT INTO answer (response, item, value, na, text) VALUES (?, ?, ?, ?, ?) ON CONFLICT (response, item)"
        " DO UPDATE SET value = excluded.value, na = excluded.na, text = excluded.text",
        [(key, item, a.value, a.na, a.text) for item, a in answers.items()],
    )
    if not complete:
        db.execute("UPDATE response SET updated_at = ?, language = ? WHERE id = ?", (str(now), language, key))
        return str(row[0])
    if link.invitation_id is not None:
        used = db.execute(
            "UPDATE invitation SET used_at = ? WHERE id = ? AND used_at IS NULL", (str(now), link.invitation_id)
        )
        if used.rowcount == 0:
            raise InvitationUsed(str(link.invitation_id))
    db.execute(
        "UPDATE response SET updated_at = ?, language = ?, status = ?, submitted_at = ? WHERE id = ?",
        (str(now), language, COMPLETE, str(now), key),
    )
    return str(row[0])


async def stored_answers(response_id: uuid.UUID) -> dict[str, StoredAnswer]:
    rows = await Answer.select(Answer.item, Answer.value, Answer.na, Answer.text).where(Answer.response == response_id)
    return {row["item"]: StoredAnswer(value=row["value"], na=bool(row["na"]), text=row["text"]) for row in rows}


async def _locked_status(engine: Engine, link: SurveyLink, response_id: uuid.UUID) -> str:  # type: ignore[type-arg]
    query = Response.select(Response.status).where((Response.id == response_id) & _belongs(link))
    if isinstance(engine, PostgresEngine):
        # SQLite's BEGIN IMMEDIATE already serialises writers; PostgreSQL needs the row lock.
        query = query.lock_rows("UPDATE")
    row = await query.first()
    if row is None:
        raise ResponseGone(str(response_id))
    return str(row["status"])


async def save_page(
    engine: Engine,  # type: ignore[type-arg]
    link: SurveyLink,
    response_id: uuid.UUID,
    answers: Mapping[str, StoredAnswer],
    remove: Items[str],
    *,
    language: str,
    complete: bool,
) -> str:
    """Store one page (and complete the response when ``complete``) in one transaction; returns the status the
    response had before. A complete response is never written again: the caller compares what was sent."""
    now = datetime.now(UTC)
    if (writer := _writer(engine)) is not None:
        stale = [item for item in remove if item not in answers]
        return await writer.write(
            lambda db: _save_on_sqlite(
                db,
                link=link,
                response_id=response_id,
                answers=answers,
                stale=stale,
                language=language,
                complete=complete,
                now=now,
            )
        )
    async with write_transaction(engine):
        status = await _locked_status(engine, link, response_id)
        if status == COMPLETE:
            return status
        stale = [item for item in remove if item not in answers]
        if stale:
            await Answer.delete().where((Answer.response == response_id) & Answer.item.is_in(stale))
        if answers:
            await (
                Answer.insert(
                    *(
                        Answer(response=response_id, item=item, value=a.value, na=a.na, text=a.text)
                        for item, a in answers.items()
                    )
                )
                .on_conflict(
                    target=(Answer.response, Answer.item),
                    action="DO UPDATE",
                    values=[Answer.value, Answer.na, Answer.text],
                )
                .returning(Answer.id)
            )
        values: dict[Any, Any] = {Response.updated_at: now, Response.language: language}
        if complete:
            if link.invitation_id is not None:
                used = (
                    await Invitation.update({Invitation.used_at: now})
                    .where((Invitation.id == link.invitation_id) & Invitation.used_at.is_null())
                    .returning(Invitation.id)
                )
                if not used:
                    raise InvitationUsed(str(link.invitation_id))
            values |= {Response.status: COMPLETE, Response.submitted_at: now}
        await Response.update(values).where(Response.id == response_id)
    return status
