"""A small world for visit tests: Carl Larssons gård with one unit, the scorecards, a shopper with an
assignment, a second shopper and a consultant, and a client that talks to the API like the phone does."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import anyio
from bs4 import BeautifulSoup
from httpx import Response as HttpResponse
from litestar import Litestar
from litestar.testing import AsyncTestClient

from servicescore.accounts.users import create_account
from servicescore.db.assignments import AssignmentRequest, create_assignment
from servicescore.db.tables import Organisation, Unit
from servicescore.definitions import load_instruments
from servicescore.identity import Role
from servicescore.settings import Settings

PASSWORD = "correct horse battery"
Client = AsyncTestClient[Litestar]
T = TypeVar("T")
NOW = datetime.now(UTC).replace(microsecond=0)


@dataclass
class World:
    assignment_id: int
    other_assignment_id: int
    call_assignment_id: int
    settings: Settings


async def log_in_as(client: Client, username: str) -> str:
    """Log in through the form; returns the CSRF token for API calls."""
    page = await client.get("/login")
    field = BeautifulSoup(page.text, "html.parser").find("input", attrs={"name": "_csrf_token"})
    assert field is not None
    token = str(field["value"])
    answer = await client.post(
        "/login", data={"username": username, "password": PASSWORD, "_csrf_token": token}, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    page = await client.get("/login")  # logging in gave the session its own token
    field = BeautifulSoup(page.text, "html.parser").find("input", attrs={"name": "_csrf_token"})
    assert field is not None
    return str(field["value"])


async def put_visit(client: Client, token: str, visit_id: str, payload: dict[str, Any]) -> HttpResponse:
    return await client.put(f"/api/v1/visits/{visit_id}", json=payload, headers={"x-csrftoken": token})


def guided_tour_answers() -> dict[str, Any]:
    """A complete guided-tour visit: every required item answered, with a comment and an N/A."""
    yes_no = ["started_on_time", "group_welcomed", "guide_introduced", "eye_contact", "everyone_could_hear",
              "questions_welcomed", "clear_ending"]  # fmt: skip
    ratings = ["welcome_warmth", "knowledge_depth", "guide_engagement", "storytelling", "daily_life",
               "residents_relationships", "pace", "overall_rating"]  # fmt: skip
    answers: dict[str, Any] = {item: {"value": True} for item in yes_no}
    answers.update({item: {"value": 3} for item in ratings})
    answers["guide_engagement"] = {"value": 2, "comment": "Rabblade utantill, tittade i golvet."}
    answers["answers_questions"] = {"na": True}
    answers["tour_duration"] = {"value": 2700}
    answers["would_recommend"] = {"value": 6}
    return answers


def visit_payload(
    assignment_id: int, *, status: str = "submitted", revision: int = 1, **changes: Any
) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "assignment_id": assignment_id,
        "revision": revision,
        "status": status,
        "started_at": (NOW - timedelta(hours=1)).isoformat(),
        "ended_at": (NOW - timedelta(minutes=10)).isoformat(),
        "position": {"latitude": 60.6241, "longitude": 15.7791, "accuracy_m": 25},
        "answers": guided_tour_answers(),
    }
    payload.update(changes)
    return payload


async def in_app(client: Client, function: Callable[..., Awaitable[T]], *args: Any) -> T:
    """Run database code on the app's event loop: the PostgreSQL pool belongs to it, and using it from the
    test's own loop crashes asyncpg."""
    return await anyio.to_thread.run_sync(client.blocking_portal.call, function, *args)


async def make_world(client: Client, settings: Settings) -> World:
    organisation = Organisation(slug="carl-larssons-gard", name="Carl Larssons gård")
    await organisation.save()
    await Unit(organisation=organisation.id, slug="lilla-hyttnas", name="Lilla Hyttnäs", kind="site",
               latitude=60.6240, longitude=15.7790).save()  # fmt: skip
    await Unit(organisation=organisation.id, slug="kundtjanst", name="Kundtjänst", kind="call_centre").save()
    for username, role in (("shopper", Role.shopper), ("shopper2", Role.shopper), ("konsult", Role.consultant)):
        await create_account(username, PASSWORD, role)
    definitions = {instrument.id: instrument for instrument in load_instruments(settings.surveys_dir)}
    engine = client.app.state.engine
    ids = []
    for shopper, unit, instrument in (
        ("shopper", "carl-larssons-gard/lilla-hyttnas", "guided-tour"),
        ("shopper2", "carl-larssons-gard/lilla-hyttnas", "guided-tour"),
        ("shopper", "carl-larssons-gard/kundtjanst", "mystery-call"),
    ):
        request = AssignmentRequest(
            shopper=shopper, unit=unit, instrument=instrument, wave="2026-Q4",
            window_start=NOW - timedelta(days=7), window_end=NOW + timedelta(days=7), scenario="Boka visningen kl. 11.",
        )  # fmt: skip
        ids.append(await create_assignment(engine, request, definitions, min_days_between=30))
    return World(ids[0], ids[1], ids[2], settings)
