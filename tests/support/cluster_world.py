"""The small world of the many-machines test, written once into a new database (migrated first):

``python -m tests.support.cluster_world`` (in the processes' environment) prints one JSON line: the visitor survey's
public token, the two guided-tour assignment ids of the shopper and Zorngården's organisation id. Accounts: konsult
(consultant), shopper, kund (client viewer of Zorngården), all with `live_server.PASSWORD`.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

from servicescore.accounts.users import create_account
from servicescore.db.assignments import AssignmentRequest, create_assignment
from servicescore.db.collections import open_collection
from servicescore.db.engine import write_transaction
from servicescore.db.instruments import sync_instruments
from servicescore.db.lifecycle import database
from servicescore.db.tables import Organisation, Unit, Wave
from servicescore.definitions import load_instruments
from servicescore.identity import Role
from servicescore.settings import get_settings
from tests.support.live_server import PASSWORD

WAVE = "2026-Q4"
ORGANISATION = "zorngarden"
UNITS = (("hemmet", "Zorns hem"), ("gammelgarden", "Gammelgården"))


async def seed() -> dict[str, object]:
    settings = get_settings()
    now = datetime.now(UTC)
    async with database(settings, apply_migrations=True) as engine:
        wanted = {"visitor-survey", "guided-tour"}
        definitions = {i.id: i for i in load_instruments(settings.surveys_dir) if i.id in wanted}
        async with write_transaction(engine):
            versions = await sync_instruments(definitions.values())
            organisation = Organisation(slug=ORGANISATION, name="Zorngården")
            await organisation.save()
            units = []
            for slug, name in UNITS:
                unit = Unit(organisation=organisation.id, slug=slug, name=name)
                await unit.save()
                units.append(unit.id)
            wave = Wave(key=WAVE)
            await wave.save()
            _, tokens = await open_collection(
                instrument_version_id=versions["visitor-survey"], wave_id=wave.id, unit_ids=units[:1],
                opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=7),
            )  # fmt: skip
            for username, role, own in (
                ("konsult", Role.consultant, None),
                ("shopper", Role.shopper, None),
                ("kund", Role.client, ORGANISATION),
            ):
                await create_account(username, PASSWORD, role, organisation=own)
        assignments = [
            await create_assignment(
                engine,
                AssignmentRequest(
                    shopper="shopper",
                    unit=f"{ORGANISATION}/{slug}",
                    instrument="guided-tour",
                    wave=WAVE,
                    window_start=now - timedelta(days=2),
                    window_end=now + timedelta(days=2),
                ),
                definitions,
                min_days_between=0,
            )
            for slug, _ in UNITS
        ]
    return {"token": tokens[units[0]], "assignments": assignments, "organisation_id": organisation.id}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(seed())), flush=True)
