"""Running jobs: a `Runner` is huey's worker and scheduler loops on threads, with the job table kept true.

huey's own `Consumer` installs process signal handlers when it starts, which a web server (uvicorn owns SIGINT and
SIGTERM) or a command must not have taken from it; so the runner drives huey's public `Worker` and `Scheduler`
loops on its own threads, and whoever owns the process decides when to `stop` it (`servicescore worker` on SIGTERM
or Ctrl-C, the web app when its lifespan ends, `report --all` when its batch is done).

The database belongs to one asyncio event loop (Piccolo's PostgreSQL pool is bound to it), so every job runs on
that loop: a worker thread hands the job's coroutine over and waits for it. The number of worker threads is the
number of jobs under way at once. A handler's blocking work goes to a thread or process of its own, as the web's
does.

For each message the runner claims the job in the table (queued and due → running, one more attempt), beats its
heartbeat while it runs, and records the end: done with its result; failed at once when the handler `Refused` it;
else queued again after an exponential backoff (``job_retry_seconds`` × 2ⁿ, at most an hour) until the last
attempt, which is failed with the error's first line (the traceback goes to the log only). Every
``3 × job_heartbeat_seconds``, and when it starts, it recovers what a dead process left: running jobs whose
heartbeat stopped and queued jobs the queue has no message for are sent again. At a stop, jobs under way get
`SHUTDOWN_SECONDS` to finish; then they are interrupted and queued again without losing an attempt.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import CancelledError
from datetime import UTC, datetime, timedelta
from typing import Any, Final, TypeVar

from huey.consumer import Scheduler, Worker

from servicescore.db import jobs as table
from servicescore.jobs import kinds  # noqa: F401 - registers every job kind and periodic job
from servicescore.jobs.queue import Queue
from servicescore.jobs.registry import KINDS, JobRun, Refused
from servicescore.settings import Settings

T = TypeVar("T")
log = logging.getLogger("servicescore.jobs")

IN_PROCESS_WORKERS: Final[int] = 2  # serve, demo and `report --all` run this many jobs at once themselves
SHUTDOWN_SECONDS: Final[float] = 30.0
MAX_RETRY_SECONDS: Final[float] = 3600.0
MISSED_HEARTBEATS: Final[int] = 3  # a running job whose heartbeat is this many beats old has lost its worker
REASON_LENGTH: Final[int] = 300
PERIODIC_KEPT: Final[timedelta] = timedelta(days=1)  # finished periodic runs are deleted after this


def utcnow() -> datetime:
    return datetime.now(UTC)


def one_line(error: BaseException) -> str:
    """The reason a consultant reads: the error's first line (its type when it has no message), no traceback."""
    text = str(error).strip().splitlines()
    line = text[0] if text else type(error).__name__
    return line if len(line) <= REASON_LENGTH else line[: REASON_LENGTH - 1] + "…"


def retry_delay(settings: Settings, attempt: int) -> float:
    """Seconds before the attempt after ``attempt`` (1, 2, …): doubling from ``job_retry_seconds``."""
    return min(settings.job_retry_seconds * 2.0 ** (attempt - 1), MAX_RETRY_SECONDS)


class Runner:
    """``workers`` threads running jobs of the queue on ``loop``, a scheduler thread (retries that come due, and
    with ``periodic`` the periodic jobs) and a watch thread (heartbeats, recovery). Start and stop it from ``loop``."""

    def __init__(
        self, settings: Settings, loop: asyncio.AbstractEventLoop, *, workers: int, periodic: bool = True
    ) -> None:
        self.settings, self.loop, self.workers, self.periodic = settings, loop, workers, periodic
        self.name = f"{socket.gethostname()}:{os.getpid()}"[:120]
        self.queue = Queue(settings.queue)
        self.queue.serve(self._execute, self._tick)
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []
        self.running: dict[int, int] = {}  # job id → attempt, touched on the loop only
        self.tasks: set[asyncio.Task[None]] = set()
        self.beat = settings.job_heartbeat_seconds

    async def start(self) -> None:
        await asyncio.to_thread(self.queue.probe)
        await self.recover()
        huey = self.queue.huey
        loops: list[tuple[str, Any]] = [
            (f"job-worker-{n + 1}", Worker(huey, self.stopping, default_delay=0.1, max_delay=1.0, backoff=1.15))
            for n in range(self.workers)
        ]
        loops.append(("job-scheduler", Scheduler(huey, self.stopping, interval=1, periodic=self.periodic)))
        for name, process in loops:
            self.threads.append(threading.Thread(target=self._loop, args=(process,), name=name, daemon=True))
        self.threads.append(threading.Thread(target=self._watch, name="job-watch", daemon=True))
        for thread in self.threads:
            thread.start()
        log.info("job runner %s started: %d worker(s) on %s", self.name, self.workers, self.settings.queue)

    async def stop(self, grace: float = SHUTDOWN_SECONDS) -> None:
        """Stop taking jobs; let those under way finish for ``grace`` seconds, then interrupt them (queued again)."""
        self.stopping.set()
        workers = [t for t in self.threads if t.name.startswith("job-worker")]
        await asyncio.to_thread(_join, workers, grace)
        for task in list(self.tasks):
            task.cancel()
        if self.tasks:
            await asyncio.gather(*self.tasks, return_exceptions=True)
        await asyncio.to_thread(_join, self.threads, grace)
        self.queue.close()

    def _loop(self, process: Any) -> None:
        while not self.stopping.is_set():
            process.loop()

    def _watch(self) -> None:
        """Heartbeats every beat; recovery every `MISSED_HEARTBEATS` beats."""
        beats = 0
        while not self.stopping.wait(self.beat):
            beats += 1
            try:
                self._call(self.heartbeat)
                if beats % MISSED_HEARTBEATS == 0:
                    self._call(self.recover)
            except Exception:  # a database or queue away for a moment: the next beat tries again
                log.exception("job heartbeat or recovery failed; trying again in %s s", self.beat)

    def _call(self, function: Callable[..., Coroutine[Any, Any, T]], *args: Any) -> T:
        """Run ``function(*args)`` on the runner's loop from one of its threads and wait for it."""
        if self.loop.is_closed():
            raise RuntimeError("the event loop of the job runner is closed")
        return asyncio.run_coroutine_threadsafe(function(*args), self.loop).result()

    def _execute(self, job_id: int) -> None:
        """A worker thread took a message for ``job_id``."""
        if self.stopping.is_set():
            self.queue.send(job_id)  # taken just as the runner stops: back to the queue for the next worker
            return
        with contextlib.suppress(CancelledError):  # interrupted by `stop`: the job was queued again
            self._call(self.run, job_id)

    def _tick(self, kind: str) -> None:
        """A periodic job's minute came: store its run once, whichever scheduler came first, and send it."""
        minute = utcnow().replace(second=0, microsecond=0).isoformat()
        stored = self._call(self._store_tick, kind, minute)
        if stored is not None:
            self.queue.send(stored)

    async def _store_tick(self, kind: str, minute: str) -> int | None:
        payload, key = json.dumps({"minute": minute}), f"{kind}@{minute}"
        return await table.insert_once(kind, payload, key, max_attempts=self.settings.job_attempts, now=utcnow())

    async def heartbeat(self) -> None:
        if self.running:
            await table.heartbeat(sorted(self.running.items()), utcnow())

    async def recover(self) -> list[int]:
        """Send again the jobs a dead process left: running with a stopped heartbeat, or queued (for more than a
        few beats) without a message in the queue. Returns their ids."""
        now = utcnow()
        overdue = now - timedelta(seconds=self.beat * MISSED_HEARTBEATS)
        stale = await table.requeue_stale(overdue, now)
        waiting_long = [job for job in await table.queued_due(overdue) if job not in stale]
        lost = []
        if waiting_long:
            in_queue = await asyncio.to_thread(self.queue.waiting)
            lost = [job for job in waiting_long if job not in in_queue and job not in self.running]
        for job_id in (*stale, *lost):
            await asyncio.to_thread(self.queue.send, job_id)
        if stale or lost:
            log.warning("jobs sent again: %s (worker stopped), %s (message lost)", stale, lost)
        await table.prune_periodic(now - PERIODIC_KEPT)
        return [*stale, *lost]

    async def run(self, job_id: int) -> None:
        """Claim the job and run it to its next state (see the module docstring)."""
        now = utcnow()
        job = await table.claim(job_id, self.name, now)
        if job is None:
            row = await table.get(job_id)
            if row is not None and row.status == "queued" and row.run_after > now:
                delay = (row.run_after - now).total_seconds()
                await asyncio.to_thread(self.queue.send, job_id, delay)  # a copy that came early: back until due
            return  # running elsewhere, finished, or gone: at-least-once delivery ends here
        task = asyncio.current_task()
        assert task is not None
        self.tasks.add(task)
        self.running[job.id] = job.attempts
        try:
            await self._attempt(job)
        finally:
            self.running.pop(job.id, None)
            self.tasks.discard(task)

    async def _attempt(self, job: table.JobRow) -> None:
        attempt = job.attempts

        async def progress(done: int, total: int) -> None:
            await table.set_progress(job.id, attempt, done, total)

        run = JobRun(job.id, job.kind, job.organisation, json.loads(job.payload), attempt, self.settings, progress)
        try:
            handler = KINDS.get(job.kind)
            if handler is None:
                raise Refused(f"no such kind of job: {job.kind}")
            result = await handler(run)
        except asyncio.CancelledError:
            await table.release(job.id, attempt)
            await asyncio.to_thread(self.queue.send, job.id)
            raise
        except Refused as refusal:
            await table.fail(job.id, attempt, one_line(refusal), utcnow())
        except Exception as error:
            log.exception("job %s (%s) attempt %d of %d failed", job.id, job.kind, attempt, job.max_attempts)
            if attempt >= job.max_attempts:
                await table.fail(job.id, attempt, one_line(error), utcnow())
                return
            delay = retry_delay(self.settings, attempt)
            if await table.retry_later(job.id, attempt, one_line(error), utcnow() + timedelta(seconds=delay)):
                await asyncio.to_thread(self.queue.send, job.id, delay)
        else:
            await table.finish(job.id, attempt, result, utcnow())


def _join(threads: list[threading.Thread], timeout: float) -> None:
    """Wait for ``threads`` to end, ``timeout`` seconds for all of them together."""
    end = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, end - time.monotonic()))
