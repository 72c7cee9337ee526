"""Export tests: the app on a temporary SQLite database holding `export_world`, and a consultant and two clients."""

from __future__ import annotations

import pytest

from servicescore.identity import Role
from tests.support.export_world import Client, World, build_world


@pytest.fixture
async def world(client: Client, make_user: object) -> World:
    built: World = client.blocking_portal.call(build_world, client.app.state.engine)
    await make_user("konsult", Role.consultant)  # type: ignore[operator]
    await make_user("kund", Role.client, organisation="zorngarden")  # type: ignore[operator]
    await make_user("evil-kund", Role.client, organisation="evil-org")  # type: ignore[operator]
    return built
