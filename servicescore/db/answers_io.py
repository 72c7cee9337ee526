"""Storing a validated answer file: organisations, units and waves it names, and its responses, all or nothing.

The caller opens the write transaction; anything raised here (ImportConflict included) rolls all of it back.
"""

from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
import uuid
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import chain
from typing import Any, Final

import polars as pl
from piccolo.engine.sqlite import SQLiteEngine

from servicescore.db.engine import write_transaction
from servicescore.db.instruments import sync_instruments
from servicescore.db.tables import Answer, Organisation, Response, Unit, Wave
from servicescore.definitions import Instrument

COUNTED_STATUS: Final[dict[str, str]] = {"survey": "complete", "scorecard": "approved"}
_LOOKUP_BATCH: Final[int] = 500
_IMPORT_CACHE_KB: Final[int] = 32 * 1024
_ROWS_PER_WRITE: Final[int] = 50_000
_ROWS_PER_STATEMENT: Final[int] = 1_000  # SQLite; 200 took 0.15 s longer at 1.1M answers, 6,000 no less
# PostgreSQL: the answers' key to their response, which an import has checked at its commit (m0024).
_ANSWER_KEY: Final[str] = "answer_response_number_fkey"
_ANALYSED: Final[str] = "ANALYZE response, snapshot_change"  # PostgreSQL: see `_analyse`
# SQLite's change-log insert triggers, whose work an import does once for all its rows (see `_without_insert_triggers`).
_INSERT_TRIGGERS: Final[tuple[str, ...]] = ("snapshot_answer_insert", "snapshot_response_insert")
_ROW: Final[str] = "_row"
_STORED_SELECT: Final[str] = (
    "SELECT r.id AS response_id, i.key AS instrument, r.wave AS wave_id, r.organisation AS organisation_id,"
    " r.unit AS unit_id, r.segment AS segment, r.submitted_at AS submitted_at, r.weight AS weight,"
    " a.item AS item, a.value AS value, a.na AS na, a.text AS text"
    " FROM response r JOIN instrument_version v ON v.id = r.instrument_version"
    " JOIN instrument i ON i.id = v.instrument LEFT JOIN answer a ON a.response_number = r.number"
)
_NEXT_NUMBERS: Final[str] = (
    "SELECT nextval(pg_get_serial_sequence('response', 'number')) AS number FROM generate_series(1, $1)"
)
_STORED_IDS: Final[dict[bool, str]] = {
    False: "SELECT id FROM response WHERE id = ANY(CAST({} AS uuid[]))",
    True: "SELECT id FROM response WHERE id IN (SELECT value FROM json_each({}))",
}


@dataclass(frozen=True)
class Conflict:
    row: int
    message: str
    column: str = "response_id"


class ImportConflict(Exception):
    """Responses of the file are stored already with other answers; nothing of the file is kept."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        super().__init__(f"{len(conflicts)} conflicting row(s)")
        self.conflicts = conflicts


@dataclass
class ImportOutcome:
    created: list[str] = field(default_factory=list)  # 'organisation "x"', 'unit "x/y"', 'wave "w"'
    stored_responses: int = 0
    stored_answers: int = 0
    skipped: list[str] = field(default_factory=list)  # response ids stored before as the file gives them


def slugify(name: str) -> str:
    """ "Carl Larssons gård" → "carl-larssons-gard": the id an organisation or unit gets when an import makes it."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:80].strip("-")
    return slug or "x-" + uuid.uuid5(uuid.NAMESPACE_URL, name).hex[:12]


def _pick(rows: Sequence[Any], given: str) -> Any | None:
    """The row a file's name for a thing means: same slug, same name, or the slug the name would get."""
    for attribute, wanted in (("slug", given), ("name", given), ("slug", slugify(given))):
        for row in rows:
            if getattr(row, attribute) == wanted:
                return row
    return None


async def _organisations(names: Sequence[str], outcome: ImportOutcome) -> dict[str, tuple[int, str]]:
    existing: list[Any] = await Organisation.objects()
    resolved: dict[str, tuple[int, str]] = {}
    for given in names:
        row: Any = _pick(existing, given)
        if row is None:
            row = Organisation(slug=slugify(given), name=given)
            await row.save()
            existing.append(row)
            outcome.created.append(f'organisation "{row.slug}"')
        resolved[given] = (row.id, row.slug)
    return resolved


async def _units(
    pairs: Sequence[tuple[str, str]], organisations: Mapping[str, tuple[int, str]], outcome: ImportOutcome
) -> dict[tuple[str, str], int]:
    resolved: dict[tuple[str, str], int] = {}
    by_organisation: dict[int, list[Any]] = {}
    for organisation, given in pairs:
        organisation_id, organisation_slug = organisations[organisation]
        if organisation_id not in by_organisation:
            by_organisation[organisation_id] = await Unit.objects().where(Unit.organisation == organisation_id)
        existing = by_organisation[organisation_id]
        row: Any = _pick(existing, given)
        if row is None:
            row = Unit(organisation=organisation_id, slug=slugify(given), name=given)
            await row.save()
            existing.append(row)
            outcome.created.append(f'unit "{organisation_slug}/{row.slug}"')
        resolved[(organisation, given)] = row.id
    return resolved


async def _waves(keys: Sequence[str], outcome: ImportOutcome) -> dict[str, int]:
    resolved: dict[str, int] = {}
    for key in keys:
        row: Any = await Wave.objects().get(Wave.key == key)
        if row is None:
            row = Wave(key=key)
            await row.save()
            outcome.created.append(f'wave "{key}"')
        resolved[key] = row.id
    return resolved


async def _stored(response_ids: Sequence[str]) -> pl.DataFrame:
    """The stored responses among `response_ids`, one row per answer, with dimension ids to compare against."""
    # Which of them are stored at all, in one statement, before their answers are read: asking in batches of 500
    # looked up 100,000 new ids one by one in a primary key larger than PostgreSQL's buffer cache (24 s of a
    # 100,000-response import at 300,000 stored), and took 0.5-1 s on SQLite; a file of new responses needs nothing
    # more.
    sqlite = isinstance(Response._meta.db, SQLiteEngine)
    # Canonical already (validation writes them so), and in index order: each page of the index is read once.
    given = sorted(response_ids)
    found = await Response.raw(_STORED_IDS[sqlite], json.dumps(given) if sqlite else given).run()
    response_ids = [str(row["id"]) for row in found]
    rows: list[dict[str, Any]] = []
    for start in range(0, len(response_ids), _LOOKUP_BATCH):
        batch = [uuid.UUID(i) for i in response_ids[start : start + _LOOKUP_BATCH]]
        marks = ", ".join(["{}"] * len(batch))
        query = f"{_STORED_SELECT} WHERE r.id IN ({marks})"
        rows += await Response.raw(query, *batch).run()
    schema = pl.Schema(
        {
            "response_id": pl.String(),
            "instrument": pl.String(),
            "wave_id": pl.Int64(),
            "organisation_id": pl.Int64(),
            "unit_id": pl.Int64(),
            "segment": pl.String(),
            "submitted_at": pl.Datetime("us", "UTC"),
            "weight": pl.Float64(),
            "item": pl.String(),
            "value": pl.Float64(),
            "na": pl.Boolean(),
            "text": pl.String(),
        }
    )
    for row in rows:
        row["response_id"] = str(row["response_id"])
        row["na"] = bool(row["na"])
        row["submitted_at"] = _instant(row["submitted_at"])
    return pl.DataFrame(rows, schema=schema)


def _instant(stored: datetime | str | None) -> datetime | None:
    """A stored time in UTC: PostgreSQL gives a datetime, SQLite the text Piccolo wrote (`_sqlite_time`)."""
    if stored is None:
        return None
    return (datetime.fromisoformat(stored) if isinstance(stored, str) else stored).astimezone(UTC)


# What else of a response a file may state, each compared with what is stored (times as instants).
_RESPONSE_FACTS: Final[tuple[tuple[str, str], ...]] = (
    ("segment", "already stored with another segment"),
    ("submitted_at", "already stored with another submission time"),
    ("weight", "already stored with another weight"),
)


def _conflicts(answers: pl.DataFrame, responses: pl.DataFrame, stored: pl.DataFrame) -> tuple[list[Conflict], set[str]]:
    """Rows of the file whose response is stored with other content, and the ids stored with the same. A segment,
    time or weight that differs is told at its column, on rows with no other difference."""
    keys = ["response_id", "item"]
    same_text = pl.col("text").fill_null("") == pl.col("text_db").fill_null("")
    dimensions = responses.select("response_id", "wave_id", "organisation_id", "unit_id")
    compared = (
        answers.filter(pl.col("response_id").is_in(stored.get_column("response_id").unique().implode()))
        .join(dimensions, on="response_id", how="left", maintain_order="left")
        .join(stored, on=keys, how="full", suffix="_db", coalesce=True)
    )
    first_row = pl.col(_ROW).min().over("response_id")
    reason = (
        pl.when(pl.col(_ROW).is_null())
        .then(pl.lit('already stored with an answer to "') + pl.col("item") + pl.lit('" that this file lacks'))
        .when(pl.col("instrument_db").is_null())
        .then(pl.lit('already stored without an answer to "') + pl.col("item") + pl.lit('"'))
        .when(
            (pl.col("instrument") != pl.col("instrument_db").fill_null(pl.col("instrument")))
            | (pl.col("wave_id") != pl.col("wave_id_db"))
            | (pl.col("organisation_id") != pl.col("organisation_id_db"))
            | (pl.col("unit_id") != pl.col("unit_id_db"))
        )
        .then(pl.lit("already stored with another instrument, wave, organisation or unit"))
        .when(~pl.col("value").eq_missing(pl.col("value_db")) | (pl.col("na") != pl.col("na_db")) | ~same_text)
        .then(pl.lit('already stored with a different answer to "') + pl.col("item") + pl.lit('"'))
    )
    for column, text in _RESPONSE_FACTS:
        reason = reason.when(~pl.col(column).eq_missing(pl.col(f"{column}_db"))).then(pl.lit(text))
    told_at = {text: column for column, text in _RESPONSE_FACTS}
    flagged = compared.with_columns(_row=pl.coalesce(pl.col(_ROW), first_row), _reason=reason).with_columns(
        _column=pl.col("_reason").replace_strict(told_at, default="response_id", return_dtype=pl.String)
    )
    bad = flagged.filter(pl.col("_reason").is_not_null()).sort(_ROW)
    conflicting = set(bad.get_column("response_id").to_list())
    same = set(stored.get_column("response_id").to_list()) - conflicting
    return [Conflict(int(r), m, c) for r, m, c in bad.select(_ROW, "_reason", "_column").iter_rows()], same


def _transaction() -> Any:
    transaction = Answer._meta.db.current_transaction.get()
    if transaction is None:
        raise RuntimeError("the import's statements run inside its write transaction (import_answers)")
    return transaction


def _rows_per_statement(width: int) -> int:
    """How many rows one SQLite insert carries: `_ROWS_PER_STATEMENT`, or fewer when their parameters would pass
    the host parameter limit (32,766 since SQLite 3.32, 999 before)."""
    limit = 32_766 if sqlite3.sqlite_version_info >= (3, 32, 0) else 999
    return max(1, min(_ROWS_PER_STATEMENT, limit // width))


def _values_insert(table: str, columns: Sequence[str], rows: int) -> str:
    row = "(" + ", ".join("?" * len(columns)) + ")"
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([row] * rows)}"  # noqa: S608 (constants)


def _flat(frame: pl.DataFrame, rows: int) -> Iterator[tuple[Any, ...]]:
    """The parameters of `rows` rows at a time, row after row in one tuple."""
    for chunk in frame.iter_slices(rows):
        yield tuple(chain.from_iterable(zip(*(column.to_list() for column in chunk.iter_columns()), strict=True)))


async def _copy_rows(table: str, frame: pl.DataFrame) -> None:
    """Bulk insert of the frame's rows (its columns named as the table's) on the caller's open transaction: on
    SQLite multi-row inserts, on PostgreSQL one COPY.

    Piccolo's own multi-row insert spends most of its time checking each parameter's type in Python (100,000
    answers: 2.5 s of 5.1 s); these paths hand the values to the driver as they are. On SQLite a statement per row
    (`executemany`) cost more than SQLite's own insert work: 1.1M answers took 3.4 s, where the same rows copied
    from a table took 0.96 s; with a thousand rows a statement, 2.0 s.
    """
    connection = _transaction().connection
    if isinstance(Answer._meta.db, SQLiteEngine):
        rows = _rows_per_statement(frame.width)
        whole = frame.height - frame.height % rows
        await connection.executemany(_values_insert(table, frame.columns, rows), _flat(frame[:whole], rows))
        rest = frame[whole:]
        if rest.height:
            await connection.execute(_values_insert(table, frame.columns, rest.height), next(_flat(rest, rest.height)))
    else:
        await connection.copy_records_to_table(table, records=_tuples(frame), columns=frame.columns)


def _tuples(frame: pl.DataFrame) -> Iterator[tuple[Any, ...]]:
    """PostgreSQL: the rows as tuples, made a slice at a time (a tuple per answer of a 1.1M-answer file at once
    would take more memory than the rest), for one COPY: the change log's statement trigger then runs once, not once
    per slice, each run joining its answers to the responses. Columns zipped: half the time of `rows()`."""
    for chunk in frame.iter_slices(_ROWS_PER_WRITE):
        yield from zip(*(column.to_list() for column in chunk.iter_columns()), strict=True)


# SQLite: what `snapshot_response_insert` (m0022) does for each counted response inserted, done once for all the
# import's: its partition's version goes up by one per response, and the response gets a change row that carries the
# first seq of its earlier rows (a response erased, then imported again; NULL, its own, when it has none), which then
# go. Parameters: the import's first and last number, twice, then the highest seq before the new rows.
_LOG_IMPORTED: Final[tuple[str, ...]] = (
    "INSERT INTO snapshot_partition (instrument_version, wave, version)"
    " SELECT instrument_version, wave, count(*) FROM response WHERE number BETWEEN ? AND ?"
    " GROUP BY instrument_version, wave ORDER BY instrument_version, wave"
    " ON CONFLICT (instrument_version, wave) DO UPDATE SET version = snapshot_partition.version + excluded.version",
    "INSERT INTO snapshot_change (instrument_version, wave, response, first_seq)"
    " SELECT r.instrument_version, r.wave, r.id, (SELECT min(COALESCE(c.first_seq, c.seq)) FROM snapshot_change c"
    " WHERE c.instrument_version = r.instrument_version AND c.wave = r.wave AND c.response = CAST(r.id AS TEXT))"
    " FROM response r WHERE r.number BETWEEN ? AND ? ORDER BY r.number",
    "DELETE FROM snapshot_change WHERE seq IN (SELECT c.seq FROM response r JOIN snapshot_change c"
    " ON c.instrument_version = r.instrument_version AND c.wave = r.wave AND c.response = CAST(r.id AS TEXT)"
    " WHERE r.number BETWEEN ? AND ? AND c.seq <= ?)",
)


async def _log_imported(first: int, last: int) -> None:
    """SQLite: log the responses numbered `first`..`last`, inserted counted without the insert trigger, as the
    trigger would have: 100,000 responses in 0.35 s, where their status update through the update trigger took
    0.7-0.8 s and the insert trigger itself 4 s."""
    connection = _transaction().connection
    cursor = await connection.execute("SELECT COALESCE(max(seq), 0) AS seq FROM snapshot_change")
    before = (await cursor.fetchone())["seq"]
    partitions, changes, replaced = _LOG_IMPORTED
    await connection.execute(partitions, (first, last))
    await connection.execute(changes, (first, last))
    await connection.execute(replaced, (first, last, before))


@asynccontextmanager
async def _without_insert_triggers() -> AsyncIterator[None]:
    """SQLite only, inside the import's transaction: the rows go in without the change log's insert triggers (m0013),
    whose work `_log_imported` does once for all of them (an answer's trigger only touches its response, which is
    logged anyway). SQLite has row triggers only, and runs a trigger's program for every row before its condition is
    known: 100,000 responses and their 1.1M answers spent 11 of 21 CPU seconds there. The triggers are dropped and
    made again from their own stored SQL in the same transaction: SQLite's schema changes are transactional, the
    write lock is the import's, and readers keep the committed schema, so no other connection ever sees the tables
    without them, and a failed import rolls the drop back with everything else.
    """
    connection = _transaction().connection
    cursor = await connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
    triggers = [(row["name"], row["sql"]) for row in await cursor.fetchall() if row["name"] in _INSERT_TRIGGERS]
    for name, _ in triggers:
        await connection.execute(f"DROP TRIGGER {name}")
    yield
    for _, sql in triggers:
        await connection.execute(sql)


def _sqlite_time(column: pl.Expr) -> pl.Expr:
    """A UTC time as Piccolo keeps it in SQLite, Python's `str(datetime)`: "2026-03-01 14:05:00+00:00", with six
    digits of the second only when it has a fraction."""
    utc = column.dt.convert_time_zone("UTC")
    return (
        pl.when(utc.dt.microsecond() == 0)
        .then(utc.dt.to_string("%Y-%m-%d %H:%M:%S+00:00"))
        .otherwise(utc.dt.to_string("%Y-%m-%d %H:%M:%S%.6f+00:00"))
    )


async def _numbers(count: int) -> list[int]:
    """The numbers `count` new responses get (m0023): on SQLite the next rowids, which the import's write lock keeps
    its own; on PostgreSQL drawn from the identity's sequence."""
    connection = _transaction().connection
    if isinstance(Answer._meta.db, SQLiteEngine):
        cursor = await connection.execute("SELECT COALESCE(max(number), 0) AS top FROM response")
        top = (await cursor.fetchone())["top"]
        return list(range(top + 1, top + 1 + count))
    rows = await connection.fetch(_NEXT_NUMBERS, count)
    return [row["number"] for row in rows]


async def _insert(responses: pl.DataFrame, answers: pl.DataFrame) -> None:
    """The responses and their answers, with the change log recording each response once instead of once per answer
    (at 100,000 responses, 1.1M answers, that was most of the import's time): on SQLite responses, then answers,
    then one statement logs all the responses (`_log_imported`); on PostgreSQL the answers go first, their key to
    the response checked at the commit (m0024), so their statement trigger finds no counted response to log, then
    the responses, which their own statement trigger logs. Responses go in id order, so the index on the ids is
    written page by page rather than at random, and get their numbers in that order; answers refer to those
    numbers, so they go at the end of their table and index whatever the file's ids (m0023)."""
    sqlite = isinstance(Answer._meta.db, SQLiteEngine)
    numbers = await _numbers(responses.height)
    ordered = responses.sort("response_id").with_columns(number=pl.Series(numbers, dtype=pl.Int64))
    now = datetime.now(UTC)
    inserted = ordered.select(
        id="response_id",
        number="number",
        instrument_version="version_id",
        wave="wave_id",
        organisation="organisation_id",
        unit="unit_id",
        status="status",
        segment="segment",
        # On SQLite as text, the way Piccolo's adapter writes a time: its per-row call took 0.3 s of 100,000 rows.
        submitted_at=_sqlite_time(pl.col("submitted_at")) if sqlite else pl.col("submitted_at"),
        updated_at=pl.lit(str(now) if sqlite else now),
        weight="weight",
    )
    if sqlite:
        # The id index of a large table outgrows SQLite's default 2 MB page cache; this connection is the import's.
        # 32 MB: the answers go at the end of theirs (m0023), and 128 MB took as long and 25 MB more memory.
        await _transaction().connection.execute(f"PRAGMA cache_size = -{_IMPORT_CACHE_KB}")
    # Ids stay text: SQLite keeps them so (Piccolo's own form) and PostgreSQL's COPY parses text into uuid.
    numbered = answers.select("response_id").join(
        ordered.select("response_id", "number"), on="response_id", how="left", maintain_order="left"
    )
    answer_rows = answers.select(
        numbered.get_column("number").alias("response_number"), "item", "value", "na", "text"
    ).sort("response_number", maintain_order=True)
    if not sqlite:
        await _transaction().connection.execute(f"SET CONSTRAINTS {_ANSWER_KEY} DEFERRED")  # until the commit
        await _copy_rows("answer", answer_rows)
        await _copy_rows("response", inserted)
        return
    async with _without_insert_triggers():
        await _copy_rows("response", inserted)
        await _copy_rows("answer", answer_rows)
        if numbers:
            await _log_imported(numbers[0], numbers[-1])


async def _analyse() -> None:
    """PostgreSQL, before an import's transaction: fresh planner statistics for the tables its change-log triggers
    read (m0022, m0023).

    The responses' insert trigger looks each imported response up in the change log. Planned on statistics from
    before the last import (autovacuum analyses a table up to a minute after it grew), it walked the change rows of
    each response's partition instead of the response's own: a second 100,000-response file right after the first,
    into a new database, took 476 s instead of 14 s. ANALYZE samples a bounded number of rows (0.2 s at 200,000
    responses). It runs outside the import's transaction, where it would hold its lock on both tables until the
    commit and keep a second import waiting.
    """
    if not isinstance(Response._meta.db, SQLiteEngine):
        await Response._meta.db.run_ddl(_ANALYSED)


async def import_answers(answers: pl.DataFrame, instruments: Mapping[str, Instrument]) -> ImportOutcome:
    """Store validated answers (`ANSWER_SCHEMA` plus `_row`) in the open database, all or nothing, in one write
    transaction of its own (on PostgreSQL after `_analyse`).

    Responses are stored as counted (a survey `complete`, a scorecard `approved`) with `updated_at` now, so the
    snapshot picks them up at its next read. A response id already stored with the same instrument, wave,
    organisation, unit, segment, submission time, weight and answers is skipped; with anything different,
    ImportConflict lists the rows (and the column, for the segment, time or weight).
    """
    await _analyse()
    async with write_transaction(Answer._meta.db):
        return await _import(answers, instruments)


async def _import(answers: pl.DataFrame, instruments: Mapping[str, Instrument]) -> ImportOutcome:
    outcome = ImportOutcome()
    # Each response once, in id order (the order it is stored in): its first row, whose response-level columns
    # validation made every row of the response agree with. What it names is resolved on these rows, not on every
    # answer: 100,000 rows against 1.1M (the import's work outside its inserts, 0.76 -> 0.37 s).
    responses = answers.filter(pl.col("response_id").is_first_distinct()).sort("response_id")
    versions = await sync_instruments(instruments[key] for key in responses.get_column("instrument").unique().sort())
    organisations = await _organisations(responses.get_column("organisation").unique().sort().to_list(), outcome)
    pairs = responses.select("organisation", "unit").unique().sort("organisation", "unit").rows()
    units = await _units(pairs, organisations, outcome)
    waves = await _waves(responses.get_column("wave").unique().sort().to_list(), outcome)
    unit_ids = pl.DataFrame(
        [(o, u, i) for (o, u), i in units.items()],
        schema={"organisation": pl.String, "unit": pl.String, "unit_id": pl.Int64},
        orient="row",
    )
    responses = responses.join(unit_ids, on=["organisation", "unit"], how="left", maintain_order="left").with_columns(
        organisation_id=pl.col("organisation").replace_strict(
            {given: id_ for given, (id_, _) in organisations.items()}, return_dtype=pl.Int64
        ),
        wave_id=pl.col("wave").replace_strict(waves, return_dtype=pl.Int64),
        version_id=pl.col("instrument").replace_strict(versions, return_dtype=pl.Int64),
        status=pl.col("instrument").replace_strict(
            {key: COUNTED_STATUS[i.kind] for key, i in instruments.items()}, return_dtype=pl.String
        ),
    )
    stored = await _stored(responses.get_column("response_id").to_list())
    conflicts, same = _conflicts(answers, responses, stored)
    if conflicts:
        raise ImportConflict(conflicts)
    outcome.skipped = sorted(same)
    if same:
        responses = responses.filter(~pl.col("response_id").is_in(list(same)))
        answers = answers.filter(~pl.col("response_id").is_in(list(same)))
    await _insert(responses, answers)
    outcome.stored_responses = responses.height
    outcome.stored_answers = answers.height
    return outcome
