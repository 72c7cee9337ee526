"""Writing the demo world into the database, once, in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from piccolo.engine.base import Engine

from servicescore.collections.answers import Answers, StoredAnswer
from servicescore.collections.demo import DEMO_COLLECTIONS, demo_window
from servicescore.db.cases import insert_seeded_cases
from servicescore.db.collections import open_collection
from servicescore.db.engine import write_transaction
from servicescore.db.instruments import sync_instruments
from servicescore.db.keys import row_id
from servicescore.db.responses import insert_responses
from servicescore.db.tables import Assignment, AuditEvent, Organisation, PeerGroup, Response, Unit, User, Wave
from servicescore.definitions import Instrument
from servicescore.demo.cases import demo_cases
from servicescore.demo.responses import DemoResponse, generate
from servicescore.demo.shopper_visits import seed_held_visits
from servicescore.demo.visit_payloads import is_held
from servicescore.demo.world import ORGANISATIONS, PEER_GROUPS, WAVES
from servicescore.formats import day_start

SEEDED_ACTION = "demo.seeded"


@dataclass(frozen=True)
class SeedResult:
    already_seeded: bool
    responses: int = 0
    answers: int = 0


async def demo_seeded() -> bool:
    return bool(await AuditEvent.exists().where(AuditEvent.action == SEEDED_ACTION))


async def seed_demo(engine: Engine[Any], instruments: Mapping[str, Instrument]) -> SeedResult:
    """Seed the demo world unless it is already there; all or nothing."""
    async with write_transaction(engine):
        if await demo_seeded():
            return SeedResult(already_seeded=True)
        versions = await sync_instruments(instruments.values())
        peer_groups: dict[str, int] = {}
        for group_spec in PEER_GROUPS:
            group = PeerGroup(
                slug=group_spec.slug, name=group_spec.name, name_en=group_spec.name_en, industry=group_spec.industry
            )
            await group.save()
            peer_groups[group_spec.slug] = row_id(group)
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
            organisations[org.slug] = row_id(row)
            for unit_spec in org.units:
                unit = Unit(
                    organisation=row_id(row),
                    slug=unit_spec.slug,
                    name=unit_spec.name,
                    kind=unit_spec.kind,
                    latitude=unit_spec.latitude,
                    longitude=unit_spec.longitude,
                )
                await unit.save()
                units[(org.slug, unit_spec.slug)] = row_id(unit)
        waves: dict[str, int] = {}
        for key, starts, ends in WAVES:
            wave = Wave(
                key=key,
                starts_on=datetime.fromisoformat(starts).replace(tzinfo=UTC),
                ends_on=datetime.fromisoformat(ends).replace(tzinfo=UTC),
            )
            await wave.save()
            waves[key] = row_id(wave)
        answered: list[tuple[Response, Answers]] = []
        generated: list[DemoResponse] = []
        for demo in generate(instruments):
            if is_held(demo, instruments):
                continue  # a visit still with the consultant is the demo shopper's: seed_demo_assignments stores it
            generated.append(demo)
            response = Response(
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
            answered.append((response, {a.item: StoredAnswer(a.value, a.na, a.text) for a in demo.answers}))
        await insert_responses(answered)
        answer_count = sum(len(of_response) for _, of_response in answered)
        await insert_seeded_cases(demo_cases(generated, instruments), organisations)
        for collection in DEMO_COLLECTIONS:
            starts = next(w[1] for w in WAVES if w[0] == collection.wave)
            opens_at, closes_at = demo_window(datetime.fromisoformat(starts))
            await open_collection(
                instrument_version_id=versions[collection.instrument],
                wave_id=waves[collection.wave],
                unit_ids=[unit for (org, _), unit in units.items() if org in collection.organisations],
                opens_at=opens_at.replace(tzinfo=UTC),
                closes_at=closes_at,
                title=collection.title,
            )
        await AuditEvent(
            action=SEEDED_ACTION,
            object_type="demo",
            object_id="world",
            detail={"responses": len(answered), "answers": answer_count},
        ).save()
    return SeedResult(already_seeded=False, responses=len(answered), answers=answer_count)


# The demo shopper's assignments: (organisation/unit, scorecard, scenario). Fixed dates keep the demo the same
# on every machine; the window is the wave the demo's calendar is in.
DEMO_SHOPPER = "shopper"
DEMO_ASSIGNMENT_WAVE = ("2026-Q4", "2026-10-01", "2027-01-01")
DEMO_ASSIGNMENTS: tuple[tuple[str, str, str], ...] = (
    (
        "carl-larssons-gard/lilla-hyttnas",
        "guided-tour",
        "Boka den ordinarie visningen kl. 11 som vanlig besökare. Ställ minst en fråga om Karin Larssons textilier.",
    ),
    (
        "zorngarden/hemmet",
        "guided-tour",
        "Följ eftermiddagens visning av Zorns hem. Notera om guiden anpassar berättelsen efter gruppens frågor.",
    ),
    (
        "kronbanken/privat",
        "mystery-call",
        "Ring om ett spärrat kort som behöver ersättas före en utlandsresa. Be att få tala med ansvarig chef "
        "om du kopplas vidare mer än två gånger.",
    ),
    (
        "mobilia-telekom/sundsvall",
        "mystery-call",
        "Fråga varför fakturan blev högre efter ett abonnemangsbyte och om du kan få mellanskillnaden tillbaka.",
    ),
)


async def seed_demo_assignments(engine: Engine[Any], instruments: Mapping[str, Instrument]) -> int:
    """Give the demo shopper their assignments, once (returns how many): none when they have some or do not exist.

    First the visits of the demo world still awaiting review (submitted, or returned to the shopper), each with
    its own assignment; then the open assignments of DEMO_ASSIGNMENTS, still to be made."""
    async with write_transaction(engine):
        shopper = await User.select(User._meta.primary_key).where(User.username == DEMO_SHOPPER).first()
        if shopper is None or await Assignment.exists().where(Assignment.shopper == shopper["id"]):
            return 0
        made = await seed_held_visits(engine, instruments, shopper_id=shopper["id"]) if await demo_seeded() else 0
        versions = await sync_instruments(instruments[key] for _, key, _ in DEMO_ASSIGNMENTS)
        key, starts, ends = DEMO_ASSIGNMENT_WAVE
        wave = await Wave.objects().get_or_create(
            Wave.key == key,
            defaults={
                Wave.starts_on: datetime.fromisoformat(starts).replace(tzinfo=UTC),
                Wave.ends_on: datetime.fromisoformat(ends).replace(tzinfo=UTC),
            },
        )
        for path, instrument, scenario in DEMO_ASSIGNMENTS:
            organisation, _, unit_slug = path.partition("/")
            unit = (
                await Unit.select(Unit._meta.primary_key)
                .where((Unit.organisation.slug == organisation) & (Unit.slug == unit_slug))
                .first()
            )
            if unit is None:
                continue  # a trimmed demo world; assign what exists
            await Assignment(
                shopper=shopper["id"],
                unit=unit["id"],
                instrument_version=versions[instrument],
                wave=row_id(wave),
                scenario=scenario,
                # The wave's days as Stockholm's midnights: the window reads "1 oktober 2026, 00:00", not 02:00.
                window_start=day_start(date.fromisoformat(starts)),
                window_end=day_start(date.fromisoformat(ends)),
                status="due",
            ).save()
            made += 1
    return made
