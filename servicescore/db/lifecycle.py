"""Opening and closing the database for a process: probe, migrate or verify, read the secret key, pool."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine

from servicescore.db.common import DatabaseUnreachable
from servicescore.db.engine import open_database
from servicescore.db.migrate import migrate, pending_migrations
from servicescore.db.secret_key import load_secret_key
from servicescore.settings import Settings


async def _keep_session(_: object) -> None:
    """Returning a connection to the pool: asyncpg still rolls back an open transaction; the four-statement reset
    round trip (advisory locks, cursors, LISTEN, settings) is skipped, since this code leaves none of them behind.
    It was a sixth of a respondent's page on PostgreSQL."""


POOL_OPTIONS: dict[str, object] = {"min_size": 1, "max_size": 20, "reset": _keep_session}


async def start_database(settings: Settings, *, apply_migrations: bool | None = None) -> Engine[Any]:
    """Open the configured database. The embedded SQLite database migrates itself; a PostgreSQL server is only
    checked, because several app processes may start at once and migrating is a deliberate `db migrate`."""
    engine = await open_database(settings.database)
    if apply_migrations is None:
        apply_migrations = settings.is_sqlite
    if apply_migrations:
        await migrate()
    elif pending := await pending_migrations():
        raise DatabaseUnreachable(
            f"the database lacks {len(pending)} migration(s) ({pending[0]} …): run `servicescore db migrate`"
        )
    await load_secret_key(settings)  # once per process: then read synchronously wherever it is used
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(**POOL_OPTIONS)
    return engine


async def stop_database(engine: Engine[Any]) -> None:
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()


@asynccontextmanager
async def database(settings: Settings, *, apply_migrations: bool | None = None) -> AsyncIterator[Engine[Any]]:
    engine = await start_database(settings, apply_migrations=apply_migrations)
    try:
        yield engine
    finally:
        await stop_database(engine)
