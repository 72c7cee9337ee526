"""A small seeded world for the API tests.

Five heritage organisations form one peer group (enough for peer statistics); "telco" has no peer group. Each
answers the employee pulse in two waves with fixed values, so expected numbers can be worked out by hand:
zorngården's nine 2026-Q1 responses rate ``proud_of_service`` 5,4,4,3,5,2,4,4,5 (mean 4.0, index 75.0); six
come from its unit "main", three from "shop" (a group under min_group_size 5), and one of main's is the only
respondent of the segment "guide". The others answer six times a wave, except Carl Larssons gård with only three
responses in 2026-Q2 (suppressed, which leaves that wave's peer group with four shown organisations). Zorngården
also has six visitor-survey responses in 2026-Q2, enough for a client report. One collection is open for
zorngården's two units and Carl Larssons gård's unit. Accounts: konsult (consultant), kund (client of zorngården),
kund2 (client of carl-larssons-gard), shopper.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from servicescore.accounts.users import create_account
from servicescore.collections.answers import StoredAnswer
from servicescore.db.collections import open_collection
from servicescore.db.engine import write_transaction
from servicescore.db.instruments import sync_instruments
from servicescore.db.responses import insert_responses
from servicescore.db.tables import Organisation, PeerGroup, Response, Unit, Wave
from servicescore.definitions import load_instruments
from servicescore.identity import Role
from servicescore.settings import Settings

PASSWORD = "correct horse battery"
INSTRUMENT = "employee-pulse"
WAVES = ("2026-Q1", "2026-Q2")
HERITAGE = ("zorngarden", "carl-larssons-gard", "fiktiv-a", "fiktiv-b", "fiktiv-c")
PROUD_Q1_ZORN = (5, 4, 4, 3, 5, 2, 4, 4, 5)
VISITOR_RATINGS = ("staff_welcome", "guide_rating", "information_before", "waiting_time", "value_for_money",
                   "cafe_and_shop", "overall_satisfaction")  # fmt: skip


@dataclass
class ApiWorld:
    organisations: dict[str, int] = field(default_factory=dict)
    units: dict[str, int] = field(default_factory=dict)
    collection_id: int = 0
    link_tokens: dict[int, str] = field(default_factory=dict)
    responses: int = 0


def _values(organisation: str, wave: str, index: int) -> tuple[float, float, float, float]:
    """proud_of_service, motivated, overall_engagement, recommend_employer of one response (deterministic)."""
    if organisation == "zorngarden" and wave == "2026-Q1":
        proud = PROUD_Q1_ZORN[index]
    else:
        proud = 1 + (index + len(organisation) + (wave == "2026-Q2")) % 5
    return float(proud), float(1 + (index * 2 + len(organisation)) % 5), float(1 + index % 5), float(index * 2 % 11)


def _counts(organisation: str, wave: str) -> int:
    if organisation == "carl-larssons-gard" and wave == "2026-Q2":
        return 3
    return 9 if organisation == "zorngarden" else 6


async def build_api_world(settings: Settings, engine: object) -> ApiWorld:
    world = ApiWorld()
    definitions = load_instruments(settings.surveys_dir)
    clock = datetime(2026, 2, 1, 9, tzinfo=UTC)
    async with write_transaction(engine):  # type: ignore[arg-type]
        versions = await sync_instruments(definitions)
        group = PeerGroup(slug="heritage", name="Kulturarv")
        await group.save()
        waves = {}
        for number, key in enumerate(WAVES):
            wave = Wave(key=key, starts_on=datetime(2026, 1 + 3 * number, 1, tzinfo=UTC),
                        ends_on=datetime(2026, 3 + 3 * number, 28, tzinfo=UTC))  # fmt: skip
            await wave.save()
            waves[key] = wave.id
        for slug in (*HERITAGE, "telco"):
            organisation = Organisation(slug=slug, name=slug.replace("-", " ").title(),
                                        peer_group=None if slug == "telco" else group.id)  # fmt: skip
            await organisation.save()
            world.organisations[slug] = organisation.id
            unit_slugs = ("main", "shop") if slug == "zorngarden" else ("main",)
            for unit_slug in unit_slugs:
                unit = Unit(organisation=organisation.id, slug=unit_slug, name=unit_slug.title())
                await unit.save()
                world.units[f"{slug}/{unit_slug}"] = unit.id
        responses: list[Response] = []
        answers: dict[str, dict[str, StoredAnswer]] = {}
        for slug in (*HERITAGE, "telco"):
            for wave in WAVES:
                for index in range(_counts(slug, wave)):
                    clock += timedelta(minutes=1)
                    response_id = str(uuid.UUID(int=len(responses) + 1))
                    unit = "shop" if slug == "zorngarden" and index >= 6 else "main"
                    segment = "guide" if slug == "zorngarden" and index == 5 else "staff"
                    responses.append(
                        Response(
                            id=response_id,
                            instrument_version=versions[INSTRUMENT],
                            wave=waves[wave],
                            organisation=world.organisations[slug],
                            unit=world.units[f"{slug}/{unit}"],
                            status="complete",
                            segment=segment,
                            submitted_at=clock,
                            updated_at=clock,
                        )
                    )
                    items = ("proud_of_service", "motivated", "overall_engagement", "recommend_employer")
                    answers[response_id] = {
                        **{i: StoredAnswer(v) for i, v in zip(items, _values(slug, wave, index), strict=True)},
                        "one_improvement": StoredAnswer(text=f"Mer fika {index}"),
                    }
        for index in range(6):
            clock += timedelta(minutes=1)
            response_id = str(uuid.UUID(int=10_000 + index))
            responses.append(
                Response(
                    id=response_id,
                    instrument_version=versions["visitor-survey"],
                    wave=waves["2026-Q2"],
                    organisation=world.organisations["zorngarden"],
                    unit=world.units["zorngarden/main"],
                    status="complete",
                    submitted_at=clock,
                    updated_at=clock,
                )
            )
            answers[response_id] = {**{item: StoredAnswer(float(3 + index % 3)) for item in VISITOR_RATINGS},
                                    "recommend": StoredAnswer(float(6 + index)),
                                    "visit_type": StoredAnswer(text="first_visit")}  # fmt: skip
        # A partial response never counts anywhere.
        responses.append(Response(id=str(uuid.uuid4()), instrument_version=versions[INSTRUMENT], wave=waves["2026-Q1"],
                                  organisation=world.organisations["zorngarden"], unit=world.units["zorngarden/main"],
                                  status="partial", updated_at=clock))  # fmt: skip
        await insert_responses([(r, answers.get(str(r.id), {})) for r in responses])
        world.responses = len(responses) - 1
        world.collection_id, world.link_tokens = await open_collection(
            instrument_version_id=versions["visitor-survey"], wave_id=waves["2026-Q2"],
            unit_ids=[world.units["zorngarden/main"], world.units["zorngarden/shop"],
                      world.units["carl-larssons-gard/main"]],
            opens_at=clock - timedelta(days=30), closes_at=datetime.now(UTC) + timedelta(days=30), title="Besökare",
        )  # fmt: skip
    await create_account("konsult", PASSWORD, Role.consultant)
    await create_account("kund", PASSWORD, Role.client, organisation="zorngarden")
    await create_account("kund2", PASSWORD, Role.client, organisation="carl-larssons-gard")
    await create_account("shopper", PASSWORD, Role.shopper)
    return world
