"""Case tests run on SQLite and on a fresh PostgreSQL database (SERVICESCORE_DATABASE_URL; skipped locally
without it, failed in CI). ``world`` is tests.support.cases_world's."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.support.cases_world import World, make_world

Client = AsyncTestClient[Litestar]


@pytest.fixture
def settings_overrides(engine_settings: dict[str, object]) -> dict[str, object]:
    return engine_settings


@pytest.fixture
def world(client: Client) -> World:
    return client.blocking_portal.call(make_world)
