"""Locks that serialise machines, not just the processes of one: PostgreSQL's advisory locks.

A lock is held on a connection of its own, opened for it in a thread with its own event loop, so a caller in any
thread (the snapshot refresh runs off the event loop, or in a command) takes it the same way. Closing that
connection releases the lock, and so does the server when the process holding it dies: a killed refresher never
leaves its lock behind.

`try_lock` is for work that one process at a time is enough for (the periodic mail round): it does not wait, it
says whether it got the lock. On the embedded SQLite database, which serves the processes of one machine, it is an
exclusive ``flock`` on a file beside the database file, which the kernel releases when the process dies, as the
server does a killed session's advisory lock.
"""

from __future__ import annotations

import asyncio
import fcntl
import re
import threading
from collections.abc import AsyncIterator, Coroutine, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any, TypeVar

import asyncpg

from servicescore.db.common import lock_key, sqlite_path

T = TypeVar("T")


@contextmanager
def advisory_lock(url: str, name: str, *, wait: bool = True) -> Iterator[bool]:
    """Hold the advisory lock `name` of the database at `url` while the block runs; anyone else asking for it, on
    any machine, waits until the block is left. With ``wait=False`` the block runs at once, given False (and holding
    nothing) when another session holds the lock."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name=f"advisory lock {name}", daemon=True)
    thread.start()

    def call(coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result()

    try:
        connection = call(asyncpg.connect(url))
        try:
            if wait:
                call(connection.execute("SELECT pg_advisory_lock($1)", lock_key(name)))
                yield True
            else:
                yield bool(call(connection.fetchval("SELECT pg_try_advisory_lock($1)", lock_key(name))))
        finally:
            call(connection.close())  # ends the session, and with it the lock
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()


@asynccontextmanager
async def advisory_lock_async(url: str, name: str, *, wait: bool = True) -> AsyncIterator[bool]:
    """`advisory_lock` for a coroutine: the wait for the lock and its release run off the event loop."""
    lock = advisory_lock(url, name, wait=wait)
    held = await asyncio.to_thread(lock.__enter__)
    try:
        yield held
    finally:
        await asyncio.to_thread(lock.__exit__, None, None, None)


@contextmanager
def _file_lock(database: str, name: str) -> Iterator[bool]:
    """`try_lock` on SQLite: ``<database file>.<name>.lock``, taken without waiting."""
    path = sqlite_path(database)
    with path.with_name(f"{path.name}.{re.sub(r'[^a-z0-9]+', '-', name.lower())}.lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@asynccontextmanager
async def try_lock(database: str, name: str) -> AsyncIterator[bool]:
    """Hold the lock `name` of the database at `database` (a SQLite or PostgreSQL URL) while the block runs, if no
    other process holds it: the block is given True; else it runs at once, given False, holding nothing."""
    if database.startswith("sqlite:///"):
        with _file_lock(database, name) as held:
            yield held
        return
    async with advisory_lock_async(database, name, wait=False) as held:
        yield held
