"""Locks that serialise machines, not just the processes of one: PostgreSQL's advisory locks.

A lock is held on a connection of its own, opened for it in a thread with its own event loop, so a caller in any
thread (the snapshot refresh runs off the event loop, or in a command) takes it the same way. Closing that
connection releases the lock, and so does the server when the process holding it dies: a killed refresher never
leaves its lock behind.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections.abc import AsyncIterator, Coroutine, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any, TypeVar

import asyncpg

T = TypeVar("T")


def lock_key(name: str) -> int:
    """The lock's number: PostgreSQL names advisory locks by a signed 64-bit integer; ours are named by text."""
    digest = hashlib.sha256(f"servicescore lock\0{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def advisory_lock(url: str, name: str) -> Iterator[None]:
    """Hold the advisory lock `name` of the database at `url` while the block runs; anyone else asking for it, on
    any machine, waits until the block is left."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name=f"advisory lock {name}", daemon=True)
    thread.start()

    def call(coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result()

    try:
        connection = call(asyncpg.connect(url))
        try:
            call(connection.execute("SELECT pg_advisory_lock($1)", lock_key(name)))
            yield
        finally:
            call(connection.close())  # ends the session, and with it the lock
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()


@asynccontextmanager
async def advisory_lock_async(url: str, name: str) -> AsyncIterator[None]:
    """`advisory_lock` for a coroutine: the wait for the lock and its release run off the event loop."""
    lock = advisory_lock(url, name)
    await asyncio.to_thread(lock.__enter__)
    try:
        yield
    finally:
        await asyncio.to_thread(lock.__exit__, None, None, None)
