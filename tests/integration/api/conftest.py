"""The API tests' world (``api_world.py``), on SQLite and on PostgreSQL."""

from __future__ import annotations

import anyio
import pytest

from servicescore.settings import Settings
from tests.support.api_calls import Client
from tests.support.api_world import ApiWorld, build_api_world


@pytest.fixture
def settings_overrides(engine_settings: dict[str, object]) -> dict[str, object]:
    return engine_settings


@pytest.fixture
async def world(client: Client, settings: Settings) -> ApiWorld:
    return await anyio.to_thread.run_sync(
        client.blocking_portal.call, build_api_world, settings, client.app.state.engine
    )
