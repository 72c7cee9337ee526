"""The demo's visits awaiting review are real visits: the consultant finds them in the review queue, reads their
answers and flags, and an approval takes one out of the queue like any visit a shopper sent."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

import anyio
import pytest
from bs4 import BeautifulSoup
from litestar import Litestar
from litestar.testing import AsyncTestClient

from servicescore.accounts.users import create_account
from servicescore.db.tables import Assignment, AuditEvent, Response
from servicescore.definitions import load_instruments
from servicescore.demo.responses import generate
from servicescore.demo.seed import seed_demo, seed_demo_assignments
from servicescore.demo.visit_payloads import is_held
from servicescore.formats import when
from servicescore.identity import Role
from servicescore.settings import Settings

pytestmark = pytest.mark.anyio

PASSWORD = "correct horse battery"
Client = AsyncTestClient[Litestar]
T = TypeVar("T")


@pytest.fixture
def settings_overrides(engine_settings: dict[str, object]) -> dict[str, object]:
    return engine_settings


async def in_app(client: Client, function: Callable[..., Awaitable[T]], *args: Any) -> T:
    """On the app's event loop: the PostgreSQL pool belongs to it."""
    return await anyio.to_thread.run_sync(client.blocking_portal.call, function, *args)


async def seed(client: Client, settings: Settings) -> dict[str, int]:
    """As ``servicescore demo`` does: the world, then the accounts, then the shopper's assignments (twice: once)."""
    engine = client.app.state.engine
    instruments = {instrument.id: instrument for instrument in load_instruments(settings.surveys_dir)}
    await seed_demo(engine, instruments)
    for username, role in (("konsult", Role.consultant), ("shopper", Role.shopper)):
        await create_account(username, PASSWORD, role)
    made = await seed_demo_assignments(engine, instruments)
    again = await seed_demo_assignments(engine, instruments)
    held = [response for response in generate(instruments) if is_held(response, instruments)]
    return {
        "made": made,
        "again": again,
        "held_submitted": sum(response.status == "submitted" for response in held),
        "held_returned": sum(response.status == "returned" for response in held),
        "submitted": await Response.count().where((Response.status == "submitted") & Response.assignment.is_not_null()),
        "returned": await Response.count().where((Response.status == "returned") & Response.assignment.is_not_null()),
        "open": await Assignment.count().where(Assignment.status == "due"),
        "saved": await AuditEvent.count().where(AuditEvent.action == "visit.saved"),
        "return_events": await AuditEvent.count().where(AuditEvent.action == "visit.returned"),
    }


async def log_in(client: Client, username: str) -> str:
    field = BeautifulSoup((await client.get("/login")).text, "html.parser").find("input", attrs={"name": "_csrf_token"})
    assert field is not None
    token = str(field["value"])
    form = {"username": username, "password": PASSWORD, "_csrf_token": token}
    assert (await client.post("/login", data=form, follow_redirects=False)).status_code == 303
    field = BeautifulSoup((await client.get("/login")).text, "html.parser").find("input", attrs={"name": "_csrf_token"})
    assert field is not None  # logging in gave the session its own token
    return str(field["value"])


def queue_links(html: str) -> list[str]:
    return [str(a["href"]) for a in BeautifulSoup(html, "html.parser").find_all("a", class_="visit-link")]


async def test_demo_visits_wait_in_the_review_queue(client: Client, settings: Settings) -> None:
    counts = await in_app(client, seed, client, settings)
    assert (counts["held_submitted"], counts["held_returned"]) == (20, 8)
    assert counts["submitted"] == counts["held_submitted"]
    assert counts["returned"] == counts["held_returned"]
    assert counts["made"] == 20 + 8 + 4  # one assignment per held visit, and the four still to be made
    assert (counts["again"], counts["open"]) == (0, 4)
    assert (counts["saved"], counts["return_events"]) == (28, 8)

    token = await log_in(client, "konsult")
    links = queue_links((await client.get("/console/review")).text)
    assert len(links) == counts["held_submitted"]
    flags: dict[str, list[str]] = {}
    for link in links:
        page = BeautifulSoup((await client.get(link)).text, "html.parser")
        flags[link] = [li["data-flag"] for li in page.find_all("li", attrs={"data-flag": True})]
    assert sorted(code for codes in flags.values() for code in set(codes)) == [
        "contradicting_comment", "far_from_unit", "outside_window", "too_short"
    ]  # fmt: skip
    stressed = next(link for link, codes in flags.items() if "contradicting_comment" in codes)
    page = BeautifulSoup((await client.get(stressed)).text, "html.parser")
    flag = page.find("li", attrs={"data-flag": "contradicting_comment"}).text
    assert "stressad" in flag
    answered = [dd for dd in page.find_all("dd", attrs={"data-item": True}) if dd.text.strip() not in {"", "–"}]
    assert len(answered) >= 10
    assert "stressad" in " ".join(em.text for em in page.find_all("em"))

    visit_id = stressed.rsplit("/", 1)[1]
    form = {"action": "approve", "comment": "", "_csrf_token": token}
    assert (await client.post(stressed, data=form, follow_redirects=False)).status_code == 303
    after = queue_links((await client.get("/console/review")).text)
    assert len(after) == len(links) - 1
    assert stressed not in after

    async def state() -> tuple[str, str]:
        row = (
            await Response.select(Response.status, Response.assignment.status.as_alias("a"))
            .where(Response.id == visit_id)
            .first()
        )
        assert row is not None
        return row["status"], row["a"]

    assert await in_app(client, state) == ("approved", "approved")


async def test_a_demo_visits_history_reads_when_it_was_sent_and_returned(client: Client, settings: Settings) -> None:
    """A returned demo visit of 12 September read "7 december 2026, 02:22 · Skickade in version 1" and was returned
    the same minute: its history carried the moment the demo was seeded. It carries the visit's own moments: sent
    when it ended, returned 20 hours later, as on its review page."""
    await in_app(client, seed, client, settings)

    async def events() -> tuple[str, list[dict[str, Any]]]:
        returned = await AuditEvent.select(AuditEvent.object_id).where(AuditEvent.action == "visit.returned").first()
        assert returned is not None
        rows = await AuditEvent.select(AuditEvent.action, AuditEvent.at, AuditEvent.detail).where(
            (AuditEvent.object_type == "visit") & (AuditEvent.object_id == returned["object_id"])
        ).order_by(AuditEvent._meta.primary_key)  # fmt: skip
        return returned["object_id"], rows

    visit_id, history = await in_app(client, events)
    saved, sent_back = history
    detail = saved["detail"] if isinstance(saved["detail"], dict) else json.loads(saved["detail"])
    ended = datetime.fromisoformat(detail["payload"]["ended_at"])
    assert (saved["action"], sent_back["action"]) == ("visit.saved", "visit.returned")
    assert saved["at"] == ended
    assert sent_back["at"] - saved["at"] == timedelta(hours=20)
    await log_in(client, "konsult")
    page = BeautifulSoup((await client.get(f"/console/review/{visit_id}?lang=sv")).text, "html.parser")
    first = page.find("ol", class_="history").find("li").get_text(strip=True)
    assert first.startswith(when(ended, "sv")), first
