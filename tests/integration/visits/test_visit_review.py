"""Review before release: the queue with flags, approve (and the visit counts in the snapshot), return with a
comment (the shopper resubmits; history kept), reject; every change an audit event with who and when."""

from __future__ import annotations

import uuid
from datetime import timedelta

import polars as pl
import pytest
from bs4 import BeautifulSoup

from servicescore.db.tables import AuditEvent, Response
from servicescore.snapshot import load_answers
from tests.support.visits_world import NOW, Client, World, in_app, log_in_as, put_visit, visit_payload

pytestmark = pytest.mark.anyio


@pytest.fixture
def settings_overrides(engine_settings: dict[str, object]) -> dict[str, object]:
    return engine_settings


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


async def submit(client: Client, world: World, **changes: object) -> str:
    token = await log_in_as(client, "shopper")
    visit_id = str(uuid.uuid4())
    answer = await put_visit(client, token, visit_id, visit_payload(world.assignment_id, **changes))
    assert answer.status_code == 201, answer.text
    return visit_id


async def decide(client: Client, visit_id: str, action: str, comment: str = "") -> int:
    token = await log_in_as(client, "konsult")
    form = {"action": action, "comment": comment, "_csrf_token": token}
    answer = await client.post(f"/console/review/{visit_id}", data=form, follow_redirects=False)
    return answer.status_code


async def test_approved_visits_count_in_the_scores(client: Client, world: World) -> None:
    visit_id = await submit(
        client, world,
        started_at=(NOW - timedelta(minutes=12)).isoformat(),  # 2 minutes for 24 items (at least 3.2): too short
        position={"latitude": 60.70, "longitude": 15.7790, "accuracy_m": 30},  # 8.5 km north of Lilla Hyttnäs
    )  # fmt: skip
    assert await in_app(client, lambda: load_answers(world.settings, "guided-tour").collect().height) == 0
    await log_in_as(client, "konsult")
    console = soup((await client.get("/console")).text)
    assert console.h1.text == "Konsolen"
    assert "(1)" in console.find("a", href="/console/review").text
    queue = soup((await client.get("/console/review")).text)
    assert "Misstänkt kort besök, Långt från enheten" in queue.find(class_="visit-sync").text
    page = soup((await client.get(f"/console/review/{visit_id}")).text)
    flags = {li["data-flag"]: li.text for li in page.find_all("li", attrs={"data-flag": True})}
    assert set(flags) == {"too_short", "far_from_unit"}
    assert flags["far_from_unit"] == "Långt från enheten: 8,5 km från enheten (telefonens noggrannhet ±30 m)."
    assert flags["too_short"] == "Misstänkt kort besök: Tog 2 min; minst 3,2 min väntat för formulärets storlek."
    english = soup((await client.get(f"/console/review/{visit_id}?lang=en")).text)
    far = english.find("li", attrs={"data-flag": "far_from_unit"}).text
    assert far == "Far from the unit: 8.5 km from the unit (the phone's accuracy ±30 m)."
    assert (
        page.find("dd", attrs={"data-item": "guide_engagement"}).find("em").text
        == "Rabblade utantill, tittade i golvet."
    )

    assert await decide(client, visit_id, "approve") == 303
    assert await decide(client, visit_id, "approve") == 409  # already decided

    async def counted() -> tuple[str, pl.DataFrame, list[dict[str, object]]]:
        status = (await Response.select(Response.status).first())["status"]
        frame = load_answers(world.settings, "guided-tour").collect()
        events = (
            await AuditEvent.select(AuditEvent.action, AuditEvent.actor.username.as_alias("who"), AuditEvent.at)
            .where(AuditEvent.object_id == visit_id)
            .order_by(AuditEvent.id)
        )
        return status, frame, events

    status, frame, events = await in_app(client, counted)
    assert status == "approved"
    assert frame.height == 18
    assert frame.filter(pl.col("item") == "guide_engagement").get_column("value").to_list() == [2.0]
    assert [(e["action"], e["who"]) for e in events] == [("visit.saved", "shopper"), ("visit.approved", "konsult")]
    assert events[1]["at"].utcoffset() == timedelta(0)


async def test_a_returned_visit_is_corrected_and_resubmitted(client: Client, world: World) -> None:
    visit_id = await submit(client, world)
    assert await decide(client, visit_id, "return") == 409  # a return needs a comment
    assert await decide(client, visit_id, "return", "Kommentaren på engagemang saknar exempel.") == 303

    token = await log_in_as(client, "shopper")
    listing = soup((await client.get("/visits")).text)
    returned = listing.find("section", attrs={"aria-labelledby": "h-returned"})
    assert "Kommentaren på engagemang saknar exempel." in returned.text

    old = visit_payload(world.assignment_id)
    corrected = {"value": 2, "comment": "Läste från ett papper."}
    fixed = visit_payload(world.assignment_id, revision=2, answers={**old["answers"], "guide_engagement": corrected})
    answer = await put_visit(client, token, visit_id, fixed)
    assert (answer.status_code, answer.json()["outcome"], answer.json()["status"]) == (200, "updated", "submitted")
    assert await decide(client, visit_id, "reject", "Fel visning.") == 303

    async def history() -> list[str]:
        rows = (
            await AuditEvent.select(AuditEvent.action).where(AuditEvent.object_id == visit_id).order_by(AuditEvent.id)
        )
        return [row["action"] for row in rows]

    assert await in_app(client, history) == ["visit.saved", "visit.returned", "visit.saved", "visit.rejected"]
    # A rejected visit is final for the shopper too.
    token = await log_in_as(client, "shopper")
    again = await put_visit(client, token, visit_id, {**fixed, "revision": 3})
    assert again.status_code == 409
    assert await in_app(client, lambda: load_answers(world.settings, "guided-tour").collect().height) == 0


async def test_shoppers_cannot_review(client: Client, world: World) -> None:
    visit_id = await submit(client, world)
    assert (await client.get("/console/review")).status_code == 403
    token = await log_in_as(client, "shopper")
    answer = await client.post(f"/console/review/{visit_id}", data={"action": "approve", "_csrf_token": token})
    assert answer.status_code == 403


async def test_a_decision_without_an_action_is_named_and_changes_nothing(client: Client, world: World) -> None:
    visit_id = await submit(client, world)
    token = await log_in_as(client, "konsult")
    answer = await client.post(f"/console/review/{visit_id}", data={"action": "", "_csrf_token": token})
    assert answer.status_code == 400
    assert soup(answer.text).find(role="alert").get_text(strip=True) == "Välj Godkänn, Skicka tillbaka eller Underkänn."
    status = await in_app(client, lambda: Response.select(Response.status).where(Response.id == visit_id).first())
    assert status == {"status": "submitted"}
    missing = await client.post(f"/console/review/{uuid.uuid4()}", data={"action": "", "_csrf_token": token})
    assert missing.status_code == 404


async def test_the_visit_page_speaks_the_consultants_language(client: Client, world: World) -> None:
    visit_id = await submit(
        client, world,
        started_at=(NOW - timedelta(days=9)).isoformat(),  # the window opened 7 days ago: both moments outside it
        ended_at=(NOW - timedelta(days=9) + timedelta(minutes=75)).isoformat(),
    )  # fmt: skip
    token = await log_in_as(client, "konsult")
    queue = soup((await client.get("/console/review")).text)
    assert queue.find(class_="visit-sync").get_text(strip=True) == "⚑ Utanför tidsfönstret"
    assert queue.find(class_="visit-meta").get_text(strip=True).startswith("Guidad visning – observation · ")
    page = soup((await client.get(f"/console/review/{visit_id}")).text)
    assert [li["data-flag"] for li in page.find_all("li", attrs={"data-flag": True})] == ["outside_window"]
    assert page.find(attrs={"data-duration": True}).text == "1 h 15 min"

    for language, message in (
        ("sv", "Ett besök som skickas tillbaka behöver en kommentar som säger shoppern vad som ska ändras."),
        ("en", "A returned visit needs a comment telling the shopper what to change."),
    ):
        form = {"action": "return", "comment": " ", "_csrf_token": token}
        refused = await client.post(f"/console/review/{visit_id}?lang={language}", data=form)
        assert refused.status_code == 409
        shown = soup(refused.text)
        assert shown.find(role="alert").get_text(strip=True) == message
        assert "None" not in shown.main.get_text()
        assert shown.find(attrs={"data-duration": True}).text == "1 h 15 min"

    assert await decide(client, visit_id, "return", "Fel dag.") == 303
    token = await log_in_as(client, "konsult")
    again = await client.post(f"/console/review/{visit_id}?lang=en", data={"action": "approve", "_csrf_token": token})
    assert again.status_code == 409
    assert soup(again.text).find(role="alert").get_text(strip=True) == "The visit is returned, not waiting for review."
    history = soup((await client.get(f"/console/review/{visit_id}?lang=sv")).text).find("ol", class_="history")
    events = [li.get_text(strip=True).split(" · ", 1)[1] for li in history.find_all("li")]
    # Swedish quotation marks on the Swedish page (it printed English “…” in both languages)
    assert events == ["shopper · Skickade in version 1", "konsult · Skickade tillbaka besöket: ”Fel dag.”"]
    english = soup((await client.get(f"/console/review/{visit_id}?lang=en")).text).find("ol", class_="history")
    assert [li.get_text(strip=True).rsplit(" · ", 1)[1] for li in english.find_all("li")] == [
        "Submitted revision 1", "Returned the visit: “Fel dag.”",
    ]  # fmt: skip
