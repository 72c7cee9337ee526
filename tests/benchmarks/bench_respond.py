"""Benchmark: simulated respondents answering the visitor survey through a real server, against bare Litestar
handlers that insert one row (the ceilings), in the same run, on SQLite and PostgreSQL.

Run: ``python tests/benchmarks/bench_respond.py [--clients 32,50,128] [--workers 1,2] [--seconds 10]
[--engines sqlite,postgresql] [--think 1]``. PostgreSQL comes from ``--postgres`` (default:
SERVICESCORE_DATABASE_URL, else the local server postgresql://postgres:postgres@127.0.0.1:5432/postgres); each server
start gets a fresh database. ``--demo-page-views`` instead times single page views in-process on a freshly seeded demo
database. Not collected by pytest.

Each number of respondents runs twice: sending each page as soon as the last one came (the throughput, with the
machine saturated), then each spending about ``--think`` seconds on a page, as people do (the latency of a busy
survey: 128 respondents then send about 280 requests a second).

Three kinds of process: this one only orchestrates; the server (``uvicorn --factory servicescore.app:create_app``
with ``--workers N``, access log off) and the load (``respond_load.py``, aiohttp, one session per respondent) each run
alone. Each completed response is 10 requests (GET the form, then POST and follow the 303 four times) and 5
committed writes (the response made when the form is first served, then each page). The ceilings are
``respond_ceiling.py``: one ``BEGIN IMMEDIATE; INSERT; COMMIT`` per request on SQLite with ``synchronous=FULL``, and
one INSERT through a raw asyncpg pool on PostgreSQL, at the same concurrency and worker count. Every figure is
printed with the 1-minute load average, because the machine is shared.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]  # the checkout, put on every child's path: the script's own folder is not the package's
LOOPBACK = "http://127.0.0.1"  # a host the app answers to by default
LOCAL_POSTGRES = "postgresql://postgres:postgres@127.0.0.1:5432/postgres"
REQUESTS_PER_RESPONSE = 10
WRITES_PER_RESPONSE = 5


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f}/{five:.2f}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def wait_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


@contextmanager
def server(command: list[str], environment: dict[str, str], port: int, health: str) -> Iterator[None]:
    with tempfile.TemporaryFile() as log:  # a file, not a pipe: a server that logs much must never block on it
        process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=log, cwd=ROOT)
        try:
            wait_healthy(f"http://127.0.0.1:{port}{health}", process)
            yield
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.seek(0)
            if b"Traceback" in (errors := log.read()):
                print(errors.decode(errors="replace")[-3000:], file=sys.stderr)


def uvicorn_command(app: str, port: int, workers: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "uvicorn", app, *extra, "--host", "127.0.0.1", "--port", str(port),
            "--workers", str(workers), "--no-access-log", "--log-level", "warning"]  # fmt: skip


def run_load(
    mode: str, url: str, path: str, *, clients: int, seconds: float, warmup: float = 2, think: float = 0.0
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="servicescore-bench-load-") as folder:
        out = Path(folder) / "result.json"
        command = [sys.executable, str(HERE / "respond_load.py"), mode, "--url", url, "--path", path, "--clients",
                   str(clients), "--seconds", str(seconds), "--warmup", str(warmup), "--out", str(out),
                   "--think", str(think)]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
        if done.returncode != 0 or not out.exists():
            raise SystemExit(f"load process failed: {done.stderr[-2000:]}")
        result: dict[str, Any] = json.loads(out.read_text())
    result["load"] = load_average()
    return result


# -- databases ----------------------------------------------------------------------------------------------------


async def _fresh_postgres(admin_url: str) -> str:
    import asyncpg

    name = f"servicescore_bench_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


async def _drop_postgres(admin_url: str, url: str) -> None:
    import asyncpg

    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    finally:
        await admin.close()


@contextmanager
def fresh_database(engine: str, workdir: Path, admin_url: str) -> Iterator[dict[str, str]]:
    """The environment of a server on a new, empty database (migrated and seeded by the caller)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SERVICESCORE_")}
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    data_dir = workdir / f"{engine}-{secrets.token_hex(3)}"
    environment["SERVICESCORE_DATA_DIR"] = str(data_dir)
    if engine == "sqlite":
        environment["BENCH_URL"] = str(data_dir / "bare.sqlite3")
        data_dir.mkdir(parents=True)
        yield environment
        return
    url = asyncio.run(_fresh_postgres(admin_url))
    environment["SERVICESCORE_DATABASE_URL"] = environment["BENCH_URL"] = url
    try:
        yield environment
    finally:
        asyncio.run(_drop_postgres(admin_url, url))


async def _seed() -> str:
    """Migrate, open the visitor survey for one unit, print its public token (run in the server's environment)."""
    from servicescore.db.collections import open_collection
    from servicescore.db.engine import write_transaction
    from servicescore.db.instruments import sync_instruments
    from servicescore.db.lifecycle import database
    from servicescore.db.tables import Organisation, Unit, Wave
    from servicescore.definitions import load_instruments
    from servicescore.settings import get_settings

    settings = get_settings()
    async with database(settings, apply_migrations=True) as engine, write_transaction(engine):
        survey = next(i for i in load_instruments(settings.surveys_dir) if i.id == "visitor-survey")
        version = (await sync_instruments([survey]))[survey.id]
        org = Organisation(slug="bench", name="Bench", brand_colour="#7a2e1f")
        await org.save()
        unit = Unit(organisation=org.id, slug="u", name="Unit")
        await unit.save()
        wave = Wave(key="bench")
        await wave.save()
        now = datetime.now(UTC)
        _, tokens = await open_collection(
            instrument_version_id=version, wave_id=wave.id, unit_ids=[unit.id],
            opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1),
        )  # fmt: skip
        return tokens[unit.id]


def seed(environment: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, __file__, "--seed"], env=environment, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"seeding failed: {done.stderr[-2000:]}")
    return done.stdout.strip().splitlines()[-1]


# -- one configuration ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    engine: str
    workers: int
    clients: int
    responses_per_s: float
    requests_per_s: float
    ceiling_per_s: float
    start_per_s: float  # the write path's start_response per second (one row, like the ceiling)
    page_per_s: float  # the write path's save_page per second (three answers and the response)
    ceiling_p99_ms: float  # the bare handler's, sending without a pause like ``p99_ms``
    p99_ms: float  # every survey request, respondents sending without a pause (the machine saturated)
    paced_p99_ms: float  # every survey request, respondents spending about ``think`` seconds on each page
    errors: int
    load: str

    def share(self, rate: float) -> float:
        return rate / self.ceiling_per_s if self.ceiling_per_s else float("nan")


def _print_pages(result: dict[str, Any]) -> float:
    timings: dict[str, list[float]] = result["timings"]
    print(f"  {'page':<14}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for label, values in sorted(timings.items(), key=lambda kv: (kv[0].split()[-1], kv[0])):
        print(f"  {label:<14}{len(values):>7}{percentile(values, .5):>9.1f}{percentile(values, .95):>9.1f}"
              f"{percentile(values, .99):>9.1f}")  # fmt: skip
    return percentile([v for values in timings.values() for v in values], 0.99)


def _print_handler(label: str, result: dict[str, Any], path: str, seconds: float) -> float:
    latencies = result["timings"].get(f"POST {path}", [])
    rate = result["requests"] / seconds
    print(f"  {label} ({result['load']}): {rate:.0f}/s, p50 {percentile(latencies, .5):.1f} ms, "
          f"p99 {percentile(latencies, .99):.1f} ms, errors {sum(result['errors'].values())}")  # fmt: skip
    return rate


def _handlers(
    app: list[str],
    environment: dict[str, str],
    port: int,
    paths: Sequence[str],
    *,
    levels: Sequence[int],
    seconds: float,
) -> dict[tuple[str, int], dict[str, Any]]:
    """Each of ``paths`` POSTed by each number of clients, against one bare server."""
    results: dict[tuple[str, int], dict[str, Any]] = {}
    with server(app, environment, port, "/schema/openapi.json"):
        for clients in levels:
            for path in paths:
                results[path, clients] = run_load(
                    "insert", f"http://127.0.0.1:{port}", path, clients=clients, seconds=seconds
                )
    return results


def measure(
    engine: str, workers: int, levels: Sequence[int], *, seconds: float, workdir: Path, admin: str, think: float = 0.0
) -> list[Figure]:
    figures: list[Figure] = []
    with fresh_database(engine, workdir, admin) as environment:
        token = seed(environment)
        port = free_port()
        app = uvicorn_command("servicescore.app:create_app", port, workers, "--factory")
        surveys: dict[int, dict[str, Any]] = {}
        paced: dict[int, dict[str, Any]] = {}
        with server(app, environment, port, "/healthz"):
            for clients in levels:
                surveys[clients] = run_load(
                    "survey", f"http://127.0.0.1:{port}", f"/s/{token}", clients=clients, seconds=seconds
                )
                if think:
                    paced[clients] = run_load(
                        "survey", f"http://127.0.0.1:{port}", f"/s/{token}", clients=clients, seconds=seconds,
                        think=think,
                    )  # fmt: skip
        port = free_port()
        bare = uvicorn_command("respond_ceiling:app", port, workers, "--app-dir", str(HERE))
        ceilings = _handlers(bare, environment, port, ["/insert"], levels=levels, seconds=seconds)
        port = free_port()
        ours = uvicorn_command("respond_writepath:app", port, workers, "--app-dir", str(HERE))
        paths = _handlers(
            ours, {**environment, "BENCH_TOKEN": token}, port, ["/insert", "/page"], levels=levels, seconds=seconds
        )
    for clients in levels:
        survey = surveys[clients]
        responses, requests = survey["completed"] / seconds, survey["requests"] / seconds
        print(f"\n== {engine}, {workers} worker(s), {clients} respondents at once, sending without a pause "
              f"({survey['load']}) ==")  # fmt: skip
        print(f"  completed {survey['completed']} in {seconds:.0f} s: {responses:.1f} responses/s, {requests:.0f} "
              f"requests/s, {responses * WRITES_PER_RESPONSE:.0f} commits/s; errors {sum(survey['errors'].values())} "
              f"{dict(list(survey['errors'].items())[:4])}")  # fmt: skip
        p99 = _print_pages(survey)
        paced_p99 = float("nan")
        if clients in paced:
            print(f"  the same {clients} respondents, each about {think:g} s on a page ({paced[clients]['load']}): "
                  f"{paced[clients]['requests'] / seconds:.0f} requests/s, errors "
                  f"{sum(paced[clients]['errors'].values())}")  # fmt: skip
            paced_p99 = _print_pages(paced[clients])
        kind = "raw asyncpg, the app's pool options" if engine == "postgresql" else "sqlite3, synchronous=FULL"
        ceiling = _print_handler(f"ceiling: bare Litestar, one INSERT + commit ({kind})", ceilings["/insert", clients],
                                 "/insert", seconds)  # fmt: skip
        start = _print_handler(
            "write path: bare Litestar, start_response", paths["/insert", clients], "/insert", seconds
        )
        page = _print_handler("write path: bare Litestar, save_page (3 answers)", paths["/page", clients], "/page",
                              seconds)  # fmt: skip
        runs = (survey, ceilings["/insert", clients], paths["/insert", clients], paths["/page", clients],
                *([paced[clients]] if clients in paced else []))  # fmt: skip
        errors = sum(sum(run["errors"].values()) for run in runs)
        ceiling_p99 = percentile(ceilings["/insert", clients]["timings"].get("POST /insert", []), 0.99)
        figure = Figure(
            engine, workers, clients, responses, requests, ceiling, start, page, ceiling_p99, p99, paced_p99, errors,
            survey["load"],
        )  # fmt: skip
        print(f"  ÷ ceiling: start_response {figure.share(start):.2f}, save_page {figure.share(page):.2f}, "
              f"survey requests {figure.share(requests):.2f}")  # fmt: skip
        figures.append(figure)
    return figures


def summary(figures: Sequence[Figure]) -> None:
    print("\n== summary (targets: write path ≥ 1.0× the ceiling on SQLite, ≥ 0.7× raw asyncpg on PostgreSQL; survey "
          "p99 < 100 ms at 128; no errors) ==")  # fmt: skip
    print("  start/s: start_response, one row like the ceiling's (the like-for-like ratio); page/s: save_page, four "
          "rows under a row lock, shown for scale against the same one-row ceiling")  # fmt: skip
    print("  p99 ms: sending without a pause, the ceiling's and ours; a closed loop of n clients that saturates the "
          "machine waits n ÷ throughput on average (Little's law), 85 ms for 128 at 1,500/s, whatever the handler; "
          "paced: each respondent about the --think time on a page")  # fmt: skip
    print(f"  {'engine':<11}{'workers':>8}{'clients':>8}{'ceiling/s':>10}{'start/s':>8}{'÷':>5}{'page/s':>8}{'÷':>5}"
          f"{'survey resp/s':>14}{'req/s':>7}{'÷':>5}{'p99 ms: ceiling':>16}{'ours':>6}{'paced':>7}{'errors':>7}"
          "  load")  # fmt: skip
    for f in figures:
        print(f"  {f.engine:<11}{f.workers:>8}{f.clients:>8}{f.ceiling_per_s:>10.0f}{f.start_per_s:>8.0f}"
              f"{f.share(f.start_per_s):>5.2f}{f.page_per_s:>8.0f}{f.share(f.page_per_s):>5.2f}"
              f"{f.responses_per_s:>14.1f}{f.requests_per_s:>7.0f}{f.share(f.requests_per_s):>5.2f}"
              f"{f.ceiling_p99_ms:>16.0f}{f.p99_ms:>6.0f}{f.paced_p99_ms:>7.0f}{f.errors:>7}  {f.load}")  # fmt: skip


# -- page views on the demo database ----------------------------------------------------------------------------------


async def _demo_page_views(data_dir: Path, repetitions: int) -> None:
    """Server time of one page view, in-process (no network, no other client): the demo world seeded into a fresh
    SQLite database, then for each of ``repetitions`` new respondents the GET of the first page (which makes the
    response) and the POST of that page (which saves it)."""
    import re

    from litestar.testing import AsyncTestClient

    from servicescore.app import create_app
    from servicescore.db.collections import open_links
    from servicescore.db.lifecycle import database
    from servicescore.definitions import load_instruments
    from servicescore.demo.seed import seed_demo
    from servicescore.settings import get_settings

    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per request
    os.environ["SERVICESCORE_DATA_DIR"] = str(data_dir)
    os.environ.pop("SERVICESCORE_DATABASE_URL", None)
    settings = get_settings()
    started = time.perf_counter()
    async with database(settings) as engine:
        instruments = {i.id: i for i in load_instruments(settings.surveys_dir)}
        seeded = await seed_demo(engine, instruments)
        links = [link for link in await open_links(datetime.now(UTC)) if link.instrument == "visitor-survey"]
    print(f"demo seeded in {time.perf_counter() - started:.1f} s: {seeded.responses} responses, {seeded.answers} "
          f"answers; timing on {links[0].organisation}'s visitor survey link")  # fmt: skip
    path = f"/s/{links[0].token}"
    csrf, response = re.compile(r'name="_csrf_token" value="([^"]+)"'), re.compile(r'name="_response" value="([^"]+)"')
    gets: list[float] = []
    posts: list[float] = []
    async with AsyncTestClient(create_app(settings), base_url=LOOPBACK) as warm:
        await warm.get(path)
        for _ in range(repetitions):
            async with AsyncTestClient(warm.app, base_url=LOOPBACK) as client:
                began = time.perf_counter()
                page = await client.get(path)
                gets.append((time.perf_counter() - began) * 1000)
                token, response_id = csrf.search(page.text), response.search(page.text)
                if page.status_code != 200 or not (token and response_id):
                    raise SystemExit(f"GET {path}: {page.status_code}")
                fields = {"_csrf_token": token.group(1), "_response": response_id.group(1), "_page": "0",
                          "_nav": "next", "visit_type": "first_visit", "visited_with": "alone"}  # fmt: skip
                began = time.perf_counter()
                sent = await client.post(path, data=fields, follow_redirects=False)
                posts.append((time.perf_counter() - began) * 1000)
                if sent.status_code != 303:
                    raise SystemExit(f"POST {path}: {sent.status_code}")
    print(
        f"server time per page view on the demo database, {repetitions} new respondents, in-process ({load_average()}):"
    )
    for label, values in (("GET first page (makes the response)", gets), ("POST page 1 (saves it)", posts)):
        print(f"  {label:<38} p50 {statistics.median(values):6.2f} ms  p95 {percentile(values, .95):6.2f} ms  "
              f"mean {statistics.fmean(values):6.2f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="32,50,128", help="Concurrent respondents, comma-separated.")
    parser.add_argument("--workers", default="1,2", help="Server worker processes, comma-separated.")
    parser.add_argument("--seconds", type=float, default=10.0, help="Measuring window per level (after 2 s warm-up).")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="After each run without a pause, the same respondents again, each spending about this many seconds on "
        "a page before sending it (0: no paced run).",
    )
    parser.add_argument("--postgres", default=os.environ.get("SERVICESCORE_DATABASE_URL") or LOCAL_POSTGRES)
    parser.add_argument("--demo-page-views", action="store_true", help="Only time page views on the demo database.")
    parser.add_argument("--repetitions", type=int, default=200)
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed:
        print(asyncio.run(_seed()))
        return
    with tempfile.TemporaryDirectory(prefix="servicescore-bench-respond-") as folder:
        if args.demo_page_views:
            asyncio.run(_demo_page_views(Path(folder), args.repetitions))
            return
        levels = [int(n) for n in args.clients.split(",")]
        figures: list[Figure] = []
        for engine in args.engines.split(","):
            if engine == "postgresql" and not args.postgres.startswith("postgres"):
                print("postgresql: skipped (no server URL)")
                continue
            for workers in (int(n) for n in args.workers.split(",")):
                figures += measure(
                    engine,
                    workers,
                    levels,
                    seconds=args.seconds,
                    workdir=Path(folder),
                    admin=args.postgres,
                    think=args.think,
                )
        summary(figures)


if __name__ == "__main__":
    main()
