"""The PostgreSQL server tests may use (SERVICESCORE_DATABASE_URL), and running its admin statements from sync code."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
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
