"""A respondent's response in the database: made when the form is first served, saved page by page, completed once.

Every page is written in one write transaction; answers are upserted on (response, item), so sending a page again
changes nothing but ``updated_at``. A page sent forward also raises ``furthest_page`` (how far the respondent came)
in that same write: answers alone cannot tell an optional page passed without answers from one never reached, and
keeping it in the row (not in a cookie) lets an invitation opened on a second device resume after such a page.
A complete response is never written again, and the caller hears of a write only after its commit.

A page is saved only on the version of the answers it was shown from (``collections.answers.next_version``, kept in
the response's ``content_sha256``, which scorecards use for their own content digest): several browsers answering
one personal invitation at once each send pages from the version they saw, the first write moves the version on,
and every later write from the old version is refused with `AnswersChanged` in the same statement or transaction.
So exactly one browser completes a response, with exactly the answers it was shown and sent.

This is the product's hottest path, so it speaks parameterised SQL to the driver under Piccolo's engine instead of
building Piccolo queries (whose Python-side cost was most of a page's time on PostgreSQL):

- SQLite: writes go to the file's group-commit writer (``db.group_commit``): one ``BEGIN IMMEDIATE … COMMIT`` and
  one fsync (``synchronous=FULL``) for every page sent at the same moment. Reads use its reading connection.
- PostgreSQL: connections from the engine's pool (asyncpg). Reading a response is one query; saving a page that does
  not complete an invitation is one statement (its own transaction) whose first step locks the response row while
  it is still partial and on the page's version (``FOR UPDATE``), so of two sends from one version the second finds
  the version moved on and writes nothing, and a completed response is never touched again; completing an invitation
  adds the claim of the invitation in the same transaction.

Columns keep the formats Piccolo writes (SQLite: text UUIDs, ``str(datetime)`` times, 0/1 booleans).
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import AsyncIterator, Mapping
from collections.abc import Collection as Items
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from servicescore.collections.answers import StoredAnswer
from servicescore.db.collections import SurveyLink
from servicescore.db.group_commit import GroupCommitWriter, writer_for
from servicescore.db.instruments import definition_of
from servicescore.db.tables import Response
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
    segment: str | None = None
    furthest_page: int = -1  # the furthest page sent forward; -1 when none
    version: str = ""  # of the answers (`collections.answers.next_version`); "" before the first page is saved

    @property
    def complete(self) -> bool:
        return self.status == COMPLETE


class InvitationUsed(Exception):
    """The invitation already produced its one complete response."""


class ResponseGone(Exception):
    """No such response for this link (it may have been deleted)."""


class AnswersChanged(Exception):
    """The response is complete, or its answers are no longer the version the page was shown from: nothing was
    written. The caller reads the response again to tell a repeat of the write that changed it from another one."""


def _engine(engine: Engine[Any] | None) -> Engine[Any]:
    return engine or Response._meta.db


def _writer(engine: Engine[Any] | None) -> GroupCommitWriter | None:
    """The group-commit writer on SQLite; None on PostgreSQL."""
    engine = _engine(engine)
    return writer_for(str(engine.path)) if isinstance(engine, SQLiteEngine) else None


@asynccontextmanager
async def _connection(engine: Engine[Any]) -> AsyncIterator[Any]:
    """An asyncpg connection of the engine's pool (a new one when no pool was started, as in a one-off command)."""
    if not isinstance(engine, PostgresEngine):
        raise TypeError(f"not a PostgreSQL engine: {engine!r}")
    if engine.pool is not None:
        async with engine.pool.acquire() as connection:
            yield connection
        return
    connection = await engine.get_new_connection()
    try:
        yield connection
    finally:
        await connection.close()


# -- starting -------------------------------------------------------------------------------------------------------

_START_SQLITE = (
    "INSERT INTO response (id, instrument_version, wave, organisation, unit, collection, status, segment, language,"
    " started_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
)
_START_POSTGRES = (
    "INSERT INTO response (id, instrument_version, wave, organisation, unit, collection, status, segment, language,"
    " started_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) ON CONFLICT (id) DO NOTHING"
)


async def start_response(
    link: SurveyLink,
    response_id: uuid.UUID,
    language: str,
    *,
    segment: str | None = None,
    engine: Engine[Any] | None = None,
) -> None:
    """Create the partial response row unless it exists (a reload, or an invitation opened again)."""
    now = datetime.now(UTC)
    if (writer := _writer(engine)) is not None:
        values = (str(response_id), link.instrument_version_id, link.wave_id, link.organisation_id, link.unit_id,
                  link.collection_id, PARTIAL, segment, language, str(now), str(now))  # fmt: skip
        await writer.write(lambda db: db.execute(_START_SQLITE, values).rowcount)
        return
    async with _connection(_engine(engine)) as connection:
        await connection.execute(
            _START_POSTGRES, response_id, link.instrument_version_id, link.wave_id, link.organisation_id,
            link.unit_id, link.collection_id, PARTIAL, segment, language, now,
        )  # fmt: skip


# -- reading --------------------------------------------------------------------------------------------------------

_READ_SQLITE = (
    "SELECT r.status, r.submitted_at, r.segment, r.furthest_page, r.content_sha256, a.item, a.value, a.na, a.text"
    " FROM response r LEFT JOIN answer a ON a.response_number = r.number"
    " WHERE r.id = ? AND r.collection = ? AND r.unit = ?"
)
_READ_POSTGRES = (
    "SELECT r.status, r.submitted_at, r.segment, r.furthest_page, r.content_sha256, a.item, a.value, a.na, a.text"
    " FROM response r LEFT JOIN answer a ON a.response_number = r.number"
    " WHERE r.id = $1 AND r.collection = $2 AND r.unit = $3"
)


def _state(response_id: uuid.UUID, rows: list[Any]) -> ResponseState | None:
    """Rows of (status, submitted_at, segment, furthest_page, version, item, value, na, text), one per answer (one
    with no item if none)."""
    if not rows:
        return None
    status, submitted, segment, furthest, version = rows[0][:5]
    if isinstance(submitted, str):
        submitted = datetime.fromisoformat(submitted)
    answers = {row[5]: StoredAnswer(value=row[6], na=bool(row[7]), text=row[8]) for row in rows if row[5] is not None}
    return ResponseState(response_id, status, submitted, answers, segment, furthest, version or "")


async def load_response(
    link: SurveyLink,
    response_id: uuid.UUID,
    *,
    engine: Engine[Any] | None = None,
) -> ResponseState | None:
    """The response with its answers, if it belongs to this link's collection and unit; one query."""
    if (writer := _writer(engine)) is not None:
        key = (str(response_id), link.collection_id, link.unit_id)
        return _state(response_id, await writer.read(lambda db: db.execute(_READ_SQLITE, key).fetchall()))
    async with _connection(_engine(engine)) as connection:
        rows = await connection.fetch(_READ_POSTGRES, response_id, link.collection_id, link.unit_id)
    return _state(response_id, rows)


async def stored_answers(
    response_id: uuid.UUID,
    *,
    engine: Engine[Any] | None = None,
) -> dict[str, StoredAnswer]:
    sql = (
        "SELECT a.item, a.value, a.na, a.text FROM answer a JOIN response r ON r.number = a.response_number"
        " WHERE r.id = "
    )
    if (writer := _writer(engine)) is not None:
        rows = await writer.read(lambda db: db.execute(sql + "?", (str(response_id),)).fetchall())
    else:
        async with _connection(_engine(engine)) as connection:
            rows = await connection.fetch(sql + "$1", response_id)
    return {row[0]: StoredAnswer(value=row[1], na=bool(row[2]), text=row[3]) for row in rows}


# -- saving ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Page:
    """One page to store: what ``save_page`` was given, in the shape both engines' statements take."""

    link: SurveyLink
    response_id: uuid.UUID
    answers: Mapping[str, StoredAnswer]
    stale: list[str]
    language: str
    segment: str | None
    complete: bool
    sent_forward: int  # the page's index when sent forward, else -1: furthest_page only ever grows
    now: datetime
    version: str  # of the answers the page was shown from: the write happens only on this version
    after: str  # the version this write makes


def _save_on_sqlite(db: sqlite3.Connection, page: _Page) -> str:
    key, now = str(page.response_id), str(page.now)
    row = db.execute(
        "SELECT status, content_sha256, number FROM response WHERE id = ? AND collection = ? AND unit = ?",
        (key, page.link.collection_id, page.link.unit_id),
    ).fetchall()
    if not row:
        raise ResponseGone(key)
    if row[0][0] == COMPLETE or row[0][1] != page.version:
        raise AnswersChanged(key)
    number = row[0][2]
    if page.stale:
        marks = ", ".join("?" * len(page.stale))
        db.execute(f"DELETE FROM answer WHERE response_number = ? AND item IN ({marks})", (number, *page.stale))  # noqa: S608 - only ? marks
    db.executemany(
        "INSERT INTO answer (response_number, item, value, na, text) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (response_number, item)"
        " DO UPDATE SET value = excluded.value, na = excluded.na, text = excluded.text",
        [(number, item, a.value, a.na, a.text) for item, a in page.answers.items()],
    )
    if not page.complete:
        db.execute(
            "UPDATE response SET updated_at = ?, language = ?, segment = ?, furthest_page = max(furthest_page, ?),"
            " content_sha256 = ? WHERE id = ?",
            (now, page.language, page.segment, page.sent_forward, page.after, key),
        )
        return str(row[0][0])
    if page.link.invitation_id is not None:
        used = db.execute(
            "UPDATE invitation SET used_at = ? WHERE id = ? AND used_at IS NULL", (now, page.link.invitation_id)
        )
        if used.rowcount == 0:
            raise InvitationUsed(str(page.link.invitation_id))
    db.execute(
        "UPDATE response SET updated_at = ?, language = ?, segment = ?, furthest_page = max(furthest_page, ?),"
        " status = ?, submitted_at = ?, content_sha256 = ? WHERE id = ?",
        (now, page.language, page.segment, page.sent_forward, COMPLETE, now, page.after, key),
    )
    return str(row[0][0])


# One statement, one transaction: lock the response while partial and on the page's version, drop stale answers,
# upsert this page's answers, update the response. Returns the status before, or no row when the response is
# complete, on another version (or gone). A write waiting for the lock sees the row as the one before it left it.
_SAVE_POSTGRES = """
WITH target AS (
    SELECT id, number, status FROM response
    WHERE id = $1 AND collection = $2 AND unit = $3 AND status <> 'complete' AND content_sha256 = $14
    FOR UPDATE
), stale AS (
    DELETE FROM answer WHERE response_number IN (SELECT number FROM target) AND item = ANY($4::varchar[])
), saved AS (
    INSERT INTO answer (response_number, item, value, na, text)
    SELECT target.number, page.item, page.value, page.na, page.text
    FROM target, unnest($5::varchar[], $6::float8[], $7::boolean[], $8::text[]) AS page (item, value, na, text)
    ON CONFLICT (response_number, item) DO UPDATE SET value = excluded.value, na = excluded.na, text = excluded.text
)
UPDATE response SET updated_at = $9, language = $10, segment = $11,
    furthest_page = GREATEST(response.furthest_page, $13), content_sha256 = $15,
    status = CASE WHEN $12 THEN 'complete' ELSE response.status END,
    submitted_at = CASE WHEN $12 THEN $9 ELSE response.submitted_at END
FROM target WHERE response.id = target.id
RETURNING target.status
"""


async def _save_on_postgres(engine: PostgresEngine, page: _Page) -> str:
    link = page.link
    items = list(page.answers)
    values = (
        page.response_id, link.collection_id, link.unit_id, page.stale, items,
        [page.answers[i].value for i in items], [page.answers[i].na for i in items],
        [page.answers[i].text for i in items], page.now, page.language, page.segment, page.complete,
        page.sent_forward, page.version, page.after,
    )  # fmt: skip
    claims = page.complete and link.invitation_id is not None
    async with _connection(engine) as connection:
        if not claims:
            before = await connection.fetchval(_SAVE_POSTGRES, *values)
        else:
            async with connection.transaction():
                before = await connection.fetchval(_SAVE_POSTGRES, *values)
                if before is not None:
                    claimed = await connection.fetchval(
                        "UPDATE invitation SET used_at = $1 WHERE id = $2 AND used_at IS NULL RETURNING id",
                        page.now, link.invitation_id,
                    )  # fmt: skip
                    if claimed is None:
                        raise InvitationUsed(str(link.invitation_id))  # leaving the block rolls the page back
        if before is not None:
            return str(before)
        exists = await connection.fetchval(
            "SELECT status FROM response WHERE id = $1 AND collection = $2 AND unit = $3",
            page.response_id, link.collection_id, link.unit_id,
        )  # fmt: skip
    if exists is None:
        raise ResponseGone(str(page.response_id))
    raise AnswersChanged(str(page.response_id))


async def save_page(
    engine: Engine[Any],
    link: SurveyLink,
    response_id: uuid.UUID,
    answers: Mapping[str, StoredAnswer],
    remove: Items[str],
    *,
    language: str,
    complete: bool,
    segment: str | None = None,
    sent_forward: int = -1,
    version: str = "",
    after: str = "",
) -> str:
    """Store one page (and complete the response when ``complete``) in one transaction; returns the status the
    response had before. Only a partial response whose answers are at ``version`` (the page was shown from it) is
    written, and then moves to version ``after``; otherwise `AnswersChanged` and nothing is written.

    ``segment`` is the response's segment as the answers now stand (``collections.segments.segment_of``); it is
    written with every page, so changing the answer that decides it changes it too.

    ``sent_forward`` is the page's index when the respondent sent it forward (-1 for a page sent back): the stored
    ``furthest_page`` becomes the greater of the two, in the same statement."""
    page = _Page(
        link=link, response_id=response_id, answers=answers, stale=[i for i in remove if i not in answers],
        language=language, segment=segment, complete=complete, sent_forward=sent_forward, now=datetime.now(UTC),
        version=version, after=after,
    )  # fmt: skip
    if (writer := _writer(engine)) is not None:
        return await writer.write(lambda db: _save_on_sqlite(db, page))
    if not isinstance(engine, PostgresEngine):
        raise TypeError(f"unsupported engine: {engine!r}")
    return await _save_on_postgres(engine, page)
