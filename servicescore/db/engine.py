"""Building the database engine from a URL, binding it to the tables, and write transactions.

SQLite is the embedded default: WAL journal, ``synchronous=FULL`` and a busy timeout on every connection,
and write transactions begin ``IMMEDIATE`` so two writers queue on the lock instead of failing on upgrade.
"""

from __future__ import annotations

import errno
import logging
import socket
import sqlite3
import warnings
from typing import Any
from urllib.parse import urlsplit

from asyncpg.exceptions import (
    AdminShutdownError,
    CannotConnectNowError,
    CrashShutdownError,
    PostgresConnectionError,
)
from piccolo.apps.migrations.tables import Migration
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.table import Table

from servicescore.db import piccolo_conf
from servicescore.db.common import BUSY_TIMEOUT_MS, DatabaseUnreachable, sqlite_path
from servicescore.db.tables import TABLES

# Piccolo announces the server version at INFO on every start, parsed as a float ("SQLite 3.4" for 3.40): noise
# for a user reading the serve log. Its warnings still show.
logging.getLogger("piccolo").setLevel(logging.WARNING)


# What a statement raises when the database server cannot be reached: refused, dropped or reset connections, a server
# shutting down or starting up. A query's own errors (constraints, syntax) are not among them; nor is a socket error
# of another service (the job queue, SMTP), which comes from outside the database driver.
_LOST_ERRNOS = frozenset({errno.ECONNREFUSED, errno.ECONNRESET, errno.EHOSTUNREACH, errno.ENETUNREACH, errno.ETIMEDOUT})
_LOST_SERVER = (PostgresConnectionError, AdminShutdownError, CrashShutdownError, CannotConnectNowError)
_DRIVERS = ("asyncpg", "piccolo")


def _raised_in_driver(error: BaseException) -> bool:
    frame = error.__traceback__
    while frame is not None:
        if str(frame.tb_frame.f_globals.get("__name__", "")).startswith(_DRIVERS):
            return True
        frame = frame.tb_next
    return False


def _socket_lost(error: BaseException) -> bool:
    if isinstance(error, (ConnectionError, socket.gaierror)):
        return True
    # asyncpg's "Multiple exceptions: …" when every address of the host refused
    return isinstance(error, OSError) and (error.errno in _LOST_ERRNOS or str(error).startswith("Multiple ex"))


def lost_database(error: BaseException) -> bool:
    """Whether ``error`` (or what caused it) says the database server could not be reached, rather than that a
    statement failed: the page can say "try again in a moment" instead of reporting a fault."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, _LOST_SERVER) or (_socket_lost(current) and _raised_in_driver(current)):
            return True
        current = current.__cause__ or current.__context__
    return False


class _DurableConnection(sqlite3.Connection):
    """Every SQLite connection Piccolo opens gets the same durability and waiting rules."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.execute("PRAGMA synchronous = FULL")
        self.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self.execute("PRAGMA foreign_keys = ON")


def make_engine(url: str) -> Engine[Any]:
    if url.startswith("sqlite:///"):
        return SQLiteEngine(path=str(sqlite_path(url)), factory=_DurableConnection, timeout=BUSY_TIMEOUT_MS / 1000)
    if url.startswith(("postgresql://", "postgres://")):
        # Piccolo probes the server while constructing and only warns; the probe in open_database reports it.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return PostgresEngine(config={"dsn": url})
    raise DatabaseUnreachable(
        f"SERVICESCORE_DATABASE_URL must start with sqlite:/// or postgresql:// (got {redact(url)!r})"
    )


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@", 1)
    return url


def bind(engine: Engine[Any]) -> None:
    """Point every table, and Piccolo's migration runner, at this engine."""
    piccolo_conf.DB = engine
    tables: tuple[type[Table], ...] = (*TABLES, Migration)
    for table in tables:
        table._meta.db = engine


async def open_database(url: str) -> Engine[Any]:
    """Build, bind and probe the engine; any failure becomes one readable line."""
    engine = make_engine(url)
    if isinstance(engine, SQLiteEngine):
        path = sqlite_path(url)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000) as probe:
                probe.execute("PRAGMA journal_mode = WAL")
        except (OSError, sqlite3.Error) as error:
            raise DatabaseUnreachable(f"cannot open the SQLite database at {path}: {error}") from error
    else:
        try:
            await engine.run_ddl("SELECT 1")
        except (OSError, ConnectionError) as error:
            raise DatabaseUnreachable(f"cannot reach the database at {redact(url)}: {error}") from error
        except Exception as error:  # asyncpg raises its own hierarchy (auth, unknown database, ...)
            raise DatabaseUnreachable(f"cannot use the database at {redact(url)}: {error}") from error
    bind(engine)
    return engine


def write_transaction(engine: Engine[Any]) -> Any:
    """A transaction for writes: ``BEGIN IMMEDIATE`` on SQLite, the default on PostgreSQL."""
    if isinstance(engine, SQLiteEngine):
        return engine.transaction(transaction_type=TransactionType.immediate)
    return engine.transaction()
