"""The ceilings of the respond benchmark: a bare Litestar handler that inserts one row per request and commits it.

``BENCH_URL`` chooses the database: a SQLite file path (WAL, ``synchronous=FULL``, ``BEGIN IMMEDIATE`` on a
connection per thread, as a plain synchronous handler would do) or a ``postgresql://`` URL (raw asyncpg with a pool
made with the options the app's engine uses, ``servicescore.db.lifecycle.POOL_OPTIONS``, so that both pay the same
per-connection costs). Served by uvicorn in its own process: ``uvicorn --app-dir tests/benchmarks
respond_ceiling:app``.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, Request, post

URL = os.environ.get("BENCH_URL", "bench.sqlite3")
_local = threading.local()
_pool: Any = None


def _sqlite() -> sqlite3.Connection:
    if not hasattr(_local, "db"):
        db = sqlite3.connect(URL, isolation_level=None, timeout=30)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA busy_timeout = 30000")
        _local.db = db
    return _local.db  # type: ignore[no-any-return]


@post("/insert", status_code=201, sync_to_thread=True)
def insert_sqlite(request: Request[Any, Any, Any]) -> None:
    db = _sqlite()
    db.execute("BEGIN IMMEDIATE")
    db.execute("INSERT INTO row (id, body) VALUES (?, ?)", (str(uuid.uuid4()), b"x" * 64))
    db.execute("COMMIT")


@post("/insert", status_code=201)
async def insert_postgres(request: Request[Any, Any, Any]) -> None:
    await _pool.execute("INSERT INTO row (id, body) VALUES ($1, $2)", uuid.uuid4(), await request.body())


@asynccontextmanager
async def lifespan(_: Litestar) -> AsyncIterator[None]:
    global _pool  # noqa: PLW0603 - one pool per process, like the app's engine
    if URL.startswith("postgres"):
        import asyncpg

        from servicescore.db.lifecycle import POOL_OPTIONS

        _pool = await asyncpg.create_pool(URL, **POOL_OPTIONS)
        # Another worker may create it at the same moment, which IF NOT EXISTS does not cover.
        with contextlib.suppress(asyncpg.UniqueViolationError):
            await _pool.execute("CREATE TABLE IF NOT EXISTS row (id UUID PRIMARY KEY, body BYTEA)")
        yield
        await _pool.close()
        return
    _sqlite().execute("CREATE TABLE IF NOT EXISTS row (id TEXT PRIMARY KEY, body BLOB)")
    yield


app = Litestar([insert_postgres if URL.startswith("postgres") else insert_sqlite], lifespan=[lifespan])
