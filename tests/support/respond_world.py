"""The respondent tests' world: surveys opened for a unit of Zorngården (an open public link, a closed one, one
not yet open, the employee pulse) and personal invitations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from servicescore.db.collections import create_invitations, open_collection
from servicescore.db.instruments import sync_instruments
from servicescore.db.tables import Organisation, Unit, Wave
from tests.support.instruments import shipped_instruments


@dataclass(frozen=True)
class World:
    open_token: str
    closed_token: str
    future_token: str
    pulse_token: str
    invitations: list[str]
    unit_id: int


async def make_world() -> World:
    instruments = shipped_instruments()
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
