"""The case tests' world: the visitor survey open for a unit of Zorngården and one of Carl Larssons gård, a
consultant, a client viewer of each organisation and a shopper."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from servicescore.accounts.users import create_account
from servicescore.db.collections import open_collection
from servicescore.db.instruments import sync_instruments
from servicescore.db.tables import Organisation, Unit, Wave
from servicescore.identity import Role
from tests.support.instruments import shipped_instruments

PASSWORD = "correct horse battery"


@dataclass(frozen=True)
class World:
    zorn_token: str  # the visitor survey's public link at Zorngården
    carl_token: str  # … and at Carl Larssons gård
    zorn_id: int
    carl_id: int


async def make_world() -> World:
    instruments = shipped_instruments()
    versions = await sync_instruments([instruments["visitor-survey"]])
    wave = Wave(key="2026-Q4")
    await wave.save()
    now = datetime.now(UTC)
    tokens, ids = {}, {}
    for slug, name, unit_slug, unit_name in (
        ("zorngarden", "Zorngården", "hemmet", "Zorns hem"),
        ("carl-larssons-gard", "Carl Larssons gård", "lilla-hyttnas", "Lilla Hyttnäs"),
    ):
        org = Organisation(slug=slug, name=name)
        await org.save()
        unit = Unit(organisation=org.id, slug=unit_slug, name=unit_name)
        await unit.save()
        _, links = await open_collection(
            instrument_version_id=versions["visitor-survey"], wave_id=wave.id, unit_ids=[unit.id],
            opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30),
        )  # fmt: skip
        tokens[slug], ids[slug] = links[unit.id], org.id
    await create_account("konsult", PASSWORD, Role.consultant, display_name="Karin Konsult")
    await create_account("kund", PASSWORD, Role.client, organisation="zorngarden", display_name="Zorns värd")
    await create_account("kund2", PASSWORD, Role.client, organisation="carl-larssons-gard")
    await create_account("shopper", PASSWORD, Role.shopper)
    return World(tokens["zorngarden"], tokens["carl-larssons-gard"], ids["zorngarden"], ids["carl-larssons-gard"])
