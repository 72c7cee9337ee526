"""Visit tests: ``world`` is tests.support.visits_world's (Carl Larssons gård, the scorecards, shoppers with
assignments, a consultant)."""

from __future__ import annotations

import pytest

from servicescore.settings import Settings
from tests.support.visits_world import Client, World, in_app, make_world


@pytest.fixture
async def world(client: Client, settings: Settings) -> World:
    return await in_app(client, make_world, client, settings)
