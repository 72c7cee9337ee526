"""A process that writes the embedded database reads it for analytics with the same SQLite library.

The defect this guards against: the snapshot and the report names were read through ConnectorX, whose own SQLite
build deleted `-wal` and `-shm` under the server's open connection when its connection closed. Every commit after
such a read went to an unlinked WAL, and a SIGKILL then lost it although it had been acknowledged. Here a child
process writes a wave through the respondents' long-lived writer connection (group commit), runs every analytics
read, writes five more waves, and is killed: all six must be there.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

SERVER = """
import asyncio, os, signal, sys
from servicescore.db.engine import open_database
from servicescore.db.group_commit import writer_for
from servicescore.db.migrate import migrate
from servicescore.reporting.stored import with_names
from servicescore.settings import Settings
from servicescore.snapshot import load_answers, refresh_snapshot, waves

async def main():
    settings = Settings()
    await open_database(settings.database)
    await migrate()
    writer = writer_for(settings.database.removeprefix("sqlite:///"))
    def wave(key):
        return lambda connection: connection.execute("INSERT INTO wave (key) VALUES (?)", (key,))
    await writer.write(wave("2026-Q1"))
    refresh_snapshot(settings)
    waves(settings, "visitor-survey")
    load_answers(settings, "visitor-survey").collect()
    with_names(settings, lambda instrument: load_answers(settings, instrument), {})
    for n in range(2, 7):
        await writer.write(wave(f"2026-Q{n}"))
        print(f"acknowledged 2026-Q{n}", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)

asyncio.run(main())
"""


def test_writes_after_an_analytics_read_survive_a_kill(tmp_path: Path) -> None:
    data = tmp_path / "data"
    database = data / "servicescore.sqlite3"
    environment = {
        **os.environ,
        "SERVICESCORE_DATA_DIR": str(data),
        "SERVICESCORE_DATABASE_URL": f"sqlite:///{database}",
    }
    result = subprocess.run(
        [sys.executable, "-c", SERVER], env=environment, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert result.stdout.count("acknowledged") == 5
    with sqlite3.connect(database) as connection:
        stored = [key for (key,) in connection.execute("SELECT key FROM wave ORDER BY key")]
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    assert stored == [f"2026-Q{n}" for n in range(1, 7)], "every acknowledged write outlives the kill"
    assert integrity == "ok"
