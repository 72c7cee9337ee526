"""Reading SQLite for analytics holds a bounded slice of rows as Python objects at a time: a first build read a
million responses with one `fetchall` (1.4 GB of tuples at 11M answers), now `_SLICE` rows at a time."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from servicescore.db import snapshot_reads as reads
from servicescore.snapshot import refresh_snapshot
from tests.support.analytics_world import build_world, settings_for

pytestmark = pytest.mark.anyio


class _Counting:
    """A `sqlite3` connection whose cursors note how many rows each fetch returned."""

    def __init__(self, connection: sqlite3.Connection, fetched: list[int]) -> None:
        self._connection, self._fetched = connection, fetched

    def execute(self, sql: str, *parameters: Any) -> _Counting:
        self._cursor = self._connection.execute(sql, *parameters)
        return self

    def _note(self, rows: list[Any]) -> list[Any]:
        self._fetched.append(len(rows))
        return rows

    def fetchall(self) -> list[Any]:
        return self._note(self._cursor.fetchall())

    def fetchmany(self, size: int) -> list[Any]:
        return self._note(self._cursor.fetchmany(size))

    @property
    def description(self) -> Any:
        return self._cursor.description

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)


async def test_a_first_build_holds_a_slice_of_rows_at_a_time(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's rows arrive as Arrow, never as Python objects")
    world = await build_world(database_url)
    settings = settings_for(database_url, tmp_path)
    for number in range(7):
        await world.add("zorngarden", f"2026-Q{number % 2 + 1}", [number % 5 + 1, 4, 5])
    fetched: list[int] = []
    connect = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda *args, **kwargs: _Counting(connect(*args, **kwargs), fetched))
    monkeypatch.setattr(reads, "_SLICE", 2, raising=False)

    report = await asyncio.to_thread(refresh_snapshot, settings)

    assert report.rows_written == 21
    assert max(fetched) == 2, "no read holds more than a slice of rows as Python objects"
