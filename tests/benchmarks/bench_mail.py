"""Mail benchmark (on demand): ``python tests/benchmarks/bench_mail.py [--contacts 10000] [--profile]``.

Sends ``--contacts`` invitations (default 10,000) to a local aiosmtpd server, the way production does: the
periodic round plans them and queues send jobs, and `servicescore worker` processes send them. Prints, each with the
load average (1 min) beside it, because the machine is shared:

1. the same-run baseline: the same number of composed invitations sent by plain smtplib over one connection to the
   same server, no database, no queue: what this machine and server allow at all right now;
2. one worker process: messages per second from the round's start to the last message received, goal: the whole
   lot within 5 minutes (at 10,000: ≥ 33.3 messages/s); the benchmark holds the round's lock while the workers
   start, so that no worker's own periodic round (at a minute's start) plans the contacts before the timed one;
3. two worker processes: messages per second and the ratio to one, goal ≥ 1.8.

Beside each rate it prints where the CPU went, in milliseconds a message: the worker processes (user + system from
``/proc/<pid>/stat``), the SMTP server's thread (in this process), the PostgreSQL backends of the workers'
database, and how busy the whole machine was (every user's processes, from ``/proc/stat``): the machine has few
cores, shared by the server, the database, the workers and other people, so a ratio below 2 may be the cores, not
the workers.

``--discard`` puts a minimal SMTP server in aiosmtpd's place, one that answers every command at once and throws each
message away: what the workers give when the server costs next to nothing on the shared cores.

Beside each run it also prints how the work was handed out, from the job table (figures that the machine's load
does not change): per worker process, how long after the round queued its jobs the first one started, the time in
jobs, the gaps between one job's end and the next one's start, and how long it stood idle at the end (the tail). On
PostgreSQL it samples the workers' database sessions every 20 ms and prints how many of them on average waited for
the commit's flush to disk (``IO:WALSync``, or ``LWLock:WALWrite``: waiting for another session's flush), and the
WAL flushes per message (the whole server's, other users' included): each message is one durable commit.

``--async-commit`` (a diagnosis, never a production setting) turns PostgreSQL's ``synchronous_commit`` off for the
run's database: what the workers give when the commit's flush costs nothing. It gives up what the flush guarantees
(a database crash could forget a message's mark and send it again).

``--profile`` also runs one send job in this process under cProfile and prints its 25 costliest functions.
Each run starts from a copy of one seeded database: SQLite in a temporary data dir, or with ``--postgres`` a
database made from a seeded template on the server SERVICESCORE_DATABASE_URL names (the mode for several workers:
SQLite has one writer at a time, and each message is one commit). The queue is the production mode's for that
database: huey's SQLite storage in the data dir with SQLite, and with ``--postgres`` a Redis server the benchmark
starts (Debian's ``redis-server``, as the many-machines mode runs; ``--queue sqlite`` keeps huey's SQLite storage).
``--jobs N`` runs each worker process with ``--workers N`` (jobs at once; default 1, one send job a process).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import itertools
import math
import os
import pstats
import shutil
import smtplib
import sqlite3
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import asyncpg
from pydantic import SecretStr

CHECKOUT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(CHECKOUT))

from servicescore.db.locks import try_lock  # noqa: E402
from servicescore.db.mail import SEND_BATCH  # noqa: E402
from servicescore.jobs import mail  # noqa: E402, F401 - imported before the first timed round
from servicescore.jobs.mail import ROUND_LOCK  # noqa: E402
from servicescore.settings import Settings  # noqa: E402 - after the checkout is on the path
from tests.support.mail_load import (  # noqa: E402
    environment,
    queue_round,
    receiving,
    seed,
    start_worker,
    wait_until,
)
from tests.support.postgres import POSTGRES_URL, admin, run_apart, url_of  # noqa: E402
from tests.support.redis_server import REDIS_SERVER, redis_server  # noqa: E402
from tests.support.smtp_server import free_port  # noqa: E402

GOAL_SECONDS_PER_10K = 300.0
GOAL_RATIO = 1.8
TICKS = os.sysconf("SC_CLK_TCK")
SAMPLE_SECONDS = 0.02  # between two looks at the workers' database sessions
FLUSH_WAITS = ("IO:WALSync", "IO:WALWrite", "LWLock:WALWrite")  # a commit waiting for the WAL to reach the disk


def _load() -> str:
    return f"load {os.getloadavg()[0]:.2f}"


def _process_cpu(pid: int) -> float:
    """User + system CPU seconds of a process; 0 when it has gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime: fields 14 and 15 of proc(5)


def _machine() -> tuple[float, float]:
    """(busy, elapsed) CPU seconds of the whole machine since boot, summed over its cores, every user's."""
    user, nice, system, idle, iowait, irq, softirq, steal = map(int, Path("/proc/stat").read_text().split()[1:9])
    busy = user + nice + system + irq + softirq + steal
    return busy / TICKS, (busy + idle + iowait) / TICKS


async def _backends(database_url: str) -> list[int]:
    """The PostgreSQL backends connected to the database (the workers' pools), but the one asking."""
    connection = await asyncpg.connect(database_url)
    try:
        query = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        return [int(row["pid"]) for row in await connection.fetch(query)]
    finally:
        await connection.close()


class Sink(Protocol):
    def count(self) -> int: ...

    def cpu_seconds(self) -> float: ...


Server = Callable[[], AbstractContextManager[tuple[str, Sink]]]


class _Discard(asyncio.Protocol):
    """One connection to the discarding server: 250 to everything, 354 to DATA, 250 at the final dot."""

    def __init__(self, sink: Discarded) -> None:
        self.sink, self.buffer, self.data = sink, b"", False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        transport.write(b"220 discard ESMTP\r\n")

    def data_received(self, chunk: bytes) -> None:
        self.buffer += chunk
        while True:
            if self.data:
                end = self.buffer.find(b"\r\n.\r\n")
                if end < 0:
                    return
                self.buffer, self.data = self.buffer[end + 5 :], False
                self.sink.received += 1
                self.transport.write(b"250 thrown away\r\n")
                continue
            line, found, self.buffer = self.buffer.partition(b"\r\n")
            if not found:
                self.buffer = line
                return
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.transport.write(b"250-discard\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
            elif verb == b"DATA":
                self.data = True
                self.transport.write(b"354 go on\r\n")
            elif verb == b"QUIT":
                self.transport.write(b"221 bye\r\n")
                self.transport.close()
            else:
                self.transport.write(b"250 OK\r\n")


@dataclass
class Discarded:
    received: int = 0
    thread: int | None = None

    def count(self) -> int:
        return self.received

    def cpu_seconds(self) -> float:
        return 0.0 if self.thread is None else time.clock_gettime(time.pthread_getcpuclockid(self.thread))


@contextlib.contextmanager
def discarding() -> Iterator[tuple[str, Sink]]:
    """``with discarding() as (url, sink):`` the minimal server on a free local port, on a thread of its own."""
    sink, port, loop, ready = Discarded(), free_port(), asyncio.new_event_loop(), threading.Event()

    def serve() -> None:
        sink.thread = threading.get_ident()
        server = loop.run_until_complete(loop.create_server(lambda: _Discard(sink), "127.0.0.1", port))
        ready.set()
        loop.run_forever()
        server.close()
        loop.run_until_complete(server.wait_closed())
        loop.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield f"smtp://127.0.0.1:{port}", sink
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


def _query(folder: Path, database_url: str, query: str) -> list[tuple[Any, ...]]:
    """Rows of a query on the run's database (PostgreSQL when ``database_url``, else the data dir's SQLite file)."""
    if database_url:

        async def fetch() -> list[tuple[Any, ...]]:
            connection = await asyncpg.connect(database_url)
            try:
                return [tuple(row) for row in await connection.fetch(query)]
            finally:
                await connection.close()

        return run_apart(fetch())
    with sqlite3.connect(folder / "servicescore.sqlite3") as connection:
        return [tuple(row) for row in connection.execute(query)]


def _periodic_runs(folder: Path, database_url: str) -> int:
    """Periodic jobs stored in the run's database (a worker's scheduler runs the mail round every minute, planning
    every contact again: CPU that is not sending's)."""
    return int(_query(folder, database_url, "SELECT count(*) FROM job WHERE kind <> 'mail-send'")[0][0])


def _moment(value: datetime | str) -> datetime:
    """A job's time as PostgreSQL (datetime) or Piccolo's SQLite columns (text) give it."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def hand_off(rows: list[tuple[str, datetime, datetime]], queued: datetime, end: datetime) -> list[str]:
    """Per worker (rows of worker, started, finished for each send job): the hand-off in seconds: its first job's
    start after ``queued`` (when the round had queued every job; negative: it started while the round was still
    queuing), its time in jobs, the gaps between its jobs (sum and longest), and its idle time before ``end``."""
    by_worker: dict[str, list[tuple[datetime, datetime]]] = {}
    for worker, started, finished in sorted(rows, key=lambda row: (row[0], row[1])):
        by_worker.setdefault(worker, []).append((started, finished))
    lines = []
    for worker, jobs in sorted(by_worker.items()):
        working = sum((finished - started).total_seconds() for started, finished in jobs)
        gaps = [(after[0] - before[1]).total_seconds() for before, after in itertools.pairwise(jobs)]
        lines.append(f"{worker}: {len(jobs)} job(s), first started {(jobs[0][0] - queued).total_seconds():+.2f} s "
                     f"after the round queued them, {working:.1f} s in jobs, gaps between jobs {sum(gaps):.2f} s "
                     f"(longest {max(gaps, default=0.0):.2f} s), idle at the end "
                     f"{(end - max(finished for _, finished in jobs)).total_seconds():.2f} s")  # fmt: skip
    return lines


def _send_jobs(folder: Path, database_url: str) -> list[tuple[str, datetime, datetime]]:
    query = "SELECT worker, started_at, finished_at FROM job WHERE kind = 'mail-send' AND finished_at IS NOT NULL"
    return [(str(worker), _moment(started), _moment(finished))
            for worker, started, finished in _query(folder, database_url, query)]  # fmt: skip


def _periodic_jobs(folder: Path, database_url: str) -> list[tuple[str, str, datetime, datetime]]:
    """The periodic jobs run during the run (kind, worker, started, finished): each took a worker's job slot."""
    query = ("SELECT kind, worker, started_at, finished_at FROM job WHERE kind <> 'mail-send' "
             "AND finished_at IS NOT NULL ORDER BY started_at")  # fmt: skip
    return [(str(kind), str(worker), _moment(started), _moment(finished))
            for kind, worker, started, finished in _query(folder, database_url, query)]  # fmt: skip


class FlushWaits(threading.Thread):
    """Samples what the workers' PostgreSQL sessions wait for, every `SAMPLE_SECONDS`, until `stop`."""

    def __init__(self, database_url: str) -> None:
        super().__init__(daemon=True)
        self.database_url, self.halt = database_url, threading.Event()
        self.samples, self.waits = 0, Counter[str]()

    def run(self) -> None:
        asyncio.run(self._sample())

    async def _sample(self) -> None:
        connection = await asyncpg.connect(self.database_url)
        query = ("SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') AS waiting FROM pg_stat_activity "
                 "WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'")  # fmt: skip
        try:
            while not self.halt.is_set():
                self.waits.update(str(row["waiting"]) for row in await connection.fetch(query))
                self.samples += 1
                await asyncio.sleep(SAMPLE_SECONDS)
        finally:
            await connection.close()

    def stop(self) -> str:
        self.halt.set()
        self.join()
        samples = max(self.samples, 1)
        flushing = sum(self.waits[wait] for wait in FLUSH_WAITS) / samples
        busiest = ", ".join(f"{wait} {count / samples:.2f}" for wait, count in self.waits.most_common(4))
        return (f"sessions at work on average: waiting for the commit's flush {flushing:.2f} ({busiest}; "
                f"{self.samples} samples)")  # fmt: skip


def _wal_syncs(database_url: str) -> int:
    """WAL flushes of the whole server so far (every database's, every user's)."""
    return int(_query(Path(), database_url, "SELECT wal_sync FROM pg_stat_wal")[0][0])


@dataclass(frozen=True)
class Usage:
    """CPU seconds used so far by each party of a run."""

    workers: float
    sink: float
    backends: dict[int, float]
    machine: tuple[float, float]

    @classmethod
    def now(cls, workers: list[int], received: Sink, database_url: str) -> Usage:
        backends = run_apart(_backends(database_url)) if database_url else []
        return cls(sum(map(_process_cpu, workers)), received.cpu_seconds(),
                   {pid: _process_cpu(pid) for pid in backends}, _machine())  # fmt: skip

    def since(self, start: Usage, messages: int) -> str:
        """Milliseconds of CPU a message, each party's, and the machine's cores in use meanwhile."""
        database = sum(self.backends.values()) - sum(start.backends.get(pid, 0.0) for pid in self.backends)
        per = {"workers": self.workers - start.workers, "SMTP server": self.sink - start.sink}
        if self.backends:
            per["PostgreSQL"] = database
        parts = ", ".join(f"{name} {1000 * seconds / messages:.2f}" for name, seconds in per.items())
        busy, elapsed = (now - then for now, then in zip(self.machine, start.machine, strict=True))
        cores = os.cpu_count() or 1
        return (f"CPU ms a message: {parts}, together {1000 * sum(per.values()) / messages:.2f}; "
                f"machine {cores * busy / elapsed:.2f} of {cores} cores busy (everyone's)")  # fmt: skip


TEMPLATE = "bench_mail_template"


def _settings(data_dir: Path, url: str, database_url: str = "", queue_url: str = "") -> Settings:
    return Settings(data_dir=data_dir, database_url=database_url, smtp_url=SecretStr(url), queue_url=queue_url)


def _copy(template: Path, folder: Path, postgres: bool, async_commit: bool = False) -> str:
    """A data dir (and with ``postgres`` a database) copied from the template; the database URL ("" for SQLite).
    ``async_commit``: the database's sessions commit without waiting for the flush (`--async-commit`)."""
    folder.mkdir(parents=True)
    if not postgres:
        shutil.copyfile(template / "servicescore.sqlite3", folder / "servicescore.sqlite3")
        return ""
    name = f"bench_mail_{folder.name}"
    run_apart(admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    run_apart(admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}"))
    if async_commit:
        run_apart(admin(f"ALTER DATABASE {name} SET synchronous_commit = off"))
    return url_of(name)


def _seed_template(template: Path, contacts: int, postgres: bool) -> None:
    database_url = ""
    if postgres:
        run_apart(admin(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)"))
        run_apart(admin(f"CREATE DATABASE {TEMPLATE}"))
        database_url = url_of(TEMPLATE)
    seed(_settings(template, "", database_url), contacts)


def baseline(url: str, received: Sink, contacts: int) -> float:
    """Messages/s of plain smtplib over one connection, each a composed invitation."""
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "enkat@example.org", "p@example.org", "Hur blev du bemött?"
    message.set_content("Hej!\n" * 40)
    message.add_alternative("<p>Hej!</p>" * 40, subtype="html")
    host, port = url.removeprefix("smtp://").split(":")
    start, cpu = time.perf_counter(), time.process_time()
    with smtplib.SMTP(host, int(port)) as connection:
        for _ in range(contacts):
            connection.send_message(message)
    rate = contacts / (time.perf_counter() - start)
    sink = received.cpu_seconds()
    client = time.process_time() - cpu - sink  # this process: smtplib's side and the server's thread
    print(f"baseline CPU ms a message: smtplib {1000 * client / contacts:.2f}, "
          f"SMTP server {1000 * sink / contacts:.2f}")  # fmt: skip
    return rate


@dataclass(frozen=True)
class Run:
    """What every timed run shares: the seeded template, the server, the queue, the options."""

    server: Server
    template: Path
    contacts: int
    postgres: bool
    queue_url: str = ""  # "": huey's SQLite storage in the run's data dir
    jobs: int = 1  # jobs at once in each worker process
    async_commit: bool = False


@contextlib.contextmanager
def rounds_held_off(settings: Settings) -> Iterator[None]:
    """The mail round's lock held by this process while the block runs: a worker's periodic round (at each minute)
    skips at once meanwhile instead of planning the benchmark's contacts before its timed round does."""
    taken, release = threading.Event(), threading.Event()

    async def hold() -> None:
        async with try_lock(settings.database, ROUND_LOCK) as held:
            if held:
                taken.set()
                await asyncio.to_thread(release.wait)

    thread = threading.Thread(target=asyncio.run, args=(hold(),), daemon=True)
    thread.start()
    if not taken.wait(30):
        raise RuntimeError("the mail round's lock is held by another process")
    try:
        yield
    finally:
        release.set()
        thread.join(30)


def run_workers(run: Run, folder: Path, *, processes: int) -> tuple[float, float]:
    """Messages/s of ``processes`` worker processes: from the round's start to the last message received, and from
    the round's end (its jobs queued) to the last message received, the part the workers share."""
    contacts = run.contacts
    with run.server() as (url, received):
        database_url = _copy(run.template, folder, run.postgres, run.async_commit)
        settings = _settings(folder, url, database_url, run.queue_url)
        env = environment(folder, url, run.queue_url, SERVICESCORE_DATABASE_URL=database_url)
        with rounds_held_off(settings):
            workers = [start_worker(env, folder / f"worker-{n}.log", run.jobs) for n in range(processes)]
        pids = [worker.pid for worker in workers]
        try:
            waits = FlushWaits(database_url) if database_url else None
            flushes = _wal_syncs(database_url) if database_url else 0
            before = Usage.now(pids, received, database_url)
            start = time.perf_counter()
            if waits is not None:
                waits.start()
            queue_round(settings)
            planned, queued = time.perf_counter() - start, datetime.now(UTC)
            wait_until(lambda: received.count() >= contacts, 3600, poll=0.05)
            elapsed, end = time.perf_counter() - start, datetime.now(UTC)
            used = Usage.now(pids, received, database_url).since(before, contacts)
            sending = contacts / (elapsed - planned)
            periodic = _periodic_runs(folder, database_url)
            print(f"  {processes} worker(s): the round planned and queued in {planned:.1f} s, sending took "
                  f"{elapsed - planned:.1f} s ({sending:.1f} messages/s); {used}; {periodic} periodic job(s) run "
                  f"meanwhile ({_load()})")  # fmt: skip
            if waits is not None:
                print(f"  {waits.stop()}; WAL flushes a message {(_wal_syncs(database_url) - flushes) / contacts:.2f}")
            wait_until(lambda: len(_send_jobs(folder, database_url)) >= math.ceil(contacts / SEND_BATCH), 60, poll=0.05)
            for line in hand_off(_send_jobs(folder, database_url), queued, end):
                print(f"  {line}")
            for kind, worker, started, finished in _periodic_jobs(folder, database_url):
                print(
                    f"  periodic {kind} on {worker}: started {(started - queued).total_seconds():+.2f} s after the "
                    f"round queued its jobs, took {(finished - started).total_seconds():.2f} s (its job slot's)"
                )
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(timeout=120)
    return contacts / elapsed, sending


def profile_one_job(template: Path, folder: Path, postgres: bool) -> None:
    """One send job (the first batch) in this process under cProfile."""
    from servicescore.db.lifecycle import database
    from servicescore.db.tables import Job
    from servicescore.jobs.mail import send_batch
    from servicescore.jobs.registry import JobRun

    with receiving() as (url, received):
        settings = _settings(folder, url, _copy(template, folder, postgres))
        queue_round(settings)

        async def one_job() -> None:
            async with database(settings):
                first = await Job.select(Job._meta.primary_key).where(Job.kind == "mail-send").first()
                assert first is not None

                async def progress(done: int, total: int) -> None:
                    return None

                run = JobRun(first["id"], "mail-send", None, {}, 1, settings, progress)
                profiler = cProfile.Profile()
                profiler.enable()
                start = time.perf_counter()
                await send_batch(run)
                elapsed = time.perf_counter() - start
                profiler.disable()
                print(f"one send job: {received.count()} messages in {elapsed:.2f} s under cProfile ({_load()})")
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)

        asyncio.run(one_job())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--postgres", action="store_true", help="on the server SERVICESCORE_DATABASE_URL names")
    parser.add_argument("--discard", action="store_true", help="a minimal SMTP server that throws messages away")
    parser.add_argument("--queue", choices=("redis", "sqlite"), help="default: redis with --postgres, else sqlite")
    parser.add_argument("--jobs", type=int, default=1, help="jobs at once in each worker process (--workers)")
    parser.add_argument("--async-commit", action="store_true", help="diagnosis: PostgreSQL commits without flushing")
    options = parser.parse_args()
    server: Server = discarding if options.discard else receiving
    if options.postgres and not POSTGRES_URL:
        parser.error("--postgres needs SERVICESCORE_DATABASE_URL=postgresql://…")
    if options.async_commit and not options.postgres:
        parser.error("--async-commit is PostgreSQL's: add --postgres")
    queue = options.queue or ("redis" if options.postgres else "sqlite")
    if queue == "redis" and REDIS_SERVER is None:
        parser.error("the Redis queue needs redis-server on the PATH (Debian's redis-server), or --queue sqlite")
    try:
        bench(server, options.contacts, postgres=options.postgres, profile=options.profile, redis=queue == "redis",
              jobs=options.jobs, async_commit=options.async_commit)  # fmt: skip
    finally:
        if options.postgres:  # the server is shared: its disk too
            for name in (TEMPLATE, *(f"bench_mail_{run}" for run in ("profile", "one", "two"))):
                run_apart(admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


def bench(
    server: Server, contacts: int, *, postgres: bool, profile: bool, redis: bool, jobs: int, async_commit: bool
) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-mail-") as temporary, contextlib.ExitStack() as stack:
        root = Path(temporary)
        template = root / "template"
        template.mkdir()
        started = time.perf_counter()
        _seed_template(template, contacts, postgres)
        engine = "PostgreSQL" if postgres else "SQLite"
        print(f"seeded {contacts} contacts in {time.perf_counter() - started:.1f} s ({engine})")
        if profile:
            profile_one_job(template, root / "profile", postgres)
        with server() as (url, received):
            base = baseline(url, received, contacts)
        print(f"baseline: plain smtplib, one connection: {base:.0f} messages/s ({_load()})")
        queue_url = stack.enter_context(redis_server(root / "redis")) if redis else ""
        print(f"queue: {'Redis' if redis else 'huey SQLite storage'}; {jobs} job(s) at once a worker process"
              f"{'; PostgreSQL commits without flushing (diagnosis)' if async_commit else ''}")  # fmt: skip
        run = Run(server, template, contacts, postgres, queue_url, jobs, async_commit)
        one, one_sending = run_workers(run, root / "one", processes=1)
        goal = contacts / (GOAL_SECONDS_PER_10K * contacts / 10_000)
        print(f"1 worker: {one:.1f} messages/s, {contacts / one:.1f} s for {contacts}; goal ≥ {goal:.1f}/s: "
              f"{'met' if one >= goal else 'MISSED'}; {one / base:.2f} × baseline ({_load()})")  # fmt: skip
        two, two_sending = run_workers(run, root / "two", processes=2)
        ratio = two / one
        print(f"2 workers: {two:.1f} messages/s, {contacts / two:.1f} s; ratio {ratio:.2f} (goal ≥ {GOAL_RATIO}: "
              f"{'met' if ratio >= GOAL_RATIO else 'MISSED'}), {two_sending / one_sending:.2f} while sending "
              f"(the round's planning apart); {two / base:.2f} × baseline ({_load()})")  # fmt: skip


if __name__ == "__main__":
    main()
