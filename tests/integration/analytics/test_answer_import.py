"""`servicescore responses import` and `export answers` against SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import polars as pl
import pytest

from servicescore.db import answers_io
from servicescore.db import engine as engine_module
from servicescore.db.engine import open_database
from servicescore.db.tables import Answer, Organisation, Response, Unit, Wave
from tests.support.cli_runs import invoke

pytestmark = pytest.mark.anyio

HEADER = "response_id,instrument,wave,organisation,unit,item,value,na,text,submitted_at,segment"
R1, R2, R3, R4 = (str(uuid.UUID(int=n, version=4)) for n in (1, 2, 3, 4))


@pytest.fixture
async def engine_env(database_url: str, monkeypatch: pytest.MonkeyPatch, isolated_environment: None) -> str:
    """Commands in the test use this database and the test's data dir; PostgreSQL is migrated first, as `db migrate`
    would."""
    monkeypatch.setenv("SERVICESCORE_DATABASE_URL", database_url)
    migrated = await invoke("db", "migrate")
    assert migrated.exit_code == 0, migrated.output
    return database_url


def _write(path: Path, rows: list[str], header: str = HEADER) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _good_rows() -> list[str]:
    return [
        f"{R1},visitor-survey,2026-Q1,Zorngården,Mora,overall_satisfaction,5,,,2026-03-01T10:00:00Z,",
        f"{R1},visitor-survey,2026-Q1,Zorngården,Mora,staff_welcome,,true,,2026-03-01T10:00:00Z,",
        f"{R1},visitor-survey,2026-Q1,Zorngården,Mora,comment,,,'=2+2 fint,2026-03-01T10:00:00Z,",
        f"{R2},visitor-survey,2026-Q1,Zorngården,Mora,overall_satisfaction,4,,,2026-03-01T11:00:00Z,family",
        f"{R2},visitor-survey,2026-Q1,Zorngården,Mora,recommend,10,,,2026-03-01T11:00:00Z,family",
    ]


async def _counts() -> tuple[int, ...]:
    return (
        await Response.count().run(),
        await Answer.count().run(),
        await Organisation.count().run(),
        await Unit.count().run(),
        await Wave.count().run(),
    )


async def test_long_import_creates_what_it_names_and_skips_a_resend(engine_env: str, tmp_path: Path) -> None:
    path = _write(tmp_path / "answers.csv", _good_rows())
    result = await invoke("responses", "import", str(path))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        'created organisation "zorngarden"',
        'created unit "zorngarden/mora"',
        'created wave "2026-Q1"',
        f"stored 2 responses (5 answers) from {path}",
    ]
    await open_database(engine_env)
    assert await _counts() == (2, 5, 1, 1, 1)
    statuses = {row["status"] for row in await Response.select(Response.status).run()}
    assert statuses == {"complete"}
    texts = [row["text"] for row in await Answer.select(Answer.text).where(Answer.item == "comment").run()]
    assert texts == ["=2+2 fint"]

    again = await invoke("responses", "import", str(path))
    assert again.exit_code == 0, again.output
    assert f"skipped response {R1}: stored before as this file gives it" in again.output
    assert again.output.splitlines()[-1] == f"stored 0 responses (0 answers) from {path}"
    assert await _counts() == (2, 5, 1, 1, 1)

    # The same id with another answer: an error for that row, and nothing of the file is stored.
    changed = _good_rows()
    changed[3] = changed[3].replace("overall_satisfaction,4", "overall_satisfaction,2")
    changed.append(f"{R3},visitor-survey,2026-Q2,Tällberg,Main,overall_satisfaction,3,,,2026-06-01T11:00:00Z,")
    conflict = await invoke("responses", "import", str(_write(tmp_path / "changed.csv", changed)))
    assert conflict.exit_code == 1
    assert (
        f"{tmp_path / 'changed.csv'}: row 5: column response_id: already stored with a different answer to "
        '"overall_satisfaction"' in conflict.output
    )
    assert await _counts() == (2, 5, 1, 1, 1)  # neither R3 nor its organisation, unit or wave


async def test_an_import_numbers_its_responses_after_the_stored_ones_whatever_their_ids(
    engine_env: str, tmp_path: Path
) -> None:
    """Answers refer to their response's number, which grows as responses are stored (m0023): an import's answers
    go at the end of their index even when its ids sort before every stored one. Its times are stored as the ORM
    stores them."""
    later = f"{R3},visitor-survey,2026-Q1,Zorngården,Mora,overall_satisfaction,3,,,2026-03-01T12:00:00.25Z,"
    first = await invoke("responses", "import", str(_write(tmp_path / "later.csv", [later])))
    assert first.exit_code == 0, first.output
    tour = f"{R4},guided-tour,2026-Q1,Zorngården,Mora,started_on_time,yes,,,2026-03-01T09:00:00Z,"
    second = await invoke("responses", "import", str(_write(tmp_path / "earlier.csv", [*_good_rows(), tour])))
    assert second.exit_code == 0, second.output

    await open_database(engine_env)
    numbered = await Response.select(Response.id, Response.status, Response.submitted_at).order_by(Response.number)
    assert [(str(r["id"]), r["status"]) for r in numbered] == [
        (R3, "complete"),
        (R1, "complete"),
        (R2, "complete"),
        (R4, "approved"),  # a scorecard counts when approved
    ], "the first file's first, then the second's in id order"
    assert [r["submitted_at"] for r in numbered] == [
        datetime(2026, 3, 1, 12, 0, 0, 250_000, tzinfo=UTC),
        datetime(2026, 3, 1, 10, tzinfo=UTC),
        datetime(2026, 3, 1, 11, tzinfo=UTC),
        datetime(2026, 3, 1, 9, tzinfo=UTC),
    ]
    stored = await Answer.select(Answer.response_number._.id.as_alias("response"), Answer.item).order_by(Answer.id)
    assert [(str(r["response"]), r["item"]) for r in stored] == [
        (R3, "overall_satisfaction"),
        (R1, "overall_satisfaction"),
        (R1, "staff_welcome"),
        (R1, "comment"),
        (R2, "overall_satisfaction"),
        (R2, "recommend"),
        (R4, "started_on_time"),
    ]
    if engine_env.startswith("sqlite"):
        with closing(sqlite3.connect(engine_module.sqlite_path(engine_env))) as db:
            texts = db.execute("SELECT submitted_at FROM response ORDER BY number").fetchall()
        assert texts == [
            ("2026-03-01 12:00:00.250000+00:00",),
            ("2026-03-01 10:00:00+00:00",),
            ("2026-03-01 11:00:00+00:00",),
            ("2026-03-01 09:00:00+00:00",),
        ]


async def test_rows_split_over_several_statements_are_stored_as_the_file_gives_them(
    engine_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On SQLite the rows go in a thousand at a time, and the rest in a shorter statement: here two at a time, so 3
    responses are one full statement and a rest of one, and 6 answers three full statements."""
    monkeypatch.setattr(answers_io, "_ROWS_PER_STATEMENT", 2)
    tour = f"{R4},guided-tour,2026-Q1,Zorngården,Mora,started_on_time,yes,,,2026-03-01T09:00:00Z,"
    result = await invoke("responses", "import", str(_write(tmp_path / "answers.csv", [*_good_rows(), tour])))
    assert result.exit_code == 0, result.output

    await open_database(engine_env)
    responses = await Response.select(Response.id, Response.segment, Response.status).order_by(Response.number)
    assert [(str(r["id"]), r["segment"], r["status"]) for r in responses] == [
        (R1, None, "complete"),
        (R2, "family", "complete"),
        (R4, None, "approved"),
    ]
    stored = await Answer.select(
        Answer.response_number._.id.as_alias("response"), Answer.item, Answer.value, Answer.na, Answer.text
    ).order_by(Answer.id)
    assert [(str(r["response"]), r["item"], r["value"], bool(r["na"]), r["text"]) for r in stored] == [
        (R1, "overall_satisfaction", 5.0, False, None),
        (R1, "staff_welcome", None, True, None),
        (R1, "comment", None, False, "=2+2 fint"),
        (R2, "overall_satisfaction", 4.0, False, None),
        (R2, "recommend", 10.0, False, None),
        (R4, "started_on_time", 1.0, False, None),
    ]


async def _orphan_answer(steps: list[str]) -> None:
    async with Answer._meta.db.transaction():
        await Answer.insert(Answer(response_number=10**9, item="overall_satisfaction", value=5.0)).run()
        steps.append("inserted")


async def test_outside_an_import_an_answer_without_its_response_is_refused_at_once(engine_env: str) -> None:
    """An import has the answers' key to their response checked at its commit (m0024, PostgreSQL); any other write
    has it checked at the statement, inside a transaction too."""
    await open_database(engine_env)
    steps: list[str] = []
    with pytest.raises(Exception, match=r"(?i)foreign key"):
        await _orphan_answer(steps)
    assert steps == [], "refused at the insert, not at the commit"


async def test_postgresql_imports_plan_on_statistics_that_count_the_last_import(
    engine_env: str, tmp_path: Path
) -> None:
    """The change-log trigger of an import's responses is planned on the tables' statistics: planned on statistics
    from before the last import, a second 100,000-response file right after the first took 476 s instead of 14 s.
    Each import analyses the tables before it starts (`answers_io._analyse`)."""
    if engine_env.startswith("sqlite"):
        pytest.skip("SQLite's import logs its responses in one statement of its own, which no statistics plan")
    await open_database(engine_env)

    async def analysed() -> list[tuple[str, bool]]:
        rows = await Response.raw(
            "SELECT relname, last_analyze IS NOT NULL AS done FROM pg_stat_user_tables"
            " WHERE relname IN ('response', 'snapshot_change') ORDER BY relname"
        )
        return [(row["relname"], row["done"]) for row in rows]

    await Response.raw("SELECT pg_stat_reset()")
    assert await analysed() == [("response", False), ("snapshot_change", False)]
    assert (await invoke("responses", "import", str(_write(tmp_path / "answers.csv", _good_rows())))).exit_code == 0
    assert await analysed() == [("response", True), ("snapshot_change", True)]


def _resent(change: str) -> list[str]:
    """The good file sent again with one change, and a weight column (1, as stored); R1 is rows 2-4, R2 rows 5-6."""
    rows = _good_rows()
    if change == "another wave":
        rows[3:] = [row.replace(",2026-Q1,", ",2026-Q2,") for row in rows[3:]]
    elif change == "another unit":
        rows[3:] = [row.replace(",Mora,", ",Rättvik,") for row in rows[3:]]
    elif change == "an answer less":
        del rows[2]
    elif change == "an answer more":
        rows.append(f"{R1},visitor-survey,2026-Q1,Zorngården,Mora,recommend,9,,,2026-03-01T10:00:00Z,")
    elif change == "another segment":
        rows[3:] = [row.replace(",family", ",alone") for row in rows[3:]]
    elif change == "another submission time":
        rows[3:] = [row.replace("T11:00:00Z", "T11:00:01Z") for row in rows[3:]]
    return [f"{row},2" if change == "another weight" and row.startswith(R2) else f"{row},1" for row in rows]


RESENT: list[tuple[str, list[str]]] = [
    (
        "another wave",
        [
            "row 5: column response_id: already stored with another instrument, wave, organisation or unit",
            "row 6: column response_id: already stored with another instrument, wave, organisation or unit",
        ],
    ),
    (
        "another unit",
        [
            "row 5: column response_id: already stored with another instrument, wave, organisation or unit",
            "row 6: column response_id: already stored with another instrument, wave, organisation or unit",
        ],
    ),
    (
        "an answer less",
        ['row 2: column response_id: already stored with an answer to "comment" that this file lacks'],
    ),
    (
        "an answer more",
        ['row 7: column response_id: already stored without an answer to "recommend"'],
    ),
    *(
        (
            f"another {what}",
            [f"row {row}: column {column}: already stored with another {what}" for row in (5, 6)],
        )
        for what, column in (("segment", "segment"), ("submission time", "submitted_at"), ("weight", "weight"))
    ),
]


@pytest.mark.parametrize(("change", "lines"), RESENT, ids=[r[0] for r in RESENT])
async def test_a_response_sent_again_with_other_content_is_named_row_by_row(
    engine_env: str, tmp_path: Path, change: str, lines: list[str]
) -> None:
    """Each way a response stored before can differ from the file's is told at the rows that differ (or the
    response's first row, for an answer the file lacks), and nothing of the file is stored."""
    assert (await invoke("responses", "import", str(_write(tmp_path / "first.csv", _good_rows())))).exit_code == 0
    path = _write(tmp_path / "again.csv", _resent(change), f"{HEADER},weight")
    result = await invoke("responses", "import", str(path))
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if line.startswith(str(path))] == [
        *(f"{path}: {line}" for line in lines),
        f"{path}: {len(lines)} problem(s); nothing was stored",
    ]
    await open_database(engine_env)
    assert await _counts() == (2, 5, 1, 1, 1)


async def test_a_response_sent_again_as_it_was_stored_is_skipped(engine_env: str, tmp_path: Path) -> None:
    """The same responses, their times written in another zone and their weight as stored (1), are skipped."""
    assert (await invoke("responses", "import", str(_write(tmp_path / "first.csv", _good_rows())))).exit_code == 0
    rows = [
        row.replace("T10:00:00Z", "T11:00:00+01:00").replace("T11:00:00Z", "T13:00:00+02:00") for row in _good_rows()
    ]
    result = await invoke(
        "responses", "import", str(_write(tmp_path / "again.csv", [f"{r},1.0" for r in rows], f"{HEADER},weight"))
    )
    assert result.exit_code == 0, result.output
    assert [line for line in result.output.splitlines() if line.startswith("skipped")] == [
        f"skipped response {R1}: stored before as this file gives it",
        f"skipped response {R2}: stored before as this file gives it",
    ]
    await open_database(engine_env)
    assert await _counts() == (2, 5, 1, 1, 1)


async def _logged(response_id: str) -> list[tuple[int, int | None]]:
    rows = await Response.raw("SELECT seq, first_seq FROM snapshot_change WHERE response = {}", response_id)
    return [(row["seq"], row["first_seq"]) for row in rows]


async def test_an_import_logs_each_response_as_the_insert_trigger_would(engine_env: str, tmp_path: Path) -> None:
    """The change log after an import (one statement on SQLite, the triggers on PostgreSQL): the partition's version
    moves, one change row per response, first logged at its own seq; a response erased and imported again keeps the
    seq it was first logged at, in one row."""
    path = _write(tmp_path / "answers.csv", _good_rows())
    assert (await invoke("responses", "import", str(path))).exit_code == 0
    await open_database(engine_env)
    (partition,) = await Response.raw("SELECT version FROM snapshot_partition")
    assert partition["version"] >= 1
    ((first_r1, own),) = await _logged(R1)
    assert own is None, "a response entering its partition starts at its own seq"
    assert len(await _logged(R2)) == 1

    await Response.delete().where(Response.id == R1).run()
    assert (await invoke("responses", "import", str(path))).exit_code == 0
    ((again, carried),) = await _logged(R1)
    assert again > first_r1
    assert carried == first_r1, "logged since its first seq, the row of its erasure gone"
    (moved,) = await Response.raw("SELECT version FROM snapshot_partition")
    assert moved["version"] >= partition["version"] + 2  # its erasure, its import again


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "parquet"])
async def test_wide_files_of_every_format(engine_env: str, tmp_path: Path, file_format: str) -> None:
    wide = pl.DataFrame(
        {
            "response_id": [R1, R2, R3],
            "wave": ["2026-Q1"] * 3,
            "organisation": ["zorngarden"] * 3,
            "unit": ["mora"] * 3,
            "submitted_at": ["2026-03-01T10:00:00Z"] * 3,
            "segment": [None, "family", None],
            "proud_of_service": ["5", "4", "N/A"],
            "motivated": ["4", "4", "3"],
            "recommend_employer": ["10", None, "6"],
        }
    )
    path = tmp_path / f"wide.{file_format}"
    if file_format == "csv":
        wide.write_csv(path)
    elif file_format == "xlsx":
        wide.write_excel(path)
    else:
        wide.write_parquet(path)
    result = await invoke("responses", "import", str(path), "--instrument", "employee-pulse")
    # N/A is refused where the item does not allow it: proud_of_service has no na_allowed.
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f'{path}: row 4: column proud_of_service: item "proud_of_service" does not allow N/A'
    )
    wide = wide.with_columns(pl.col("proud_of_service").replace("N/A", "2"))
    if file_format == "csv":
        wide.write_csv(path)
    elif file_format == "xlsx":
        wide.write_excel(path)
    else:
        wide.write_parquet(path)
    result = await invoke("responses", "import", str(path), "--instrument", "employee-pulse")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == f"stored 3 responses (8 answers) from {path}"
    scores = await invoke(
        "scores", "--instrument", "employee-pulse", "--by", "organisation", "--format", "json", "--min-n", "3"
    )
    table = pl.read_json(scores.stdout.encode())
    n = dict(zip(table.get_column("item"), table.get_column("n"), strict=True))
    assert n == {"proud_of_service": 3, "motivated": 3, "recommend_employer": 2}


def _triggers(path: Path) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").fetchall()


async def test_sqlite_runs_no_trigger_program_per_imported_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite runs a row trigger's program for every row, even when its condition then does nothing: with the
    change log's insert triggers, 100,000 responses (1.1M answers) spent half their storing time there. The rows
    of a table go in one multi-row statement, run once and starting no trigger program (SQLite would report each
    as another run of it); the import still logs each response once, and the triggers are there again, unchanged,
    after the import."""
    database = tmp_path / "data" / "servicescore.sqlite3"
    monkeypatch.setenv("SERVICESCORE_DATABASE_URL", f"sqlite:///{database}")
    assert (await invoke("db", "migrate")).exit_code == 0
    before = _triggers(database)
    traced: list[str] = []

    class Traced(engine_module._DurableConnection):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            # SQLite reports a trigger program's start as another run of the statement that fired it.
            self.set_trace_callback(traced.append)

    monkeypatch.setattr(engine_module, "_DurableConnection", Traced)
    result = await invoke("responses", "import", str(_write(tmp_path / "answers.csv", _good_rows())))
    assert result.exit_code == 0, result.output
    assert len([s for s in traced if s.startswith("INSERT INTO answer ")]) == 1
    assert len([s for s in traced if s.startswith("INSERT INTO response ")]) == 1
    assert _triggers(database) == before
    with closing(sqlite3.connect(database)) as connection:
        logged = connection.execute("SELECT response FROM snapshot_change ORDER BY response").fetchall()
    assert logged == [(R1,), (R2,)]


BAD: list[tuple[str, str, str]] = [
    (
        "unknown item",
        f"{R3},visitor-survey,2026-Q1,zorngarden,mora,nope,3,,,,",
        'column item: instrument "visitor-survey" has no item "nope"',
    ),
    (
        "out of scale",
        f"{R3},visitor-survey,2026-Q1,zorngarden,mora,overall_satisfaction,0,,,,",
        "column value: must be between 1 and 5 (got 0)",
    ),
    (
        "not a number",
        f"{R3},visitor-survey,2026-Q1,zorngarden,mora,recommend,ten,,,,",
        'column value: "ten" is not a number',
    ),
    (
        "N/A not allowed",
        f"{R3},visitor-survey,2026-Q1,zorngarden,mora,recommend,,1,,,",
        'column na: item "recommend" does not allow N/A',
    ),
    (
        "bad choice",
        f"{R3},visitor-survey,2026-Q1,zorngarden,mora,visit_type,,,guided,,",
        'column text: "guided" is not among the choices: first_visit, returning',
    ),
    (
        "two choices",
        f"{R3},visitor-survey,2026-Q1,zorngarden,mora,visit_type,,,first_visit;returning,,",
        'column text: item "visit_type" takes one choice',
    ),
    (
        "text too long",
        f"{R3},visitor-survey,2026-Q1,zorngarden,mora,comment,,,{'x' * 2001},,",
        "column text: longer than 2000 characters (2001)",
    ),
    (
        "bad UUID",
        "abc,visitor-survey,2026-Q1,zorngarden,mora,recommend,5,,,,",
        'column response_id: "abc" is not a UUID',
    ),
    (
        "unknown instrument",
        f"{R3},visitors,2026-Q1,zorngarden,mora,recommend,5,,,,",
        'column instrument: unknown instrument "visitors"',
    ),
    (
        "bad time",
        f"{R3},visitor-survey,2026-Q1,zorngarden,mora,recommend,5,,,31/12/2026,",
        'column submitted_at: "31/12/2026" is not a date and time',
    ),
    ("empty unit", f"{R3},visitor-survey,2026-Q1,zorngarden,,recommend,5,,,,", "column unit: is empty"),
    (
        "whole number",
        f"{R3},visitor-survey,2026-Q1,zorngarden,mora,recommend,7.5,,,,",
        "column value: must be a whole number (got 7.5)",
    ),
]


@pytest.mark.parametrize(("case", "bad_row", "message"), BAD, ids=[b[0] for b in BAD])
async def test_a_bad_row_stores_nothing(engine_env: str, tmp_path: Path, case: str, bad_row: str, message: str) -> None:
    assert (await invoke("responses", "import", str(_write(tmp_path / "good.csv", _good_rows())))).exit_code == 0
    await open_database(engine_env)
    before = await _counts()
    # A new organisation and wave in good rows around the bad one: none of them may be created.
    rows = [
        f"{R3},visitor-survey,2027-Q1,Nya AB,Hus 1,overall_satisfaction,4,,,,",
        bad_row.replace(R3, str(uuid.uuid4())) if case != "bad UUID" else bad_row,
        f"{uuid.uuid4()},visitor-survey,2027-Q1,Nya AB,Hus 1,overall_satisfaction,4,,,,",
    ]
    path = _write(tmp_path / "bad.csv", rows)
    result = await invoke("responses", "import", str(path))
    assert result.exit_code == 1, case
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{path}: row 3: {message}"), lines
    assert lines[-1] == f"{path}: 1 problem(s); nothing was stored"
    assert await _counts() == before


async def test_export_import_round_trip_gives_identical_scores(
    engine_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = __import__("random").Random(7)
    rows = []
    for n in range(60):
        rid = str(uuid.UUID(int=1000 + n, version=4))
        organisation, wave = ("zorngarden", "carl-larssons-gard")[n % 2], ("2026-Q1", "2026-Q2")[n % 3 == 0]
        when = f"2026-0{3 + n % 3}-01T10:{n % 60:02d}:00Z"
        common = f"{rid},visitor-survey,{wave},{organisation},main"
        rows.append(f"{common},overall_satisfaction,{rng.randint(1, 5)},,,{when},")
        rows.append(f"{common},recommend,{rng.randint(0, 10)},,,{when},")
        rows.append(
            f"{common},staff_welcome,,true,,{when},"
            if n % 5 == 0
            else f"{common},staff_welcome,{rng.randint(1, 5)},,,{when},"
        )
        rows.append(f"{common},comment,,,{'-' if n % 4 == 0 else ''}kommentar {n},{when},")
    assert (await invoke("responses", "import", str(_write(tmp_path / "in.csv", rows)))).exit_code == 0
    arguments = ("scores", "--instrument", "visitor-survey", "--by", "organisation", "--format", "csv")
    original = (await invoke(*arguments)).stdout
    original_sections = (await invoke(*arguments, "--level", "overall")).stdout
    for file_format in ("csv", "xlsx", "parquet"):
        exported = tmp_path / f"out.{file_format}"
        result = await invoke("export", "answers", "--format", file_format, "-o", str(exported))
        assert result.output.strip() == f"wrote 240 answers of 60 responses to {exported}"
        # Into an empty embedded database of its own.
        monkeypatch.setenv("SERVICESCORE_DATA_DIR", str(tmp_path / f"copy-{file_format}"))
        monkeypatch.delenv("SERVICESCORE_DATABASE_URL")
        imported = await invoke("responses", "import", str(exported))
        assert imported.exit_code == 0, imported.output
        assert (await invoke(*arguments)).stdout == original
        assert (await invoke(*arguments, "--level", "overall")).stdout == original_sections
        again = tmp_path / f"again.{file_format}"
        await invoke("export", "answers", "-o", str(again))
        if file_format == "parquet":
            assert pl.read_parquet(again).equals(pl.read_parquet(exported))
        elif file_format == "xlsx":
            assert pl.read_excel(again).equals(pl.read_excel(exported))
        else:
            assert again.read_bytes() == exported.read_bytes()
        monkeypatch.setenv("SERVICESCORE_DATABASE_URL", engine_env)
        monkeypatch.setenv("SERVICESCORE_DATA_DIR", str(tmp_path / "data"))


async def test_an_xlsx_export_larger_than_a_sheet_is_refused_before_anything_is_written(
    engine_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 1M responses `export answers --format xlsx` ended in a traceback after 8 s and 3.6 GB: the whole file was
    built before Polars' writer found 11,022,022 rows too many for a sheet. The count is asked first now."""
    rows = [
        f"{uuid.UUID(int=2000 + n, version=4)},visitor-survey,2026-Q1,zorngarden,main,overall_satisfaction,"
        f"{n % 5 + 1},,,2026-03-01T10:00:00Z,"
        for n in range(4)
    ]
    assert (await invoke("responses", "import", str(_write(tmp_path / "in.csv", rows)))).exit_code == 0
    exported = tmp_path / "out.xlsx"
    monkeypatch.setattr("servicescore.cli.export.MAX_ROWS", 4)  # a sheet of a header and three rows
    refused = await invoke("export", "answers", "-o", str(exported))
    assert refused.exit_code == 1
    assert f"{exported}: an XLSX sheet holds at most 3 rows and this export has 4 answers; choose" in refused.output
    assert "Traceback" not in refused.output
    assert not exported.exists()
    monkeypatch.setattr("servicescore.cli.export.MAX_ROWS", 5)
    written = await invoke("export", "answers", "-o", str(exported))
    assert written.exit_code == 0, written.output
    assert pl.read_excel(exported).get_column("value").to_list() == [1.0, 2.0, 3.0, 4.0]


async def test_a_snapshot_made_from_another_database_is_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_environment: None
) -> None:
    """One data dir, its database URL changed: the snapshot the data dir holds was made from the other database, whose
    partitions carry the same versions and change numbers (the same writes), so only the database's identity tells
    them apart. The export, the scores and a report's cache key must be the new database's."""

    async def import_and_export(name: str, ids: tuple[str, str]) -> set[str]:
        monkeypatch.setenv("SERVICESCORE_DATABASE_URL", f"sqlite:///{tmp_path / name}")
        assert (await invoke("db", "migrate")).exit_code == 0
        rows = [
            f"{rid},visitor-survey,2026-Q1,Zorngården,Mora,overall_satisfaction,{value},,,2026-03-01T10:00:00Z,"
            for rid, value in zip(ids, (5, 4), strict=True)
        ]
        assert (await invoke("responses", "import", str(_write(tmp_path / f"{name}.csv", rows)))).exit_code == 0
        exported = tmp_path / f"{name}-export.csv"
        assert (await invoke("export", "answers", "-o", str(exported))).exit_code == 0
        return {line.split(",")[0] for line in exported.read_text(encoding="utf-8").splitlines()[1:]}

    assert await import_and_export("a.sqlite3", (R1, R2)) == {R1, R2}
    r4 = str(uuid.UUID(int=4, version=4))
    assert await import_and_export("b.sqlite3", (R3, r4)) == {R3, r4}  # the old code exported R1 and R2 again


async def test_postgresql_answer_triggers_read_the_statements_responses_not_the_table(
    engine_env: str, tmp_path: Path
) -> None:
    """The change log's answer triggers look up the responses a statement's answers belong to (m0025). They joined
    every answer to the response table, which the planner did by reading the whole table, three times, for a
    statement of many answers: an import's answers (copied before their responses, m0024) read 1.5M stored responses
    three times (1.7 s), more with every import. Here 200,000 such answers over 200,000 stored counted responses read
    none of the table row by row."""
    if engine_env.startswith("sqlite"):
        pytest.skip("SQLite's answer triggers are row triggers that touch their response by number")
    assert (await invoke("responses", "import", str(_write(tmp_path / "answers.csv", _good_rows())))).exit_code == 0
    connection = await asyncpg.connect(engine_env)
    try:
        await connection.execute(
            "INSERT INTO response (instrument_version, wave, organisation, unit, status, submitted_at)"
            " SELECT instrument_version, wave, organisation, unit, status, submitted_at"
            " FROM (SELECT * FROM response LIMIT 1) r, generate_series(1, 200000)"
        )
        await connection.execute("ANALYZE response")
        last = await connection.fetchval("SELECT max(number) FROM response")

        async def rows_scanned() -> int:
            await connection.execute("SELECT pg_stat_force_next_flush()")  # flushed when the backend is idle
            await connection.execute("SELECT pg_stat_clear_snapshot()")
            found = await connection.fetchval("SELECT seq_tup_read FROM pg_stat_user_tables WHERE relname = 'response'")
            return int(found)

        before = await rows_scanned()
        importing = connection.transaction()  # as an import does, the responses left out: rolled back
        await importing.start()
        await connection.execute("SET CONSTRAINTS answer_response_number_fkey DEFERRED")
        await connection.execute(
            "INSERT INTO answer (response_number, item, value) SELECT n, 'overall_satisfaction', 4"
            " FROM generate_series($1::bigint + 1, $1::bigint + 200000) n",
            last,
        )
        await importing.rollback()
        assert await rows_scanned() == before, "the old triggers read 600,000 rows: the table, three times"
    finally:
        await connection.close()
