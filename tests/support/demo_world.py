"""The demo world's database, seeded once per test run and copied into each data dir that needs it.

Seeding the demo world takes 10–15 s; a dozen modules need it. The first to ask builds it in a subprocess (its own
event loop, no state left in the test process) under a file lock in the run's temporary folder, which every xdist
worker of the run shares; everyone else copies the finished file through SQLite's backup API (about 0.1 s).
Tests of the seed itself (`tests/integration/database/test_demo_seed.py`) still seed for real.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

DATABASE = "servicescore.sqlite3"
CHECKOUT = Path(__file__).resolve().parents[2]


def _run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The temporary folder of the whole run: an xdist worker's base folder sits inside it."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = _run_folder(tmp_path_factory) / "demo-world"
    master = folder / DATABASE
    with (folder.parent / "demo-world.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not master.exists():
            building = folder.with_name("demo-world.building")
            command = [sys.executable, "-m", "tests.support.demo_world", str(building)]
            subprocess.run(command, cwd=CHECKOUT, check=True, timeout=300)
            building.rename(folder)
    return master


def copy_demo_world(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    """``data_dir`` (created) holding a copy of the migrated, seeded demo database; returns ``data_dir``."""
    master = _master(tmp_path_factory)
    data_dir.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(master) as source, sqlite3.connect(data_dir / DATABASE) as target:
        source.backup(target)
    source.close()
    target.close()
    return data_dir


def _seed(data_dir: Path) -> None:
    from servicescore.db.lifecycle import database
    from servicescore.definitions import load_instruments
    from servicescore.demo.seed import seed_demo
    from servicescore.settings import Settings

    settings = Settings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / DATABASE}")

    async def run() -> None:
        async with database(settings, apply_migrations=True) as engine:
            await seed_demo(engine, {i.id: i for i in load_instruments(settings.surveys_dir)})

    asyncio.run(run())
    with sqlite3.connect(data_dir / DATABASE) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


if __name__ == "__main__":
    _seed(Path(sys.argv[1]))
