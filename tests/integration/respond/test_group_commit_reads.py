"""The group-commit writer's reads: answered at once on their own connection, and never from an old snapshot."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from servicescore.db.group_commit import GroupCommitWriter

pytestmark = pytest.mark.anyio


def _count(db: sqlite3.Connection) -> int:
    return int(db.execute("SELECT count(*) FROM t").fetchall()[0][0])


async def test_every_read_sees_every_write_already_answered(tmp_path: Path) -> None:
    path = tmp_path / "reads.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    writer = GroupCommitWriter(path)
    for expected in range(1, 6):
        await writer.write(lambda db: db.execute("INSERT INTO t (v) VALUES ('x')").lastrowid)
        assert await writer.read(_count) == expected  # the reading connection holds no snapshot between reads
    # A batch of writes answered together: all visible once the last is answered.
    await asyncio.gather(*(writer.write(lambda db: db.execute("INSERT INTO t (v) VALUES ('y')")) for _ in range(20)))
    assert await writer.read(_count) == 25


async def test_the_reading_connection_cannot_write(tmp_path: Path) -> None:
    path = tmp_path / "read-only.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    writer = GroupCommitWriter(path)
    with pytest.raises(sqlite3.OperationalError, match=r"readonly|read-only|query_only"):
        await writer.read(lambda db: db.execute("INSERT INTO t (v) VALUES ('z')"))
    assert await writer.read(_count) == 0
