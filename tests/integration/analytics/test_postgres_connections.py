"""PostgreSQL reads for analytics keep their connection for the process's next read: opening one took 25–120 ms,
while the freshness check it served is two small queries (≤ 5 ms). A kept connection that the server closed meanwhile
(a restart, an idle timeout) is replaced, and the read still answers."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from servicescore.db import snapshot_reads as reads
from servicescore.settings import Settings
from servicescore.snapshot import refresh_snapshot
from tests.support.analytics_world import World, build_world, settings_for

pytestmark = pytest.mark.anyio

_BACKEND = "SELECT pg_backend_pid() AS pid"


def _backend(url: str) -> int:
    return int(reads.read_frame(url, _BACKEND).item())


async def _refreshed_world(database_url: str, tmp_path: Path) -> tuple[World, Settings]:
    """A world with three answers on PostgreSQL, its snapshot made (SQLite has no connection to keep: skipped)."""
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite opens a file, not a connection to a server")
    world = await build_world(database_url)
    await world.add("zorngarden", "2026-Q1", [5, 4, 5])
    settings = settings_for(database_url, tmp_path)
    await asyncio.to_thread(refresh_snapshot, settings)
    return world, settings


async def test_reads_and_freshness_checks_share_one_connection(database_url: str, tmp_path: Path) -> None:
    _, settings = await _refreshed_world(database_url, tmp_path)
    first = await asyncio.to_thread(_backend, database_url)

    checks = [await asyncio.to_thread(refresh_snapshot, settings, "employee-pulse") for _ in range(3)]
    then = await asyncio.to_thread(_backend, database_url)

    assert [check.kept for check in checks] == [1, 1, 1], "the snapshot was current: each check only read versions"
    assert then == first, "the checks ran on the connection the first read opened"


async def test_a_connection_the_server_closed_is_replaced(database_url: str, tmp_path: Path) -> None:
    world, settings = await _refreshed_world(database_url, tmp_path)
    kept = await asyncio.to_thread(_backend, database_url)
    admin = await asyncpg.connect(database_url)
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1, 10000)", kept)
        await world.add("zorngarden", "2026-Q1", [1, 2, 3])

        report = await asyncio.to_thread(refresh_snapshot, settings)
    finally:
        await admin.close()

    assert report.appended == [("employee-pulse", "2026-Q1")]
    assert await asyncio.to_thread(_backend, database_url) != kept


async def test_a_refresh_takes_its_lock_on_its_kept_connection(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The refresh lock (an advisory lock, which machines share) is taken and released on the connection the
    refresh reads through: it opened a session of its own for every refresh that wrote (20–470 ms at 1M responses on
    a loaded server), and the server holds no lock afterwards."""
    world, settings = await _refreshed_world(database_url, tmp_path)
    kept = await asyncio.to_thread(_backend, database_url)
    await world.add("zorngarden", "2026-Q1", [1, 2, 3])
    sessions: list[str] = []
    sent: list[str] = []
    connect, read_rows = asyncpg.connect, reads.read_rows

    def counted(*arguments: Any, **options: Any) -> Any:
        sessions.append(str(arguments[0]))
        return connect(*arguments, **options)

    def noted(url: str, query: str, parameters: Any = ()) -> Any:
        sent.append(query)
        return read_rows(url, query, parameters)

    monkeypatch.setattr(asyncpg, "connect", counted)
    monkeypatch.setattr(reads, "read_rows", noted, raising=False)
    report = await asyncio.to_thread(refresh_snapshot, settings)
    monkeypatch.undo()

    assert report.appended == [("employee-pulse", "2026-Q1")]
    assert sessions == []
    assert [query.split("(")[0] for query in sent if "advisory" in query] == [
        "SELECT pg_advisory_lock",
        "SELECT pg_advisory_unlock",
    ]
    assert await asyncio.to_thread(_backend, database_url) == kept
    admin = await asyncpg.connect(database_url)
    try:
        assert await admin.fetchval("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'") == 0
    finally:
        await admin.close()
