"""Snapshot refreshes and report-cache fills on PostgreSQL are serialised by advisory locks, which machines share (a
file lock does not)."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import asyncpg

from servicescore.db.locks import advisory_lock
from servicescore.reporting.on_demand import cache_fill
from servicescore.settings import Settings
from servicescore.snapshot.store import refresh_lock
from tests.support.postgres import run_apart

HANG_GUARD_SECONDS = 60  # only ever reached when the code under test hangs


def advisory_locks(url: str, *, granted: bool) -> int:
    """How many advisory locks of this database are held (`granted`) or waited for, as the server sees them."""

    async def count() -> int:
        connection = await asyncpg.connect(url)
        try:
            query = (
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted = $1 "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            )
            return int(await connection.fetchval(query, granted))
        finally:
            await connection.close()

    return run_apart(count())


def test_the_second_holder_waits_for_the_first(postgres_url: str) -> None:
    events: list[str] = []
    first_in, release_first = threading.Event(), threading.Event()

    def first() -> None:
        with advisory_lock(postgres_url, "snapshot refresh /shared"):
            events.append("first in")
            first_in.set()
            release_first.wait(HANG_GUARD_SECONDS)
            events.append("first out")

    def second() -> None:
        with advisory_lock(postgres_url, "snapshot refresh /shared"):
            events.append("second in")
        events.append("second out")

    one = threading.Thread(target=first)
    one.start()
    assert first_in.wait(HANG_GUARD_SECONDS)
    two = threading.Thread(target=second)
    two.start()
    # The server shows the second asking for the lock and not given it, and it has not entered.
    guard = threading.Timer(HANG_GUARD_SECONDS, release_first.set)
    guard.start()
    try:
        while advisory_locks(postgres_url, granted=False) != 1:
            assert not release_first.is_set(), "the second never asked for the lock"
        assert events == ["first in"]
    finally:
        release_first.set()
        one.join(HANG_GUARD_SECONDS)
        two.join(HANG_GUARD_SECONDS)
        guard.cancel()
    assert events == ["first in", "first out", "second in", "second out"]
    assert advisory_locks(postgres_url, granted=True) == 0


def test_a_refresh_holds_the_advisory_lock_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    """Another machine sharing the snapshot's location would wait on this lock; a refresh on SQLite takes none."""
    assert advisory_locks(postgres_url, granted=True) == 0
    with refresh_lock(tmp_path / "snapshot", postgres_url):
        assert advisory_locks(postgres_url, granted=True) == 1
        assert (tmp_path / "snapshot" / ".lock").exists()  # and the file lock for the processes of this machine
    assert advisory_locks(postgres_url, granted=True) == 0
    with refresh_lock(tmp_path / "embedded", f"sqlite:///{tmp_path / 'db.sqlite3'}"):
        assert advisory_locks(postgres_url, granted=True) == 0


def test_a_report_cache_fill_waits_for_the_machine_filling_the_same_key(postgres_url: str, tmp_path: Path) -> None:
    """Two machines asked for the same missing PDF: the second waits for the first's fill (and then finds the PDF
    made, `on_demand.report_pdf`) instead of printing it again."""
    settings = Settings(data_dir=tmp_path, database_url=postgres_url)
    events: list[str] = []

    async def fill() -> None:
        async with cache_fill(settings, "0f1e2d"):
            events.append("filled")

    with advisory_lock(postgres_url, "report cache 0f1e2d"):
        other = threading.Thread(target=asyncio.run, args=(fill(),))
        other.start()
        waited = 0.0
        while advisory_locks(postgres_url, granted=False) != 1:
            assert waited < HANG_GUARD_SECONDS, "the fill never asked for the lock"
            time.sleep(0.05)
            waited += 0.05
        assert events == []
    other.join(HANG_GUARD_SECONDS)
    assert events == ["filled"]
    assert advisory_locks(postgres_url, granted=True) == 0
