"""Respondent tests run on SQLite and on a fresh PostgreSQL database (SERVICESCORE_DATABASE_URL; skipped locally
without it, failed in CI). ``world`` opens surveys for a unit: an open public link, a closed one, one not yet
open, and personal invitations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from servicescore.db.collections import create_invitations, open_collection
from servicescore.db.instruments import sync_instruments
from servicescore.db.tables import Organisation, Unit, Wave
from servicescore.definitions import load_instruments
from servicescore.settings import CHECKOUT_DIR

Client = AsyncTestClient[Litestar]


@pytest.fixture
def settings_overrides(engine_settings: dict[str, object]) -> dict[str, object]:
    return engine_settings


@dataclass(frozen=True)
class World:
    open_token: str
    closed_token: str
    future_token: str
    pulse_token: str
    invitations: list[str]
    unit_id: int


async def make_world() -> World:
    instruments = {i.id: i for i in load_instruments(CHECKOUT_DIR / "surveys")}
    versions = await sync_instruments([instruments["visitor-survey"], instruments["employee-pulse"]])
    org = Organisation(slug="zorngarden", name="Zorngården", brand="zorngarden", brand_colour="#7a2e1f")
    await org.save()
    unit = Unit(organisation=org.id, slug="museet", name="Zornmuseet")
    await unit.save()
    wave = Wave(key="2026-Q4")
    await wave.save()
    now = datetime.now(UTC)
    tokens = {}
    for name, opens, closes, instrument in (
        ("open", now - timedelta(days=1), now + timedelta(days=30), "visitor-survey"),
        ("closed", now - timedelta(days=30), now - timedelta(days=1), "visitor-survey"),
        ("future", now + timedelta(days=5), now + timedelta(days=30), "visitor-survey"),
        ("pulse", now - timedelta(days=1), now + timedelta(days=30), "employee-pulse"),
    ):
        collection, links = await open_collection(
            instrument_version_id=versions[instrument], wave_id=wave.id, unit_ids=[unit.id], opens_at=opens,
            closes_at=closes,
        )  # fmt: skip
        tokens[name] = links[unit.id]
        if name == "open":
            made = await create_invitations(collection, unit.id, ["a@example.org", "b@example.org"])
    return World(tokens["open"], tokens["closed"], tokens["future"], tokens["pulse"], [t for _, t in made], unit.id)


@pytest.fixture
def world(client: Client) -> World:
    return client.blocking_portal.call(make_world)
