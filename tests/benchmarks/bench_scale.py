"""Benchmark: the analytics data path at scale (issue 16's table), on SQLite and on PostgreSQL.

Run: ``python tests/benchmarks/bench_scale.py [--responses 1000000] [--engines sqlite,postgresql]``. Not collected
by pytest. PostgreSQL is measured when `SERVICESCORE_DATABASE_URL` names a server (a scratch database is created
on it and dropped at the end). Works under /tmp/servicescore-bench-scale (rebuilt each run).

The visitor survey's responses (11 answers each) are generated as long CSV files of at most 100,000 responses and
stored with `servicescore responses import`, each file's rate printed as the table grows (`--time-ordered-ids`:
UUIDv7-like ids, which keep PostgreSQL's rate from falling, instead of random ones). Then each measure of the
issue's table is printed beside its goal and, where one exists, a baseline measured in the same run, with the
1-minute load average at the time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import polars as pl

ROOT = Path("/tmp/servicescore-bench-scale")
CHUNK = 100_000  # responses per imported file
WAVES = ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")
ORGANISATIONS = 40
UNITS = 5
RATINGS = (
    "staff_welcome",
    "guide_rating",
    "information_before",
    "waiting_time",
    "value_for_money",
    "cafe_and_shop",
    "overall_satisfaction",
)
VISITED_WITH = ("alone", "partner_friends", "family_children", "organised_group")
PASSWORD = "bench scale"
SCRATCH = "servicescore_bench_scale"  # the PostgreSQL database the benchmark makes, and drops at the end


def _mixed(column: str, salt: int, modulo: int) -> pl.Expr:
    """A deterministic, well-spread value in 0..modulo-1 of an integer column."""
    return ((pl.col(column) * 2_654_435_761 + salt * 40_503) % 1_000_003 % modulo).cast(pl.Int64)


def visitor_frame(first: int, count: int, time_ordered: bool = False) -> pl.DataFrame:
    """`count` completed visitor-survey responses numbered from `first`, 11 answers each, in the long layout.

    Ids are random UUIDs, as respondents' browsers make them, or time-ordered (UUIDv7-like) with `time_ordered`."""
    numbers = range(first, first + count)
    if time_ordered:
        base = 1_767_225_600_000  # 2026-01-01 in ms
        ids = [str(uuid.UUID(int=((base + k) << 80) | (0x7 << 76) | (2 << 62) | k)) for k in numbers]
    else:
        ids = [str(uuid.uuid4()) for _ in numbers]
    responses = pl.DataFrame({"k": pl.int_range(first, first + count, eager=True), "response_id": ids}).with_columns(
        wave=pl.lit(pl.Series(WAVES)).gather(pl.col("k") % len(WAVES)),
        organisation=pl.format("Bench organisation {}", _mixed("k", 1, ORGANISATIONS)),
        unit=pl.format("Unit {}", _mixed("k", 2, UNITS)),
        submitted_at=pl.format("2026-0{}-1{}T10:{}:00Z", pl.col("k") % 9 + 1, pl.col("k") % 10, pl.col("k") % 50 + 10),
        segment=pl.when(_mixed("k", 3, 2) == 0).then(pl.lit("returning")).otherwise(pl.lit("first_visit")),
    )
    items = pl.DataFrame({"item": ["visit_type", "visited_with", *RATINGS, "recommend", "contact_consent"]})
    spread = pl.col("k") * 2_654_435_761 + pl.col("item").str.len_bytes() * 7_919
    rating = (spread % 1_000_003 % 7 + 1).clip(1, 5).cast(pl.Int64)  # leaning to 4 and 5, as visitors do
    item = pl.col("item")
    frame = responses.join(items, how="cross").with_columns(
        value=pl.when(item.is_in(RATINGS))
        .then(rating.cast(pl.String))
        .when(item == "recommend")
        .then(_mixed("k", 11, 11).cast(pl.String))
        .when(item == "contact_consent")
        .then((_mixed("k", 13, 5) == 0).cast(pl.Int64).cast(pl.String)),
        text=pl.when(item == "visit_type")
        .then(pl.col("segment"))
        .when(item == "visited_with")
        .then(pl.lit(pl.Series(VISITED_WITH)).gather(_mixed("k", 17, len(VISITED_WITH)))),
        na=pl.lit(None, pl.String),
        instrument=pl.lit("visitor-survey"),
    )
    columns = ["response_id", "instrument", "wave", "organisation", "unit", "item", "value", "na", "text"]
    return frame.select(*columns, "submitted_at", "segment")


def visitor_file(path: Path, first: int, count: int, time_ordered: bool = False) -> Path:
    visitor_frame(first, count, time_ordered).write_csv(path)
    return path


def _load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def _line(measure: str, value: str, goal: str, baseline: str = "") -> None:
    print(f"  {measure:44} {value:>22}  goal {goal:22} {baseline:40} {_load()}", flush=True)


@contextmanager
def _timer() -> Iterator[list[float]]:
    box: list[float] = []
    started = time.perf_counter()
    yield box
    box.append(time.perf_counter() - started)


def _child(argv: list[str], env: dict[str, str], stdin: str = "") -> tuple[float, float, str]:
    """A fresh process: its seconds, its own peak RSS in MB, its output. The peak comes from GNU time: Linux keeps
    a process's peak across exec, so wait4 or RUSAGE_CHILDREN would report this (large) benchmark's own peak."""
    peak_file = ROOT / "peak.txt"
    started = time.perf_counter()
    completed = subprocess.run(
        ["/usr/bin/time", "-f", "%M", "-o", str(peak_file), *argv],
        env=env,
        input=stdin.encode(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        check=False,
    )
    seconds = time.perf_counter() - started
    output = completed.stdout.decode()
    if completed.returncode:
        raise SystemExit(f"{' '.join(argv)} failed:\n{output}")
    return seconds, int(peak_file.read_text().split()[-1]) / 1024, output


def _run(env: dict[str, str], *args: str, stdin: str = "") -> tuple[float, float, str]:
    """A `servicescore` command, end to end (start-up included)."""
    return _child([sys.executable, "-m", "servicescore", *args], env, stdin)


def _python(env: dict[str, str], code: str) -> tuple[float, float]:
    """Python code in a fresh process that prints the seconds of its own timed part last (imports not timed)."""
    _, peak, output = _child([sys.executable, "-c", code], env)
    return float(output.split()[-1]), peak


def _on_server(base: str, *statements: str) -> None:
    import asyncpg

    async def run() -> None:
        connection = await asyncpg.connect(base)
        try:
            for statement in statements:
                await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(run())


def _scratch_database(base: str, name: str) -> str:
    """A fresh database `name` on the server of `base`; its URL."""
    _on_server(base, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}")
    return base.rsplit("/", 1)[0] + "/" + name


def _populate(env: dict[str, str], folder: Path, total: int, time_ordered: bool) -> None:
    """`total` responses through `responses import`, one file of at most CHUNK responses at a time."""
    chunk = min(CHUNK, total)
    for first in range(0, total, chunk):
        path = visitor_file(folder / "import.csv", first, min(chunk, total - first), time_ordered)
        seconds, peak, _ = _run(env, "responses", "import", str(path))
        count = min(chunk, total - first)
        _line(
            f"import responses {first + 1:,}–{first + count:,}",
            f"{count / seconds:,.0f}/s {peak:,.0f} MB",
            "≥ 10,000/s, < 1 GB",
            f"{seconds:.1f} s",
        )
        path.unlink()


def _counted_query() -> str:
    return (
        "SELECT CAST(r.id AS TEXT) AS response_id, w.key AS wave, o.slug AS organisation, u.slug AS unit,"
        " r.segment AS segment, a.item AS item, a.value AS value, a.na AS na, a.text AS text,"
        " r.submitted_at AS submitted_at, r.weight AS weight"
        " FROM answer a JOIN response r ON a.response_number = r.number"
        " JOIN wave w ON w.id = r.wave JOIN organisation o ON o.id = r.organisation JOIN unit u ON u.id = r.unit"
        " WHERE r.status IN ('complete', 'approved')"
    )


def _first_build(env: dict[str, str], url: str) -> None:
    build = (
        "import shutil, time\n"
        "from servicescore.settings import get_settings\n"
        "from servicescore.snapshot import refresh_snapshot\n"
        "settings = get_settings()\n"
        "shutil.rmtree(settings.snapshot_dir, ignore_errors=True)\n"
        "started = time.perf_counter()\n"
        "report = refresh_snapshot(settings)\n"
        "print(report.rows_written, time.perf_counter() - started)\n"
    )
    if url.startswith("sqlite"):
        bare = (
            "import sqlite3, time\n"
            "import pyarrow as pa\n"
            "from servicescore.db.engine import sqlite_path\n"
            "from servicescore.settings import get_settings\n"
            "started = time.perf_counter()\n"
            "connection = sqlite3.connect(sqlite_path(get_settings().database))\n"
            f"cursor = connection.execute({_counted_query()!r})\n"
            "names = [d[0] for d in cursor.description]\n"
            "batches = []\n"
            "while rows := cursor.fetchmany(200_000):\n"
            "    batches.append(pa.RecordBatch.from_pydict(dict(zip(names, map(list, zip(*rows))))))\n"
            "print(sum(b.num_rows for b in batches), time.perf_counter() - started)\n"
        )
        reader = "Python sqlite3 → Arrow"
    else:
        bare = (
            "import time\n"
            "import connectorx\n"
            "from servicescore.settings import get_settings\n"
            "started = time.perf_counter()\n"
            f"table = connectorx.read_sql(get_settings().database, {_counted_query()!r}, return_type='arrow')\n"
            "print(table.num_rows, time.perf_counter() - started)\n"
        )
        reader = "ConnectorX → Arrow"
    base_seconds, base_peak = _python(env, bare)
    seconds, peak = _python(env, build)
    _line(
        "first build of the snapshot",
        f"{seconds:.1f} s {peak:,.0f} MB",
        "≤ 2× the bare read, ≤ 1 GB",
        f"bare {reader} {base_seconds:.1f} s {base_peak:,.0f} MB",
    )


def _median_ms(work: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _freshness(settings: Any) -> None:
    from servicescore.db.snapshot_reads import read_frame
    from servicescore.snapshot import refresh_snapshot

    refresh_snapshot(settings)
    check = _median_ms(lambda: refresh_snapshot(settings, "visitor-survey"), 21)
    grouped = (
        "SELECT instrument_version, wave, count(*) AS n, max(updated_at) AS changed FROM response"
        " WHERE status IN ('complete', 'approved') GROUP BY instrument_version, wave"
    )
    old = _median_ms(lambda: read_frame(settings.database, grouped), 3)
    _line("freshness check before a read", f"{check:.1f} ms", "≤ 5 ms", f"old GROUP BY over responses {old:.0f} ms")


def _refresh_after(env: dict[str, str], settings: Any, folder: Path, first: int, count: int) -> float:
    from servicescore.snapshot import refresh_snapshot

    path = visitor_file(folder / "new.csv", first, count)
    _run(env, "responses", "import", str(path))
    started = time.perf_counter()
    report = refresh_snapshot(settings)
    seconds = time.perf_counter() - started
    assert report.rows_written == 11 * count, report
    return seconds * 1000


@contextmanager
def _serving(env: dict[str, str], port: int) -> Iterator[Any]:
    """A server process of its own, and a client logged in to it as the benchmark's consultant."""
    import httpx

    server = subprocess.Popen(
        [sys.executable, "-m", "servicescore", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        with httpx.Client(base_url=base, timeout=120) as client:
            html = client.get("/login").text
            token = html.split('name="_csrf_token" value="', 1)[1].split('"', 1)[0]
            data = {"username": "bench", "password": PASSWORD, "next": "", "_csrf_token": token}
            assert client.post("/login", data=data).status_code in (200, 303)
            yield client
    finally:
        server.terminate()
        server.wait()


def _dashboard(env: dict[str, str], port: int) -> None:
    """The issue's cold dashboard is the first one after a restart; the very first one, which builds what the
    server keeps on disk for the next, is printed apart."""
    _run(env, "users", "create", "--username", "bench", "--role", "consultant", "--password-stdin", stdin=PASSWORD)
    path = "/console/dashboard?organisation=bench-organisation-1"
    with _serving(env, port) as client:
        first = _median_ms(lambda: client.get(path).raise_for_status(), 1)
    with _serving(env, port) as client:
        cold = _median_ms(lambda: client.get(path).raise_for_status(), 1)
        warm = _median_ms(lambda: client.get(path).raise_for_status(), 7)
    _line("dashboard over HTTP, first ever", f"{first:,.0f} ms", "none", "builds what later server starts read")
    _line("dashboard over HTTP, after a restart / warm", f"{cold:,.0f} / {warm:,.0f} ms", "≤ 1,000 / ≤ 200 ms")


# The same scoring as `_scores` times in this process, in a process of its own: Python's start and the imports that
# any command pays are in both sides of the ratio, so what it compares is what `scores` adds around the scoring.
SCORING_ALONE = """
from servicescore.scoring import scores
from servicescore.settings import Settings
from servicescore.snapshot import catalogue, load_answers
settings = Settings()
answers = load_answers(settings, "visitor-survey")
scores(answers, catalogue(settings, ["visitor-survey"]), ["organisation"], "item", 5).collect()
"""


def _scores(env: dict[str, str], settings: Any, folder: Path) -> None:
    from servicescore.scoring import scores
    from servicescore.snapshot import catalogue, load_answers

    answers = load_answers(settings, "visitor-survey")
    items = catalogue(settings, ["visitor-survey"])
    alone = _median_ms(lambda: scores(answers, items, ["organisation"], "item", 5).collect(), 3) / 1000
    started, _, _ = _child([sys.executable, "-c", SCORING_ALONE], env)
    seconds, peak, _ = _run(
        env, "scores", "--instrument", "visitor-survey", "--by", "organisation", "-o", str(folder / "scores.csv")
    )
    _line(
        "scores --by organisation (per item), end to end",
        f"{seconds:.2f} s {peak:,.0f} MB",
        "≤ 1.5× the scoring alone",
        f"Polars scoring alone {alone:.2f} s ({seconds / alone:.1f}×)",
    )
    _line(
        "scores end to end, beside the scoring alone",
        f"{seconds / started:.2f}×",
        "≤ 1.5×",
        f"the scoring in a fresh process {started:.2f} s",
    )


def _export(env: dict[str, str], folder: Path) -> None:
    for file_format in ("parquet", "csv"):
        output = folder / f"answers.{file_format}"
        seconds, peak, _ = _run(env, "export", "answers", "--instrument", "visitor-survey", "-o", str(output))
        size = output.stat().st_size / 2**20
        _line(
            f"export answers, {file_format}",
            f"{seconds:.1f} s {peak:,.0f} MB",
            "≤ 10 s, ≤ 1 GB",
            f"{size:,.0f} MB file",
        )
        output.unlink()


def measure(engine: str, url: str, responses: int, port: int, time_ordered: bool) -> None:
    from servicescore.settings import Settings

    folder = ROOT / engine
    (folder / "data").mkdir(parents=True)
    settings = Settings(data_dir=folder / "data", database_url=url)
    env = {**os.environ, "SERVICESCORE_DATA_DIR": str(settings.data_dir), "SERVICESCORE_DATABASE_URL": url}
    print(f"{engine}: {responses:,} visitor-survey responses ({11 * responses:,} answers)", flush=True)
    _run(env, "db", "migrate")
    _populate(env, folder, responses, time_ordered)
    _first_build(env, url)
    _freshness(settings)
    one = _refresh_after(env, settings, folder, responses, 1)
    _line("refresh after 1 new response", f"{one:,.0f} ms", "≤ 100 ms")
    thousand = _refresh_after(env, settings, folder, responses + 1, 1000)
    _line("refresh after 1,000 new responses", f"{thousand:,.0f} ms", "≤ 2× one", f"{thousand / one:.1f}× one")
    _dashboard(env, port)
    _scores(env, settings, folder)
    _export(env, folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=1_000_000, help="visitor-survey responses to generate")
    parser.add_argument("--engines", default="sqlite,postgresql", help="comma list of sqlite, postgresql")
    parser.add_argument(
        "--time-ordered-ids",
        action="store_true",
        help="generate UUIDv7-like response ids (as the server makes them) instead of random ones (as files bring)",
    )
    options = parser.parse_args()
    shutil.rmtree(ROOT, ignore_errors=True)
    ROOT.mkdir(parents=True)
    engines = options.engines.split(",")
    if "sqlite" in engines:
        measure(
            "sqlite",
            f"sqlite:///{ROOT / 'sqlite' / 'data' / 'servicescore.sqlite3'}",
            options.responses,
            8631,
            options.time_ordered_ids,
        )
    server = os.environ.get("SERVICESCORE_DATABASE_URL", "")
    if "postgresql" in engines and server.startswith("postgres"):
        try:
            measure("postgresql", _scratch_database(server, SCRATCH), options.responses, 8632, options.time_ordered_ids)
        finally:
            _on_server(server, f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)")
    elif "postgresql" in engines:
        print("postgresql: skipped (set SERVICESCORE_DATABASE_URL=postgresql://… to measure it)")


if __name__ == "__main__":
    main()
