"""Reading for analytics holds a bounded slice of rows at a time. On SQLite a first build read a million responses
with one `fetchall` (1.4 GB of tuples at 11M answers); on PostgreSQL libpq held the whole result of the counted
responses (450 MB) before the first row reached Arrow. Both now take `_SLICE` rows at a time."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from servicescore.db import snapshot_reads as reads
from servicescore.settings import Settings
from servicescore.snapshot import refresh_snapshot
from tests.support.analytics_world import build_world, settings_for

pytestmark = pytest.mark.anyio


class _Counting:
    """A `sqlite3` connection whose cursors note how many rows each fetch of responses or answers returned (the
    freshness check reads its handful of rows whole)."""

    def __init__(self, connection: sqlite3.Connection, fetched: list[int]) -> None:
        self._connection, self._fetched = connection, fetched

    def execute(self, sql: str, *parameters: Any) -> _Counting:
        self._cursor = self._connection.execute(sql, *parameters)
        self._responses = "response_number" in sql
        return self

    def _note(self, rows: list[Any]) -> list[Any]:
        if self._responses:
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


async def _seven_responses(database_url: str, tmp_path: Path) -> Settings:
    """Seven responses of three answers over two waves: 21 rows, read in slices of 2 when a test sets `_SLICE`."""
    world = await build_world(database_url)
    for number in range(7):
        await world.add("zorngarden", f"2026-Q{number % 2 + 1}", [number % 5 + 1, 4, 5])
    return settings_for(database_url, tmp_path)


async def test_a_first_build_holds_a_slice_of_rows_at_a_time(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's rows arrive as Arrow, never as Python objects")
    settings = await _seven_responses(database_url, tmp_path)
    fetched: list[int] = []
    connect = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda *args, **kwargs: _Counting(connect(*args, **kwargs), fetched))
    monkeypatch.setattr(reads, "_SLICE", 2, raising=False)

    report = await asyncio.to_thread(refresh_snapshot, settings)

    assert report.rows_written == 21
    assert max(fetched) == 2, "no read holds more than a slice of rows as Python objects"


def _recording(connection: type, sizes: list[int]) -> type:
    """The module's PostgreSQL connection, noting the rows of each result that carries responses or answers."""

    class Recording(connection):  # type: ignore[misc]  # a base class given at run time
        def table(self, sql: str, values: pa.RecordBatch | None = None) -> pa.Table:
            result: pa.Table = super().table(sql, values)
            if "response_number" in result.column_names:
                sizes.append(result.num_rows)
            return result

    return Recording


async def test_a_postgresql_build_fetches_a_slice_of_rows_at_a_time(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("the SQLite read is the test above")
    settings = await _seven_responses(database_url, tmp_path)
    sizes: list[int] = []
    connection = getattr(reads, "_Postgres", object)
    monkeypatch.setattr(reads, "_Postgres", _recording(connection, sizes), raising=False)
    monkeypatch.setattr(reads, "_SLICE", 2, raising=False)

    report = await asyncio.to_thread(refresh_snapshot, settings)

    assert report.rows_written == 21
    assert sizes, "responses and answers are read through the module's connection"
    assert max(sizes) == 2, "no result of responses or answers holds more than a slice of rows"
    assert sum(sizes) == 7 + 21, "every counted response and every answer, once"
