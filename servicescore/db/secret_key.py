"""The installation's secret key: SERVICESCORE_SECRET_KEY, else made once and kept in the database.

Every process of an installation must agree on it (a form served by one process is posted to another, and a
client's pseudonyms must not depend on the machine that made the export), and a restart must not invalidate open
forms. Kept in the database, it needs nothing from a process but the database URL: processes with separate data
dirs agree. The first process to need it stores it (`INSERT … ON CONFLICT DO NOTHING`, then a read: under
concurrency the first writer wins and every process reads the winner's key). An installation from before kept its
key in `<data dir>/secret_key`; when that file exists and the database holds no key yet, the file's key is the one
stored, so pseudonyms and open forms survive the upgrade. A key set in the environment wins and is never written.

`load_secret_key` runs when a process opens the database (`lifecycle.start_database`); `resolve_secret_key` then
answers synchronously wherever the key is used (CSRF, derived keys). A process that never opened the database through
`start_database` (a spawned report worker) reads it there on first use.
"""

from __future__ import annotations

import asyncio
import secrets
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path
from typing import Final

import asyncpg

from servicescore.db.common import BUSY_TIMEOUT_MS, DatabaseUnreachable, sqlite_path
from servicescore.settings import Settings

FILE_NAME: Final[str] = "secret_key"  # where installations before the database kept it, in the data dir
NAME: Final[str] = "secret_key"  # its row in `installation_secret`
MIN_LENGTH: Final[int] = 32
_SELECT: Final[str] = "SELECT value FROM installation_secret WHERE name = {}"
_INSERT: Final[str] = "INSERT INTO installation_secret (name, value) VALUES ({}, {}) ON CONFLICT (name) DO NOTHING"

_LOADED: dict[str, str] = {}  # database URL → its key, for this process


class SecretKeyUnreadable(DatabaseUnreachable):
    """Opening the database stops at a key it cannot have; commands end with the one line, as for the database."""


def _from_environment(settings: Settings) -> str | None:
    return settings.secret_key.get_secret_value() if "secret_key" in settings.model_fields_set else None


def _first_key(data_dir: Path) -> str:
    """The key to store: the data dir's key of an installation from before, else a new one."""
    path = data_dir / FILE_NAME
    if not path.exists():
        return secrets.token_urlsafe(48)
    key = path.read_text(encoding="utf-8").strip()
    if len(key) < MIN_LENGTH:
        raise SecretKeyUnreadable(f"{path} holds no usable key: delete it to have a new one made")
    return key


def _sqlite_key(url: str, data_dir: Path) -> str:
    """Through Python's own `sqlite3`, the library every writer of the file uses (see `snapshot_reads`)."""
    with closing(sqlite3.connect(sqlite_path(url), timeout=BUSY_TIMEOUT_MS / 1000)) as connection:
        if (row := connection.execute(_SELECT.format("?"), (NAME,)).fetchone()) is None:
            with connection:
                connection.execute(_INSERT.format("?", "?"), (NAME, _first_key(data_dir)))
            row = connection.execute(_SELECT.format("?"), (NAME,)).fetchone()
        return str(row[0])


async def _postgres_key(url: str, data_dir: Path) -> str:
    connection = await asyncpg.connect(url)
    try:
        if (key := await connection.fetchval(_SELECT.format("$1"), NAME)) is None:
            await connection.execute(_INSERT.format("$1", "$2"), NAME, _first_key(data_dir))
            key = await connection.fetchval(_SELECT.format("$1"), NAME)
        return str(key)
    finally:
        await connection.close()


def _stored_key(settings: Settings) -> str:
    """The database's key, stored first when it has none: the first insert wins, every process reads the winner's.
    On a connection of its own (a thread and event loop of its own for PostgreSQL), so it answers from any thread,
    inside an event loop or not."""
    url = settings.database
    if settings.is_sqlite:
        return _sqlite_key(url, settings.data_dir)
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, _postgres_key(url, settings.data_dir)).result()


async def load_secret_key(settings: Settings) -> str:
    """Read (or first store) the installation's key when a process opens the database, for `resolve_secret_key`."""
    if (key := _from_environment(settings)) is not None:
        return key
    key = _LOADED[settings.database] = await asyncio.to_thread(_stored_key, settings)
    return key


def resolve_secret_key(settings: Settings) -> str:
    """The installation's key: the environment's, else the database's (read when this process opened it, or now)."""
    if (key := _from_environment(settings)) is not None:
        return key
    if (key := _LOADED.get(settings.database)) is None:
        key = _LOADED[settings.database] = _stored_key(settings)
    return key
