"""The check before every read of the snapshot ("is it current?") is one statement on a kept connection, read as
tuples, and a manifest parsed once: at 1M responses it took 4.6–10.9 ms (two statements and their Polars frames, a
digest of the names through Polars, the manifest parsed and the table looked for through delta-rs each time). What
it saves must not cost correctness: the kept manifest follows another process's refresh, the kept SQLite connection
sees every later commit and a database file replaced at its path."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from servicescore.db import snapshot_reads
from servicescore.snapshot import refresh_snapshot, store
from tests.support.analytics_world import build_world, settings_for

pytestmark = pytest.mark.anyio


async def test_a_check_on_a_current_snapshot_is_one_statement_and_no_table_lookup(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three checks: three statements read as tuples (before: six, each made into a frame), and the table is not
    looked for again while its manifest and log are unchanged (before: once per check)."""
    world = await build_world(database_url)
    settings = settings_for(database_url, tmp_path)
    await world.add("zorngarden", "2026-Q1", [5, 4, 5])
    await world.add("zorngarden", "2026-Q2", [3, 4, 5])
    await asyncio.to_thread(refresh_snapshot, settings)
    await asyncio.to_thread(refresh_snapshot, settings, "employee-pulse")  # the manifest as this process parsed it
    reads: list[str] = []
    lookups: list[str] = []
    is_table = store.is_table
    # Every read of the operational database goes through one of these two (rows: `read_rows`, a frame: `read_frame`).
    originals = {name: getattr(snapshot_reads, name, None) for name in ("read_frame", "read_rows")}

    def noted(name: str) -> Callable[..., Any]:
        def read(*arguments: Any, **options: Any) -> Any:
            reads.append(name)
            function = originals[name]
            assert function is not None
            return function(*arguments, **options)

        return read

    def looked_for(where: store.Place) -> bool:
        lookups.append(where.table)
        return is_table(where)

    for name in originals:
        monkeypatch.setattr(snapshot_reads, name, noted(name), raising=False)
    monkeypatch.setattr(store, "is_table", looked_for)
    checks = [await asyncio.to_thread(refresh_snapshot, settings, "employee-pulse") for _ in range(3)]

    assert [(check.kept, check.rebuilt, check.merged) for check in checks] == [(2, [], [])] * 3
    assert reads == ["read_rows"] * 3
    assert lookups == []


_REFRESH = """
import sys
from pathlib import Path
from servicescore.settings import CHECKOUT_DIR, Settings
from servicescore.snapshot import refresh_snapshot
settings = Settings(data_dir=Path(sys.argv[1]), database_url=sys.argv[2], surveys_dir=CHECKOUT_DIR / "surveys")
print(refresh_snapshot(settings).appended)
"""


async def test_the_kept_manifest_follows_another_process_and_a_removed_table(database_url: str, tmp_path: Path) -> None:
    """This process keeps the manifest it parsed; another process's refresh replaces it, and the next check here reads
    the new one (its partition current, nothing merged twice). A table removed under an unchanged manifest is noticed:
    the snapshot is built again."""
    world = await build_world(database_url)
    settings = settings_for(database_url, tmp_path)
    await world.add("zorngarden", "2026-Q1", [5, 4, 5])
    await asyncio.to_thread(refresh_snapshot, settings)
    where = store.place(settings)
    before = (await asyncio.to_thread(store.read_manifest, where))[("employee-pulse", "2026-Q1")]

    await world.add("carl-larssons-gard", "2026-Q1", [1, 2, 3])
    other = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _REFRESH, str(settings.data_dir), database_url, stdout=asyncio.subprocess.PIPE
    )
    output, _ = await other.communicate()
    assert other.returncode == 0
    assert output.decode().strip() == "[('employee-pulse', '2026-Q1')]"

    after = (await asyncio.to_thread(store.read_manifest, where))[("employee-pulse", "2026-Q1")]
    assert after.fingerprint.version > before.fingerprint.version
    assert after.rows == before.rows + 3
    check = await asyncio.to_thread(refresh_snapshot, settings)
    assert (check.kept, check.merged, check.rebuilt) == (1, [], [])

    shutil.rmtree(settings.snapshot_dir / "answers")
    assert await asyncio.to_thread(store.read_manifest, where) == {}
    report = await asyncio.to_thread(refresh_snapshot, settings)
    assert report.rebuilt == [("employee-pulse", "2026-Q1")]
    assert report.rows_written == 6


def _rows(url: str) -> int:
    return int(snapshot_reads.read_frame(url, "SELECT count(*) AS n FROM t").item())


def _database(path: Path, rows: int) -> None:
    """A database of `rows` rows in table `t`, journalled beside the file (no WAL: a file replaced at its path
    leaves no log of the old one beside the new)."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA journal_mode = DELETE")
        connection.execute("CREATE TABLE t (n INTEGER)")
        connection.executemany("INSERT INTO t VALUES (?)", [(n,) for n in range(rows)])
        connection.commit()


def test_a_kept_sqlite_connection_sees_later_commits_and_a_replaced_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reads of one database share one connection, opened once (before: one per read, 1.5 ms of CPU each to read the
    schema); it holds no snapshot between reads, so a commit made meanwhile is seen; a database file replaced at its
    path is opened anew, never read through the old file."""
    path = tmp_path / "kept.sqlite3"
    url = f"sqlite:///{path}"
    _database(path, 1)
    opened: list[str] = []
    connect = sqlite3.connect

    def counted(*arguments: Any, **options: Any) -> sqlite3.Connection:
        opened.append(str(arguments[0]))
        return connect(*arguments, **options)

    monkeypatch.setattr(sqlite3, "connect", counted)
    assert _rows(url) == 1
    with closing(connect(path)) as writer:
        writer.execute("INSERT INTO t VALUES (1)")
        writer.commit()
    assert _rows(url) == 2
    assert opened == [str(path)]

    _database(tmp_path / "other.sqlite3", 5)
    (tmp_path / "other.sqlite3").replace(path)
    assert _rows(url) == 5
    assert opened.count(str(path)) == 2
