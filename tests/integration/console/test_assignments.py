"""Assignments in the console: made through the form with the rotation rule enforced (a clear refusal next to the
window), listed with their status; unknown choices refused; nothing written on any refusal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from servicescore.db.tables import Assignment, AuditEvent
from servicescore.formats import local
from tests.support.console_world import Client, World, field_error, field_value, in_app, log_in, post_form, soup

pytestmark = pytest.mark.anyio

START = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=3)


def typed(moment: datetime) -> str:
    """A time as a consultant types it into a datetime-local field: Stockholm's time, as every page shows it."""
    return local(moment).strftime("%Y-%m-%dT%H:%M")


def assignment(**changes: str) -> dict[str, str]:
    form = {
        "shopper": "shopper",
        "unit": "zorngarden/museet",
        "instrument": "guided-tour",
        "wave": "2026-Q4",
        "window_start": typed(START),
        "window_end": typed(START + timedelta(hours=4)),
        "scenario": "Fråga om Zorns ateljé.",
    }
    form.update(changes)
    return form


async def assign(client: Client, **changes: str) -> Any:
    return await post_form(client, "/console/assignments", assignment(**changes))


async def stored() -> list[dict[str, Any]]:
    return await Assignment.select(
        Assignment.shopper._.username.as_alias("shopper"), Assignment.unit._.slug.as_alias("unit"),
        Assignment.status, Assignment.window_start, Assignment.scenario,
    ).order_by(Assignment.id)  # fmt: skip


async def test_an_assignment_is_made_listed_and_audited(client: Client, world: World) -> None:
    await log_in(client)
    form = soup(await client.get("/console/assignments"))
    assert [o["value"] for o in form.find(id="assign-shopper").find_all("option")] == ["", "shopper"]
    assert {o["value"] for o in form.find(id="assign-instrument").find_all("option")} == {
        "", "guided-tour", "mystery-call", "channel-audit"}  # fmt: skip
    assert "90 dagar" in form.find("p", class_="hint").text
    answer = await assign(client)
    assert answer.status_code == 303
    rows = await in_app(client, stored)
    assert rows == [{"shopper": "shopper", "unit": "museet", "status": "due", "window_start": START,
                     "scenario": "Fråga om Zorns ateljé."}]  # fmt: skip
    listing = soup(await client.get("/console/assignments?done=created"))
    row = listing.find("tr", attrs={"data-assignment": True})
    assert row.th.text == "Zorngården – Zornmuseet"
    assert "Sam Lind" in row.text
    assert row.find(attrs={"data-status": "due"}).text == "Att göra"
    assert listing.find(class_="notice").text == "Uppdraget är skapat."
    events = await in_app(client, lambda: AuditEvent.select(AuditEvent.actor._.username.as_alias("who")).where(
        AuditEvent.action == "assignment.created"))  # fmt: skip
    assert events == [{"who": "konsult"}]


async def test_the_rotation_rule_refuses_a_second_visit_too_soon(client: Client, world: World) -> None:
    await log_in(client)
    assert (await assign(client)).status_code == 303
    soon = START + timedelta(days=30)
    answer = await assign(client, window_start=soon.strftime("%Y-%m-%dT%H:%M"),
                          window_end=(soon + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))  # fmt: skip
    assert answer.status_code == 409
    message = field_error(answer, "assign", "window_start")
    assert "Rotationsregeln stoppar uppdraget: minst 90 dagar" in message
    assert START.strftime("%Y-%m-%d") in message  # the visit it clashes with
    assert field_value(answer, "assign", "shopper") == "shopper"  # the choices are kept
    assert field_value(answer, "assign", "unit") == "zorngarden/museet"
    other_unit = await assign(client, unit="zorngarden/gammelgarden", window_start=soon.strftime("%Y-%m-%dT%H:%M"),
                              window_end=(soon + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))  # fmt: skip
    assert other_unit.status_code == 303
    later = START + timedelta(days=95)
    allowed = await assign(client, window_start=later.strftime("%Y-%m-%dT%H:%M"),
                           window_end=(later + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))  # fmt: skip
    assert allowed.status_code == 303
    assert len(await in_app(client, stored)) == 3


@pytest.mark.parametrize(
    ("changes", "field", "status"),
    [
        ({"window_end": START.strftime("%Y-%m-%dT%H:%M")}, "window_end", 400),
        ({"window_start": "imorgon"}, "window_start", 400),
        ({"shopper": ""}, "shopper", 400),
        ({"shopper": "konsult"}, "shopper", 400),  # not a mystery shopper
        ({"unit": "zorngarden/finns-inte"}, "unit", 400),
        ({"instrument": "visitor-survey"}, "instrument", 400),  # a survey, not a scorecard
        ({"instrument": "finns-inte"}, "instrument", 400),
        ({"wave": "1999-Q1"}, "wave", 400),
    ],
    ids=["end-before-start", "bad-time", "no-shopper", "not-a-shopper", "unknown-unit", "survey", "unknown",
         "unknown-wave"],
)  # fmt: skip
async def test_bad_assignments_are_refused_at_their_field(
    client: Client, world: World, changes: dict[str, str], field: str, status: int
) -> None:
    await log_in(client)
    answer = await assign(client, **changes)
    assert answer.status_code == status
    assert field_error(answer, "assign", field)
    assert soup(answer).find(id="assign-scenario").text == "Fråga om Zorns ateljé."
    assert await in_app(client, stored) == []


async def test_an_assignment_is_changed_or_cancelled_until_its_visit_starts(client: Client, world: World) -> None:
    await log_in(client)
    assert (await assign(client)).status_code == 303
    listing = soup(await client.get("/console/assignments"))
    assert listing.find("td", attrs={"data-instrument": "guided-tour"}).text == "Guidad visning – observation"
    assert ("guided-tour", "Guidad visning – observation") in [
        (o["value"], o.text) for o in listing.find(id="assign-instrument").find_all("option")
    ]
    rows = await in_app(client, lambda: Assignment.select(Assignment.id).order_by(Assignment.id))
    path = f"/console/assignments/{rows[0]['id']}"
    assert listing.find("tr", attrs={"data-assignment": True}).th.a["href"] == path
    page = await client.get(path)
    assert field_value(page, "edit", "window_start") == typed(START)
    later = START + timedelta(days=2)
    window = {"window_start": typed(later), "window_end": typed(later + timedelta(hours=2))}
    changed = await post_form(client, path, {"shopper": "shopper", "scenario": "Fråga om dalahästarna.", **window})
    assert (changed.status_code, changed.headers["location"]) == (303, "/console/assignments?done=saved")
    assert [(r["window_start"], r["scenario"]) for r in await in_app(client, stored)] == [
        (later, "Fråga om dalahästarna.")
    ]
    not_a_shopper = await post_form(client, path, {"shopper": "konsult", "window_start": "2026-12-01T10:00",
                                                   "window_end": "2026-12-01T12:00"})  # fmt: skip
    assert not_a_shopper.status_code == 400
    assert field_error(not_a_shopper, "edit", "shopper")

    await in_app(
        client, lambda: Assignment.update({Assignment.status: "in_progress"}).where(Assignment.id == rows[0]["id"])
    )
    locked = await post_form(client, f"{path}/cancel", {}, form_page=path)
    assert locked.status_code == 409
    assert soup(locked).find(role="alert").text.startswith("Shoppern har redan påbörjat besöket")
    assert len(await in_app(client, stored)) == 1
    await in_app(client, lambda: Assignment.update({Assignment.status: "due"}).where(Assignment.id == rows[0]["id"]))
    cancelled = await post_form(client, f"{path}/cancel", {}, form_page=path)
    assert (cancelled.status_code, cancelled.headers["location"]) == (303, "/console/assignments?done=cancelled")
    assert await in_app(client, stored) == []
    assert (await client.get(path)).status_code == 404
    assert (await post_form(client, f"{path}/cancel", {}, form_page="/console/assignments")).status_code == 404
    forged = await client.post(f"{path}/cancel", follow_redirects=False)
    assert forged.status_code == 403
    actions = await in_app(client, lambda: AuditEvent.select(AuditEvent.action).where(
        AuditEvent.object_type == "assignment").order_by(AuditEvent.id))  # fmt: skip
    assert [a["action"] for a in actions] == ["assignment.created", "assignment.updated", "assignment.cancelled"]


async def test_the_console_and_the_shopper_show_a_window_in_the_same_local_time(client: Client, world: World) -> None:
    """The shopper read "1 oktober, 02:00" where the console listed 00:00 (UTC): both now say Stockholm's time, and
    the consultant types Stockholm's time too (the form took UTC while every page showed local time)."""
    await log_in(client)
    window = {"window_start": "2027-10-01T02:00", "window_end": "2027-10-01T06:00"}  # as the consultant means it
    assert (await assign(client, **window)).status_code == 303
    assert [row["window_start"] for row in await in_app(client, stored)] == [datetime(2027, 10, 1, 0, 0, tzinfo=UTC)]
    local = "1 oktober 2027, 02:00 – 1 oktober 2027, 06:00"  # summer time: UTC+2
    console = soup(await client.get("/console/assignments")).find("tr", attrs={"data-assignment": True})
    assert local in console.get_text(" ", strip=True)
    await log_in(client, "shopper")
    card = soup(await client.get("/visits")).find("li", attrs={"data-assignment": True})
    assert card.find(class_="visit-meta").get_text(strip=True) == local
    brief = soup(await client.get(card.a["href"]))
    assert local in brief.get_text(" ", strip=True)
