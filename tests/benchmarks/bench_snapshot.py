"""Benchmark: the columnar snapshot's refresh cost on SQLite.

Run: ``python tests/benchmarks/bench_snapshot.py [--answers 1000000]``. Not collected by pytest. Works in a
scratch folder under /tmp (rebuilt each run) and prints:

(a) commit → scores for one new response: a committed response's first appearance in `scores` (the snapshot
    rebuilds the one stale partition, then scores read Parquet);
(b) commit → scores after a 100,000-row import (the import itself is timed apart: read, validate, store);
(c) full snapshot build for the demo world and for the demo world grown to about `--answers` answers;
(d) the reader choice: the same counted answers fetched through Python's sqlite3 into Polars vs ConnectorX.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sqlite3
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from click.testing import CliRunner

from servicescore.cli import cli
from servicescore.collections.answers import StoredAnswer
from servicescore.db.engine import open_database, sqlite_path, write_transaction
from servicescore.db.migrate import migrate
from servicescore.db.responses import insert_responses
from servicescore.db.tables import InstrumentVersion, Organisation, Response, Unit, Wave
from servicescore.definitions import load_instruments
from servicescore.demo.seed import seed_demo
from servicescore.interchange.columns import LONG_COLUMNS
from servicescore.scoring import scores
from servicescore.settings import CHECKOUT_DIR, Settings
from servicescore.snapshot import catalogue, load_answers, refresh_snapshot

ROOT = Path("/tmp/servicescore-bench-snapshot")
PULSE_ITEMS = (
    "proud_of_service",
    "motivated",
    "leadership_priority",
    "systems_support",
    "information_access",
    "mandate_to_solve",
    "clear_responsibilities",
    "manager_takes_escalations",
    "training_sufficient",
    "room_to_grow",
    "overall_engagement",
    "recommend_employer",
)


def _settings(name: str) -> Settings:
    folder = ROOT / name
    return Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'servicescore.sqlite3'}")


async def _seed(settings: Settings) -> None:
    engine = await open_database(settings.database)
    await migrate()
    instruments = {i.id: i for i in load_instruments(CHECKOUT_DIR / "surveys")}
    await seed_demo(engine, instruments)


def _grow(settings: Settings, answers: int) -> int:
    """Copy the demo responses (new ids) until the answer table holds about `answers` rows; returns the count."""
    with sqlite3.connect(sqlite_path(settings.database)) as db:
        have = db.execute("SELECT count(*) FROM answer").fetchone()[0]
        copies = max(0, round(answers / have) - 1)
        db.execute("CREATE TEMP TABLE base AS SELECT rowid AS k, * FROM response")
        db.execute("CREATE TEMP TABLE abase AS SELECT * FROM answer")
        columns = "instrument_version, wave, organisation, unit, status, segment, language, submitted_at, updated_at"
        for copy in range(1, copies + 1):
            new_id = f"substr(id, 1, 24) || printf('%012d', {copy} * 1000000 + k)"
            db.execute(f"INSERT INTO response (id, {columns}, weight) SELECT {new_id}, {columns}, weight FROM base")
            db.execute(
                "INSERT INTO answer (response_number, item, value, na, text)"
                " SELECT n.number, a.item, a.value, a.na, a.text"
                " FROM abase a JOIN base b ON b.number = a.response_number"
                f" JOIN response n ON n.id = substr(b.id, 1, 24) || printf('%012d', {copy} * 1000000 + b.k)"
            )
        return int(db.execute("SELECT count(*) FROM answer").fetchone()[0])


def _full_build(settings: Settings) -> tuple[float, int]:
    shutil.rmtree(settings.snapshot_dir, ignore_errors=True)
    started = time.perf_counter()
    report = refresh_snapshot(settings)
    return time.perf_counter() - started, report.rows_written


def _pulse_n(settings: Settings) -> int:
    items = catalogue(settings, ["employee-pulse"])
    table = scores(load_answers(settings, "employee-pulse"), items, ["organisation"], "overall").collect()
    return int(table.get_column("n").sum())


async def _one_response(settings: Settings) -> None:
    engine = await open_database(settings.database)
    version = (
        await InstrumentVersion.select(InstrumentVersion.id)
        .where(InstrumentVersion.instrument._.key == "employee-pulse")
        .first()
    )
    organisation = await Organisation.select(Organisation.id).first()
    unit = await Unit.select(Unit.id).where(Unit.organisation == organisation["id"]).first()
    wave = await Wave.select(Wave.id).order_by(Wave.key, ascending=False).first()
    response_id = str(uuid.uuid4())
    now = datetime.now(UTC)
    response = Response(
        id=response_id,
        instrument_version=version["id"],
        wave=wave["id"],
        organisation=organisation["id"],
        unit=unit["id"],
        status="complete",
        submitted_at=now,
        updated_at=now,
    )
    async with write_transaction(engine):
        await insert_responses([(response, {i: StoredAnswer(4.0) for i in PULSE_ITEMS})])


def _import_file(settings: Settings, responses: int) -> Path:
    """A long CSV of `responses` employee-pulse responses × 12 items, in an existing organisation and a new wave."""
    with sqlite3.connect(sqlite_path(settings.database)) as db:
        organisation, unit = db.execute(
            "SELECT o.slug, u.slug FROM unit u JOIN organisation o ON o.id = u.organisation LIMIT 1"
        ).fetchone()
    ids = [str(uuid.uuid4()) for _ in range(responses)]
    frame = pl.DataFrame({"response_id": ids}).join(pl.DataFrame({"item": list(PULSE_ITEMS)}), how="cross")
    frame = frame.with_columns(
        instrument=pl.lit("employee-pulse"),
        wave=pl.lit("2027-Q1"),
        organisation=pl.lit(organisation),
        unit=pl.lit(unit),
        value=(pl.int_range(pl.len()) % 5 + 1).cast(pl.String),
        na=pl.lit(""),
        text=pl.lit(""),
        submitted_at=pl.lit("2027-02-01T10:00:00Z"),
        segment=pl.lit(""),
    ).with_columns(
        pl.when(pl.col("item") == "recommend_employer")
        .then((pl.int_range(pl.len()) % 11).cast(pl.String))
        .otherwise(pl.col("value"))
        .alias("value")
    )
    path = ROOT / "import-100k.csv"
    frame.select(LONG_COLUMNS).write_csv(path)
    return path


def _readers(settings: Settings) -> tuple[float, float]:
    query = (
        "SELECT r.id AS response_id, w.key AS wave, o.slug AS organisation, u.slug AS unit, r.segment, a.item,"
        " a.value, a.na, a.text, r.submitted_at, r.weight FROM answer a JOIN response r ON a.response_number = r.number"
        " JOIN wave w ON w.id = r.wave JOIN organisation o ON o.id = r.organisation JOIN unit u ON u.id = r.unit"
        " WHERE r.status IN ('complete', 'approved')"
    )
    started = time.perf_counter()
    with sqlite3.connect(sqlite_path(settings.database)) as db:
        cursor = db.execute(query)
        names = [d[0] for d in cursor.description]
        pl.DataFrame(cursor.fetchall(), schema=names, orient="row", infer_schema_length=None)
    python = time.perf_counter() - started
    started = time.perf_counter()
    pl.read_database_uri(query, f"sqlite://{sqlite_path(settings.database)}", engine="connectorx")
    return python, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=1_000_000, help="size of the grown database")
    parser.add_argument("--import-responses", type=int, default=8_334, help="× 12 items ≈ 100,000 rows")
    options = parser.parse_args()
    shutil.rmtree(ROOT, ignore_errors=True)
    ROOT.mkdir(parents=True)

    demo = _settings("demo")
    asyncio.run(_seed(demo))
    seconds, rows = _full_build(demo)
    print(f"(c) full snapshot build, demo world: {rows:,} answers in {seconds:.2f} s")

    before = _pulse_n(demo)
    started = time.perf_counter()
    asyncio.run(_one_response(demo))
    committed = time.perf_counter()
    after = _pulse_n(demo)
    done = time.perf_counter()
    assert after == before + 1, (before, after)
    print(f"(a) one new response: commit {committed - started:.3f} s, commit → scores {done - committed:.3f} s")

    path = _import_file(demo, options.import_responses)
    runner = CliRunner(env={"SERVICESCORE_DATA_DIR": str(demo.data_dir), "SERVICESCORE_DATABASE_URL": demo.database})
    started = time.perf_counter()
    result = runner.invoke(cli, ["responses", "import", str(path)], catch_exceptions=False)
    committed = time.perf_counter()
    assert result.exit_code == 0, result.output
    after_import = _pulse_n(demo)
    done = time.perf_counter()
    assert after_import == after + options.import_responses, (after, after_import)
    rows = options.import_responses * len(PULSE_ITEMS)
    print(
        f"(b) import of {rows:,} rows: read + validate + store {committed - started:.2f} s; "
        f"commit → scores {done - committed:.3f} s"
    )

    grown = _settings("grown")
    shutil.copytree(demo.data_dir, grown.data_dir, ignore=shutil.ignore_patterns("snapshot"))
    total = _grow(grown, options.answers)
    seconds, rows = _full_build(grown)
    print(f"(c) full snapshot build, grown: {rows:,} counted answers of {total:,} in {seconds:.2f} s")
    python, connectorx = _readers(grown)
    print(f"(d) counted answers out of SQLite: sqlite3 → Polars {python:.2f} s, ConnectorX {connectorx:.2f} s")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
