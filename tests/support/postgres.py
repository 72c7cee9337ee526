"""The PostgreSQL server tests may use (SERVICESCORE_DATABASE_URL), and running its admin statements from sync code."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

import asyncpg

T = TypeVar("T")
POSTGRES_URL = os.environ.get("SERVICESCORE_DATABASE_URL", "")


def run_apart(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run on an event loop of its own, in a thread of its own: a test's event loop may be running in this one."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


async def admin(statement: str) -> None:
    """One statement on the server's own database (CREATE/DROP DATABASE)."""
    connection = await asyncpg.connect(POSTGRES_URL)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def url_of(name: str) -> str:
    return POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"


@contextmanager
def scratch_database(prefix: str) -> Iterator[str]:
    """A new, empty database `<prefix>_<random>` on the server, dropped afterwards (even if sessions remain); its
    name."""
    name = f"{prefix}_{secrets.token_hex(6)}"
    run_apart(admin(f'CREATE DATABASE "{name}"'))
    try:
        yield name
    finally:
        run_apart(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
