"""Benchmark: simulated respondents answering the visitor survey through a real `servicescore serve`, against a
bare Litestar handler that inserts one row (the ceiling), in the same run, on SQLite and PostgreSQL.

Run: ``python tests/benchmarks/bench_respond.py [--clients 50] [--respondents 400] [--engines sqlite,postgresql]``
(PostgreSQL from SERVICESCORE_DATABASE_URL, a server where databases may be created). Not collected by pytest.
``--page-views-on DATA_DIR`` instead times single page views on an existing database, e.g. the demo's.

Each respondent opens the public link, sends the four pages (each POST answered by a redirect that is followed),
and lands on the thank-you page: 10 requests, one completed response. Reported: completed responses per second,
p50/p95/p99 per page, errors; for the ceiling: inserts per second and latency percentiles.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

PAGES = [
    {"visit_type": "first_visit", "visited_with": "alone"},
    {"staff_welcome": "5", "guide_rating": "na", "waiting_time": "4"},
    {"overall_satisfaction": "5", "recommend": "10", "best_part": "Guiden", "comment": "Tack!"},
    {"contact_consent": "no"},
]
CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')
RESPONSE = re.compile(r'name="_response" value="([^"]+)"')
PAGE = re.compile(r'name="_page" value="(\d+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else float("nan")


async def seed(environment: dict[str, str]) -> str:
    for key in [k for k in os.environ if k.startswith("SERVICESCORE_")]:
        del os.environ[key]  # seed exactly the database the server will use
    os.environ.update(environment)
    from servicescore.db.collections import open_collection  # noqa: PLC0415
    from servicescore.db.engine import write_transaction  # noqa: PLC0415
    from servicescore.db.instruments import sync_instruments  # noqa: PLC0415
    from servicescore.db.lifecycle import database  # noqa: PLC0415
    from servicescore.db.tables import Organisation, Unit, Wave  # noqa: PLC0415
    from servicescore.definitions import load_instruments  # noqa: PLC0415
    from servicescore.settings import get_settings  # noqa: PLC0415

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


async def respondent(base: str, path: str, timings: dict[str, list[float]], errors: list[str]) -> bool:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:

        async def timed(label: str, method: str, url: str, **options: object) -> httpx.Response:
            started = time.perf_counter()
            response = await client.request(method, url, **options)  # type: ignore[arg-type]
            timings[label].append(time.perf_counter() - started)
            return response

        page = await timed("GET page 1", "GET", path)
        for number, answers in enumerate(PAGES):
            if page.status_code != 200 or not (csrf := CSRF.search(page.text)):
                errors.append(f"page {number}: {page.status_code}")
                return False
            response_id = RESPONSE.search(page.text)
            fields = {"_csrf_token": csrf.group(1), "_response": response_id.group(1) if response_id else "",
                      "_page": str(number), "_nav": "next", **answers}  # fmt: skip
            sent = await timed(f"POST page {number + 1}", "POST", path, data=fields)
            if sent.status_code != 303:
                errors.append(f"POST page {number + 1}: {sent.status_code}")
                return False
            label = "GET done" if number == len(PAGES) - 1 else f"GET page {number + 2}"
            page = await timed(label, "GET", sent.headers["location"])
        return page.status_code == 200 and "Tack" in page.text


async def drive_survey(base: str, path: str, clients: int, respondents: int) -> dict[str, object]:
    timings: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    gate = asyncio.Semaphore(clients)

    async def one() -> bool:
        async with gate:
            try:
                return await respondent(base, path, timings, errors)
            except httpx.HTTPError as error:
                errors.append(type(error).__name__)
                return False

    started = time.perf_counter()
    done = await asyncio.gather(*(one() for _ in range(respondents)))
    wall = time.perf_counter() - started
    return {"completed": sum(done), "wall": wall, "timings": timings, "errors": errors}


async def drive_inserts(base: str, clients: int, requests: int) -> dict[str, object]:
    latencies: list[float] = []
    errors: list[str] = []
    gate = asyncio.Semaphore(clients)
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:

        async def one() -> None:
            async with gate:
                started = time.perf_counter()
                try:
                    response = await client.post("/insert", content=b"x" * 64)
                    if response.status_code != 201:
                        errors.append(str(response.status_code))
                except httpx.HTTPError as error:
                    errors.append(type(error).__name__)
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(requests)))
        wall = time.perf_counter() - started
    return {"rate": requests / wall, "latencies": latencies, "errors": errors}


BARE_APP = textwrap.dedent('''
    """A bare Litestar handler inserting one row: the ceiling a web write path can reach on this machine."""
    import os, sqlite3, threading, uuid
    import asyncpg
    from litestar import Litestar, Request, post

    URL = os.environ["BENCH_URL"]
    local = threading.local()
    pool = None

    def connection():
        if not hasattr(local, "db"):
            local.db = sqlite3.connect(URL, isolation_level=None, timeout=30)
            local.db.execute("PRAGMA journal_mode=WAL")
            local.db.execute("PRAGMA synchronous=FULL")
            local.db.execute("CREATE TABLE IF NOT EXISTS row (id TEXT PRIMARY KEY, body BLOB)")
        return local.db

    if URL.startswith("postgres"):
        async def startup():
            global pool
            pool = await asyncpg.create_pool(URL, min_size=4, max_size=20)
            await pool.execute("CREATE TABLE IF NOT EXISTS row (id UUID PRIMARY KEY, body BYTEA)")

        @post("/insert", status_code=201)
        async def insert(request: Request) -> None:
            await pool.execute("INSERT INTO row VALUES ($1, $2)", uuid.uuid4(), await request.body())
    else:
        async def startup():
            connection()

        @post("/insert", status_code=201, sync_to_thread=True)
        def insert(request: Request) -> None:
            db = connection()
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO row VALUES (?, ?)", (str(uuid.uuid4()), b"x" * 64))
            db.execute("COMMIT")

    app = Litestar([insert], on_startup=[startup])
''')


def serve(command: list[str], environment: dict[str, str], port: int, health: str) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_healthy(f"http://127.0.0.1:{port}{health}", process)
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=20)


async def fresh_postgres(admin_url: str) -> str:
    import asyncpg  # noqa: PLC0415

    name = f"servicescore_bench_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(admin_url)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


ADMIN_URL = os.environ.get("SERVICESCORE_DATABASE_URL", "")


async def drop_postgres(url: str) -> None:
    import asyncpg  # noqa: PLC0415

    admin = await asyncpg.connect(ADMIN_URL)
    await admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    await admin.close()


def run_engine(engine: str, clients: int, respondents: int, workdir: Path) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SERVICESCORE_")}
    environment["SERVICESCORE_DATA_DIR"] = str(workdir / engine)
    if engine == "postgresql":
        environment["SERVICESCORE_DATABASE_URL"] = asyncio.run(fresh_postgres(ADMIN_URL))
    token = asyncio.run(seed(environment))
    port = free_port()
    server = serve([sys.executable, "-m", "servicescore", "serve", "--port", str(port)], environment, port, "/healthz")
    try:
        result = asyncio.run(drive_survey(f"http://127.0.0.1:{port}", f"/s/{token}", clients, respondents))
    finally:
        stop(server)
    timings: dict[str, list[float]] = result["timings"]  # type: ignore[assignment]
    print(f"\n== {engine}: {respondents} respondents, {clients} at a time ==")
    print(f"completed {result['completed']} in {result['wall']:.1f} s: "
          f"{result['completed'] / result['wall']:.1f} responses/s, errors {len(result['errors'])} "  # type: ignore[operator]
          f"{sorted(set(result['errors']))[:5]}")  # type: ignore[arg-type]  # fmt: skip
    requests = sum(len(v) for v in timings.values())
    print(f"requests {requests}: {requests / result['wall']:.0f}/s")  # type: ignore[operator]
    print(f"{'page':<14}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for label, values in sorted(timings.items(), key=lambda kv: (kv[0].split()[-1], kv[0])):
        print(f"{label:<14}{len(values):>6}{percentile(values, .5):>9.1f}{percentile(values, .95):>9.1f}"
              f"{percentile(values, .99):>9.1f}")  # fmt: skip

    bare = workdir / f"bare_{engine}.py"
    bare.write_text(BARE_APP)
    bare_env = dict(environment)
    bare_env["BENCH_URL"] = (
        environment["SERVICESCORE_DATABASE_URL"] if engine == "postgresql" else str(workdir / "bare.sqlite3")
    )
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "--app-dir", str(workdir), f"bare_{engine}:app", "--port", str(port),
               "--log-level", "warning"]  # fmt: skip
    process = subprocess.Popen(command, env=bare_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(3)
    try:
        ceiling = asyncio.run(drive_inserts(f"http://127.0.0.1:{port}", clients, respondents * 10))
    finally:
        stop(process)
    latencies: list[float] = ceiling["latencies"]  # type: ignore[assignment]
    print(f"ceiling (bare Litestar, one INSERT per request): {ceiling['rate']:.0f} inserts/s, "
          f"p50 {percentile(latencies, .5):.1f} ms, p99 {percentile(latencies, .99):.1f} ms, "
          f"errors {len(ceiling['errors'])}")  # type: ignore[arg-type]  # fmt: skip
    print(f"survey requests/s as a share of the ceiling: {requests / result['wall'] / ceiling['rate']:.2f}")  # type: ignore[operator]
    if engine == "postgresql":
        asyncio.run(drop_postgres(environment["SERVICESCORE_DATABASE_URL"]))


def page_views_on(data_dir: Path, respondents: int) -> None:
    """Server time per page view on an existing database (e.g. `servicescore demo --no-serve`'s): one respondent at a
    time on the first open link, so each figure is one request's round trip on the loopback."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SERVICESCORE_")}
    environment["SERVICESCORE_DATA_DIR"] = str(data_dir)
    listing = subprocess.run(
        [sys.executable, "-m", "servicescore", "links", "--format", "csv"], env=environment, capture_output=True,
        text=True, check=True,
    ).stdout.splitlines()  # fmt: skip
    token = listing[1].split(",")[3].rsplit("/", 1)[1]
    port = free_port()
    server = serve([sys.executable, "-m", "servicescore", "serve", "--port", str(port)], environment, port, "/healthz")
    try:
        result = asyncio.run(drive_survey(f"http://127.0.0.1:{port}", f"/s/{token}", 1, respondents))
    finally:
        stop(server)
    print(f"\n== page views on {data_dir}, one respondent at a time ({result['completed']} completed) ==")
    timings: dict[str, list[float]] = result["timings"]  # type: ignore[assignment]
    for label, values in sorted(timings.items(), key=lambda kv: (kv[0].split()[-1], kv[0])):
        print(f"{label:<14}p50 {percentile(values, 0.5):6.1f} ms  p95 {percentile(values, 0.95):6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--respondents", type=int, default=400)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--page-views-on", type=Path, help="Only time page views on this data dir (e.g. the demo's).")
    args = parser.parse_args()
    if args.page_views_on:
        page_views_on(args.page_views_on, min(args.respondents, 50))
        return
    with tempfile.TemporaryDirectory(prefix="servicescore-bench-respond-") as folder:
        for engine in args.engines.split(","):
            if engine == "postgresql" and not ADMIN_URL.startswith("postgres"):
                print("postgresql: skipped (set SERVICESCORE_DATABASE_URL)")
                continue
            run_engine(engine, args.clients, args.respondents, Path(folder))


if __name__ == "__main__":
    main()
