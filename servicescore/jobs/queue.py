"""The queue between whoever enqueues a job and the workers that run it: huey, on its SQLite storage in the data
dir (one machine, no server) or on Redis (``SERVICESCORE_QUEUE_URL=redis://…``, workers on many machines).

A message carries only a job's id; what the job is, and whether it is still to be run, is in the job table. So a
message sent twice is harmless (only one claim of a queued job succeeds), and a lost one is sent again from the
table (`recovery`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from huey import RedisHuey, SqliteHuey
from huey.api import Huey
from redis import ConnectionPool

from servicescore.jobs.registry import PERIODIC

JOB_TASK = "servicescore.job"
CONNECT_SECONDS = 5.0  # a Redis host that does not answer fails a send or a health probe after this, never hangs it
PERIODIC_TASK = "servicescore.periodic.{kind}"
# huey logs every task it runs at INFO, and a task's failure with its traceback at ERROR; ours are one line per job
# in the table, and a handler's failure is logged once by the runner.
logging.getLogger("huey").setLevel(logging.WARNING)


class QueueUrlError(ValueError):
    """SERVICESCORE_QUEUE_URL is neither sqlite:/// nor redis(s)://."""


class QueueUnreachable(Exception):
    """The queue's storage cannot be opened or reached; the message is one line for the user."""


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    return url.replace(f":{parts.password}@", ":***@", 1) if parts.password else url


def make_huey(url: str) -> Huey:
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        # fsync: a job enqueued is on disk before enqueue returns (huey's SQLite storage uses Python's sqlite3)
        return SqliteHuey("servicescore", filename=str(path), results=False, fsync=True, timeout=30)
    if url.startswith(("redis://", "rediss://", "unix://")):
        pool = ConnectionPool.from_url(url, socket_connect_timeout=CONNECT_SECONDS)
        return RedisHuey("servicescore", connection_pool=pool, results=False)
    raise QueueUrlError(f"SERVICESCORE_QUEUE_URL must start with sqlite:/// or redis:// (got {redact(url)!r})")


class Queue:
    """One process's handle on the queue. A producer only sends; a `jobs.worker.Runner` also `serve`s, giving the
    functions its threads call for a job message and for a periodic tick."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.huey = make_huey(url)
        self._execute: Callable[[int], None] = _not_a_worker
        self._tick: Callable[[str], None] = _not_a_worker
        self.job_task = self.huey.task(name=JOB_TASK)(self._job)
        for kind, entry in PERIODIC.items():
            self.huey.periodic_task(entry.schedule, name=PERIODIC_TASK.format(kind=kind))(
                lambda kind=kind: self._tick(kind)
            )

    def _job(self, job_id: int) -> None:
        self._execute(job_id)  # looked up when the message is run: `serve` sets it after the task is registered

    def serve(self, execute: Callable[[int], None], tick: Callable[[str], None]) -> None:
        self._execute, self._tick = execute, tick

    def probe(self) -> None:
        """Reach the queue once, so a bad URL or a server that is down is one line at start, not a traceback."""
        try:
            self.huey.pending_count()
        except Exception as error:  # sqlite3's and redis's own errors
            raise QueueUnreachable(f"cannot reach the job queue at {redact(self.url)}: {error}") from error

    def send(self, job_id: int, delay: float = 0.0) -> None:
        """Put a message for the job in the queue, to be taken after ``delay`` seconds."""
        self.huey.enqueue(self.job_task.s(job_id, delay=delay) if delay > 0 else self.job_task.s(job_id))

    def waiting(self) -> set[int]:
        """The job ids the queue holds a message for, due or scheduled."""
        tasks = [*self.huey.pending(), *self.huey.scheduled()]
        return {int(task.args[0]) for task in tasks if task.name == JOB_TASK and task.args}

    def close(self) -> None:
        self.huey.storage.close()


def _not_a_worker(_: object) -> None:
    raise RuntimeError("this process only sends jobs; a worker runs them")
