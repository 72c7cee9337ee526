"""Analytics tests run on the embedded SQLite file and on a real PostgreSQL server, like the database tests.

The `database_url` fixture repeats tests/integration/database/conftest.py's (test folders are not packages here,
so a fixture cannot be imported from a sibling folder's conftest).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest

POSTGRES_URL = os.environ.get("SERVICESCORE_DATABASE_URL", "")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database of each engine, dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'data' / 'servicescore.sqlite3'}"
        return
    if not POSTGRES_URL.startswith("postgresql://"):
        message = "PostgreSQL tests need SERVICESCORE_DATABASE_URL=postgresql://… (set by .ci/run)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    name = f"servicescore_test_{secrets.token_hex(6)}"
    admin = await asyncpg.connect(POSTGRES_URL)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
