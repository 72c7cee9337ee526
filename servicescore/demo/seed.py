"""Writing the demo world into the database, once, in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from piccolo.engine.base import Engine

from servicescore.collections.demo import DEMO_COLLECTIONS, demo_window
from servicescore.db.collections import open_collection
from servicescore.db.engine import write_transaction
from servicescore.db.instruments import sync_instruments
from servicescore.db.responses import insert_responses
from servicescore.db.tables import Answer, AuditEvent, Organisation, PeerGroup, Response, Unit, Wave
from servicescore.definitions import Instrument
from servicescore.demo.responses import generate
from servicescore.demo.world import ORGANISATIONS, PEER_GROUPS, WAVES

SEEDED_ACTION = "demo.seeded"

# The item whose answer is a response's segment, per instrument.
SEGMENT_ITEMS = {"visitor-survey": "visit_type"}


@dataclass(frozen=True)
class SeedResult:
    already_seeded: bool
    responses: int = 0
    answers: int = 0


async def demo_seeded() -> bool:
    return bool(await AuditEvent.exists().where(AuditEvent.action == SEEDED_ACTION))


async def seed_demo(engine: Engine, instruments: Mapping[str, Instrument]) -> SeedResult:  # type: ignore[type-arg]
    """Seed the demo world unless it is already there; all or nothing."""
    async with write_transaction(engine):
        if await demo_seeded():
            return SeedResult(already_seeded=True)
        versions = await sync_instruments(instruments.values())
        peer_groups = {}
        for spec in PEER_GROUPS:
            group = PeerGroup(slug=spec.slug, name=spec.name, industry=spec.industry)
            await group.save()
            peer_groups[spec.slug] = group.id
        organisations: dict[str, int] = {}
        units: dict[tuple[str, str], int] = {}
        for org in ORGANISATIONS:
            row = Organisation(
                slug=org.slug,
                name=org.name,
                peer_group=peer_groups[org.peer_group],
                brand=org.brand,
                brand_colour=org.brand_colour,
            )
            await row.save()
            organisations[org.slug] = row.id
            for spec in org.units:
                unit = Unit(
                    organisation=row.id,
                    slug=spec.slug,
                    name=spec.name,
                    kind=spec.kind,
                    latitude=spec.latitude,
                    longitude=spec.longitude,
                )
                await unit.save()
                units[(org.slug, spec.slug)] = unit.id
        waves: dict[str, int] = {}
        for key, starts, ends in WAVES:
            wave = Wave(
                key=key,
                starts_on=datetime.fromisoformat(starts).replace(tzinfo=UTC),
                ends_on=datetime.fromisoformat(ends).replace(tzinfo=UTC),
            )
            await wave.save()
            waves[key] = wave.id
        responses: list[Response] = []
        answers: list[Answer] = []
        for demo in generate(instruments, SEGMENT_ITEMS):
            responses.append(
                Response(
                    id=demo.id,
                    instrument_version=versions[demo.instrument],
                    wave=waves[demo.wave],
                    organisation=organisations[demo.organisation],
                    unit=units[(demo.organisation, demo.unit)],
                    status=demo.status,
                    segment=demo.segment,
                    language=demo.language,
                    started_at=demo.started_at,
                    submitted_at=demo.submitted_at,
                    updated_at=demo.submitted_at or demo.started_at,
                )
            )
            answers.extend(
                Answer(response=demo.id, item=a.item, value=a.value, na=a.na, text=a.text) for a in demo.answers
            )
        await insert_responses(responses, answers)
        for spec in DEMO_COLLECTIONS:
            opens_at, closes_at = demo_window(datetime.fromisoformat(next(w[1] for w in WAVES if w[0] == spec.wave)))
            await open_collection(
                instrument_version_id=versions[spec.instrument],
                wave_id=waves[spec.wave],
                unit_ids=[unit for (org, _), unit in units.items() if org in spec.organisations],
                opens_at=opens_at.replace(tzinfo=UTC),
                closes_at=closes_at,
                title=spec.title,
            )
        await AuditEvent(
            action=SEEDED_ACTION,
            object_type="demo",
            object_id="world",
            detail={"responses": len(responses), "answers": len(answers)},
        ).save()
    return SeedResult(already_seeded=False, responses=len(responses), answers=len(answers))
