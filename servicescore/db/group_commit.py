"""Group commit for the embedded SQLite database: one long-lived connection in one thread runs every queued write
of a moment in one ``BEGIN IMMEDIATE … COMMIT``, so fifty respondents sending a page at once cost one fsync, not
fifty, and none of them sleeps in SQLite's busy handler waiting for the others.

Each job runs inside its own SAVEPOINT: a job that raises is rolled back alone and gets its exception; the others
commit. A job's caller is answered only after the COMMIT returned (``synchronous=FULL``: the batch is on disk).
The writer takes whatever queued while the previous batch was committing, so batches grow with the load by
themselves: no timer holds a lone write back.

Reads run at once in the caller's thread on a second long-lived connection (WAL: a reader never waits for the
writer). Each read is its own read transaction, started after every write whose caller has been answered committed,
so it sees them all. A small indexed read costs tens of microseconds, less than handing it to the writer's thread and
waking the event loop again.

Piccolo's SQLite engine opens a connection per query; this writer is for the respondent's hot path only and keeps
the same column formats Piccolo writes (text UUIDs, ``str(datetime)`` times, 0/1 booleans).
"""

from __future__ import annotations

import asyncio
import queue
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

BUSY_TIMEOUT_MS = 30_000
MAX_BATCH = 256
IDLE_SECONDS = 30.0  # an idle writer closes its connection and ends its thread; the next job starts a new one


@dataclass
class _Job:
    run: Callable[[sqlite3.Connection], Any]
    future: asyncio.Future[Any]
    loop: asyncio.AbstractEventLoop


def _settle(job: _Job, result: Any, error: BaseException | None) -> None:
    def settle() -> None:
        if job.future.done():
            return
        if error is not None:
            job.future.set_exception(error)
        else:
            job.future.set_result(result)

    job.loop.call_soon_threadsafe(settle)


class GroupCommitWriter:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._reader: sqlite3.Connection | None = None
        self._read_lock = threading.Lock()

    async def write(self, job: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``job`` in the next batch; returns its result once the batch is committed, or raises its error."""
        return await self._submit(job)

    async def read(self, job: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``job`` now on the reading connection; it must consume its cursors (``fetchall``), so that no
        statement keeps its read transaction, and with it an old snapshot, open."""
        with self._read_lock:
            if self._reader is None:
                self._reader = self._connect(read_only=True)
            return job(self._reader)

    async def _submit(self, run: Callable[[sqlite3.Connection], T]) -> T:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._jobs.put(_Job(run, future, loop))
        self._ensure_thread()
        return await future

    def _ensure_thread(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._work, name=f"group-commit {self.path.name}", daemon=True)
                self._thread.start()

    def _connect(self, *, read_only: bool = False) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        if read_only:
            connection.execute("PRAGMA query_only = ON")
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            return connection
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA foreign_keys = ON")
        return connection

    def _work(self) -> None:
        connection = self._connect()
        try:
            while True:
                try:
                    first = self._jobs.get(timeout=IDLE_SECONDS)
                except queue.Empty:
                    with self._lock:
                        if self._jobs.empty():
                            self._thread = None
                            return
                    continue
                batch = [first]
                while len(batch) < MAX_BATCH:
                    try:
                        batch.append(self._jobs.get_nowait())
                    except queue.Empty:
                        break
                self._run_batch(connection, batch)
        finally:
            connection.close()

    def _run_batch(self, connection: sqlite3.Connection, writes: list[_Job]) -> None:
        outcomes: list[tuple[_Job, Any, BaseException | None]] = []
        try:
            connection.execute("BEGIN IMMEDIATE")
            for job in writes:
                connection.execute("SAVEPOINT job")
                try:
                    outcomes.append((job, job.run(connection), None))
                    connection.execute("RELEASE job")
                except Exception as error:  # rolled back alone; the others commit
                    connection.execute("ROLLBACK TO job")
                    connection.execute("RELEASE job")
                    outcomes.append((job, None, error))
            connection.execute("COMMIT")
        except sqlite3.Error as error:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            for job in writes:
                _settle(job, None, error)
            return
        for job, result, failure in outcomes:
            _settle(job, result, failure)


_writers: dict[str, GroupCommitWriter] = {}
_writers_lock = threading.Lock()


def writer_for(path: str) -> GroupCommitWriter:
    """The one writer of a database file in this process."""
    if (writer := _writers.get(path)) is not None:
        return writer
    with _writers_lock:
        resolved = Path(path).resolve()
        for known in _writers.values():
            if known.path == resolved:
                _writers[path] = known
                return known
        _writers[path] = GroupCommitWriter(resolved)
        return _writers[path]
