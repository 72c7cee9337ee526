"""A small world for the analytics tests: the shipped instruments, two organisations, responses on demand."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from servicescore.collections.answers import StoredAnswer
from servicescore.db.engine import open_database, write_transaction
from servicescore.db.instruments import sync_instruments
from servicescore.db.migrate import migrate
from servicescore.db.responses import insert_responses
from servicescore.db.tables import Organisation, Response, Unit, Wave
from servicescore.settings import CHECKOUT_DIR, Settings
from tests.support.instruments import shipped_instruments

PULSE_ITEMS = ("proud_of_service", "motivated", "overall_engagement")


def settings_for(url: str, tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=url, surveys_dir=CHECKOUT_DIR / "surveys")


class World:
    """Ids of what `build_world` made, and a way to add employee-pulse responses."""

    def __init__(
        self,
        engine: object,
        versions: dict[str, int],
        waves: dict[str, int],
        units: dict[str, int],
        organisations: dict[str, int],
    ) -> None:
        self.engine = engine
        self.versions = versions
        self.waves = waves
        self.units = units
        self.organisations = organisations
        self.clock = datetime(2026, 3, 1, tzinfo=UTC)

    async def add(
        self, organisation: str, wave: str, values: list[float], status: str = "complete", segment: str | None = None
    ) -> str:
        """One employee-pulse response answering PULSE_ITEMS with `values`; returns its id."""
        self.clock += timedelta(seconds=1)
        response_id = str(uuid.uuid4())
        response = Response(
            id=response_id,
            instrument_version=self.versions["employee-pulse"],
            wave=self.waves[wave],
            organisation=self.organisations[organisation],
            unit=self.units[organisation],
            status=status,
            segment=segment,
            submitted_at=self.clock,
            updated_at=datetime.now(UTC),
        )
        answers = {i: StoredAnswer(v) for i, v in zip(PULSE_ITEMS, values, strict=True)}
        async with write_transaction(self.engine):  # type: ignore[arg-type]
            await insert_responses([(response, answers)])
        return response_id


async def build_world(url: str) -> World:
    engine = await open_database(url)
    await migrate()
    instruments = list(shipped_instruments().values())
    async with write_transaction(engine):
        versions = await sync_instruments(instruments)
        waves = {}
        for key in ("2026-Q1", "2026-Q2"):
            wave = Wave(key=key)
            await wave.save()
            waves[key] = wave.id
        organisations, units = {}, {}
        for slug in ("zorngarden", "carl-larssons-gard"):
            organisation = Organisation(slug=slug, name=slug.title())
            await organisation.save()
            unit = Unit(organisation=organisation.id, slug="main", name="Main")
            await unit.save()
            organisations[slug], units[slug] = organisation.id, unit.id
    return World(engine, versions, waves, units, organisations)
