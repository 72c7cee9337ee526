"""Database fixtures: every test here runs on the embedded SQLite file and on a real PostgreSQL server.

PostgreSQL comes from SERVICESCORE_DATABASE_URL (``.ci/run`` starts one and sets it). Without it the PostgreSQL
half skips locally and fails in CI, so a green CI run always means both engines were tested.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import asyncpg
import pytest

POSTGRES_URL = os.environ.get("SERVICESCORE_DATABASE_URL", "")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, requires: Callable[..., None]
) -> AsyncIterator[str]:
    """An empty database of each engine, dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'servicescore.sqlite3'}"
        return
    requires(
        "PostgreSQL (SERVICESCORE_DATABASE_URL=postgresql://…)", available=POSTGRES_URL.startswith("postgresql://")
    )
    admin_url = POSTGRES_URL
    name = f"servicescore_test_{secrets.token_hex(6)}"
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture(autouse=True)
def _no_inherited_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Commands run inside a test use the test's own data dir, never the developer's or CI's server."""
    monkeypatch.delenv("SERVICESCORE_DATABASE_URL", raising=False)
    monkeypatch.setenv("SERVICESCORE_DATA_DIR", str(tmp_path / "data"))
