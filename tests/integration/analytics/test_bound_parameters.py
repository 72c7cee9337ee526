"""Every read of the operational database binds its values as parameters (the project's rule "every query
parameterised"): a value that holds a quote and SQL is data on both engines, and never part of a query's text."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from servicescore.db import snapshot_reads as reads
from tests.support.analytics_world import build_world

pytestmark = pytest.mark.anyio

HOSTILE = "x'); DROP TABLE answer; --"


class _Recording:
    """A `sqlite3` connection that notes the text of every statement it is given."""

    def __init__(self, connection: sqlite3.Connection, sent: list[str]) -> None:
        self._connection, self._sent = connection, sent

    def execute(self, sql: str, *parameters: Any) -> sqlite3.Cursor:
        self._sent.append(sql)
        return self._connection.execute(sql, *parameters)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)


def _reads(url: str, versions: list[int], response_id: str) -> dict[str, pl.DataFrame]:
    return {
        "partition_versions": reads.partition_versions(url, HOSTILE),
        "freshness": pl.DataFrame(list(reads.freshness(url, HOSTILE).partitions)),
        "instrument_versions": reads.instrument_versions(url, HOSTILE),
        "changed_responses": reads.changed_responses(url, HOSTILE, HOSTILE, 0)[0],
        "counted_responses in a hostile wave": reads.counted_responses(url, versions, [HOSTILE]),
        "answers_of_counted in a hostile wave": reads.answers_of_counted(url, versions, [HOSTILE]),
        "counted_responses of no version": reads.counted_responses(url, [], ["2026-Q1"]),
        "counted_responses by id": reads.counted_responses(url, versions, ["2026-Q1"], [response_id]),
        "answers_of_counted by id": reads.answers_of_counted(url, versions, ["2026-Q1"], [response_id]),
    }


async def test_a_hostile_value_is_read_as_data_on_each_engine(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await build_world(database_url)
    response_id = await world.add("zorngarden", "2026-Q1", [5, 4, 5])
    versions = list(world.versions.values())
    sent: list[str] = []
    connect: Callable[..., sqlite3.Connection] = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda *args, **kwargs: _Recording(connect(*args, **kwargs), sent))

    found = await asyncio.to_thread(_reads, database_url, versions, response_id)

    assert {name: frame.height for name, frame in found.items()} == {
        "partition_versions": 0,
        "freshness": 0,
        "instrument_versions": 0,
        "changed_responses": 0,
        "counted_responses in a hostile wave": 0,
        "answers_of_counted in a hostile wave": 0,
        "counted_responses of no version": 0,
        "counted_responses by id": 1,
        "answers_of_counted by id": 3,  # the answer table is still there, with the response's three answers
    }
    assert not [sql for sql in sent if "DROP" in sql or response_id in sql], "values are bound, never in the text"
