"""A small world for the export tests: five heritage organisations answering the visitor survey in one wave.

Zorngården has a unit of 6 respondents (shown) and one of 2 (under the minimum of 5); four peers have 6 each, and
one peer is named like a spreadsheet formula. Some answers are planted formula text.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Final

from bs4 import BeautifulSoup
from httpx import Response as HttpResponse
from litestar import Litestar
from litestar.testing import AsyncTestClient

from servicescore.collections.answers import StoredAnswer
from servicescore.db.engine import write_transaction
from servicescore.db.instruments import sync_instruments
from servicescore.db.responses import insert_responses
from servicescore.db.tables import Organisation, PeerGroup, Response, Unit, Wave
from tests.support.instruments import shipped_instruments

Client = AsyncTestClient[Litestar]
PASSWORD: Final = "correct horse battery"
WAVE: Final = "2026-Q1"
EVIL_NAME: Final = '=HYPERLINK("http://evil.example","click")'
PLANTED: Final = ("=1+1", "@SUM(A1)", "+46 70 123", "-2+3", "\tTAB")
SMALL_GROUP_SECRET: Final = "Only two of us were here today"
# (organisation slug, name, unit slug, respondents)
GROUPS: Final = (
    ("zorngarden", "Zorngården", "hemmet", 6),
    ("zorngarden", "Zorngården", "museet", 2),
    ("evil-org", EVIL_NAME, "main", 6),
    ("peer-b", "Peer B Museum", "main", 6),
    ("peer-c", "Peer C Museum", "main", 6),
    ("peer-d", "Peer D Museum", "main", 6),
)


@dataclass
class World:
    organisations: dict[str, int] = field(default_factory=dict)
    units: dict[tuple[str, str], int] = field(default_factory=dict)
    responses: dict[str, list[str]] = field(default_factory=dict)  # organisation slug → response ids
    answers: int = 0


def _answers(number: int, unit: str) -> dict[str, StoredAnswer]:
    rows = {
        "staff_welcome": StoredAnswer(float(2 + number % 4)),
        "overall_satisfaction": StoredAnswer(float(3 + number % 3)),
        "recommend": StoredAnswer(float(5 + number % 6)),
        "visit_type": StoredAnswer(text="first_visit" if number % 2 else "returning"),
    }
    if number % 3 == 0:
        rows["guide_rating"] = StoredAnswer(na=True)
    else:
        rows["guide_rating"] = StoredAnswer(float(1 + number % 5))
    comment = SMALL_GROUP_SECRET if unit == "museet" else PLANTED[number % len(PLANTED)]
    rows["comment"] = StoredAnswer(text=comment)
    return rows


async def build_world(engine: object) -> World:
    world = World()
    instruments = list(shipped_instruments().values())
    clock = datetime(2026, 2, 3, 14, 5, tzinfo=UTC)
    async with write_transaction(engine):  # type: ignore[arg-type]
        versions = await sync_instruments(instruments)
        wave = Wave(key=WAVE)
        await wave.save()
        group = PeerGroup(slug="kulturarv", name="Kulturarv")
        await group.save()
        answered: list[tuple[Response, dict[str, StoredAnswer]]] = []
        for number, (slug, name, unit_slug, count) in enumerate(GROUPS):
            if slug not in world.organisations:
                organisation = Organisation(slug=slug, name=name, peer_group=group.id)
                await organisation.save()
                world.organisations[slug] = organisation.id
            unit = Unit(organisation=world.organisations[slug], slug=unit_slug, name=unit_slug.title())
            await unit.save()
            world.units[(slug, unit_slug)] = unit.id
            for n in range(count):
                clock += timedelta(minutes=7)
                response_id = str(uuid.uuid4())
                world.responses.setdefault(slug, []).append(response_id)
                response = Response(
                    id=response_id,
                    instrument_version=versions["visitor-survey"],
                    wave=wave.id,
                    organisation=world.organisations[slug],
                    unit=unit.id,
                    status="complete",
                    segment="=seg" if slug == "peer-b" else ("first_visit" if n % 2 else "returning"),
                    submitted_at=clock,
                    updated_at=datetime.now(UTC),
                )
                answered.append((response, _answers(n + number, unit_slug)))
        await insert_responses(answered)
    world.answers = sum(len(answers) for _, answers in answered)
    return world


async def log_in(client: Client, username: str) -> None:
    page = await client.get("/login")
    field_ = BeautifulSoup(page.text, "html.parser").find("input", attrs={"name": "_csrf_token"})
    assert field_ is not None
    answer = await client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "next": "", "_csrf_token": str(field_["value"])},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text


def alert(response: HttpResponse) -> str:
    """The refusal message of an export page."""
    box = BeautifulSoup(response.text, "html.parser").find(attrs={"role": "alert"})
    assert box is not None, response.text[:500]
    return " ".join(box.get_text(" ").split())
