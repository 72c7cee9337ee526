"""Every test here runs on the embedded SQLite file and on a real PostgreSQL server (the `database_url` fixture of
tests/integration/conftest.py); commands run inside a test see only the test's own data dir."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated(isolated_environment: None) -> None:
    """Commands run inside a test use the test's own data dir, never the developer's or CI's server."""
