"""PUT /api/v1/visits/{uuid}: the sync contract of DESIGN.md on SQLite and PostgreSQL, with bad input."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from servicescore.db.tables import Answer, Assignment, AuditEvent, Response
from tests.support.answer_rows import of_response
from tests.support.visits_world import NOW, Client, World, in_app, log_in_as, put_visit, visit_payload

pytestmark = pytest.mark.anyio


@pytest.fixture
def settings_overrides(engine_settings: dict[str, object]) -> dict[str, object]:
    return engine_settings


async def stored_rows(visit_id: str) -> tuple[int, int, int]:
    responses = await Response.count().where(Response.id == uuid.UUID(visit_id))
    answers = await Answer.count().where(of_response(uuid.UUID(visit_id)))
    saves = await AuditEvent.count().where((AuditEvent.object_id == visit_id) & (AuditEvent.action == "visit.saved"))
    return responses, answers, saves


async def test_new_resent_and_conflicting_visits(client: Client, world: World) -> None:
    token = await log_in_as(client, "shopper")
    visit_id = str(uuid.uuid4())
    payload = visit_payload(world.assignment_id)

    first = await put_visit(client, token, visit_id, payload)
    assert first.status_code == 201, first.text
    assert first.json()["outcome"] == "created"
    assert first.json()["status"] == "submitted"
    after_first = await in_app(client, stored_rows, visit_id)
    assert after_first == (1, 18, 1)  # 7 yes/no, 8 ratings, 1 N/A, a duration and an NPS answer
    sha = first.json()["content_sha256"]

    # The same content with the keys in another order and the times in another zone is the same visit.
    reordered = dict(reversed(list(payload.items())))
    reordered["started_at"] = (NOW - timedelta(hours=1)).astimezone().isoformat()
    again = await put_visit(client, token, visit_id, reordered)
    assert again.status_code == 200
    assert again.json() == {**first.json(), "outcome": "unchanged"}
    assert await in_app(client, stored_rows, visit_id) == after_first

    changed = visit_payload(world.assignment_id, answers={**payload["answers"], "pace": {"value": 5}})
    conflict = await put_visit(client, token, visit_id, changed)
    assert conflict.status_code == 409
    assert "revision 1 is already stored" in conflict.json()["detail"]
    assert await in_app(client, stored_rows, visit_id) == after_first
    pace = Answer.select(Answer.value).where((of_response(uuid.UUID(visit_id))) & (Answer.item == "pace")).first()
    assert (await in_app(client, pace.run))["value"] == 3.0

    # A submitted visit is the consultant's until reviewed: a new revision is refused too.
    newer = await put_visit(client, token, visit_id, {**changed, "revision": 2})
    assert newer.status_code == 409
    assert "submitted" in newer.json()["detail"]
    query = Response.select(Response.content_sha256, Response.status).where(Response.id == uuid.UUID(visit_id)).first()
    row = await in_app(client, query.run)
    assert row == {"content_sha256": sha, "status": "submitted"}


async def test_a_draft_is_edited_by_raising_the_revision(client: Client, world: World) -> None:
    token = await log_in_as(client, "shopper")
    visit_id = str(uuid.uuid4())
    draft = visit_payload(world.assignment_id, status="draft", answers={"pace": {"value": 2}}, ended_at=None)
    assert (await put_visit(client, token, visit_id, draft)).status_code == 201
    status = Assignment.select(Assignment.status).where(Assignment.id == world.assignment_id).first()
    assert (await in_app(client, status.run))["status"] == "in_progress"

    edited = visit_payload(world.assignment_id, revision=2)
    answer = await put_visit(client, token, visit_id, edited)
    assert answer.status_code == 200
    assert answer.json()["outcome"] == "updated"
    assert answer.json()["revision"] == 2
    assert await in_app(client, stored_rows, visit_id) == (1, 18, 2)
    # The late resend of revision 1 (its reply was lost) is recognised and changes nothing.
    late = await put_visit(client, token, visit_id, draft)
    assert late.status_code == 200
    assert late.json()["outcome"] == "unchanged"
    assert late.json()["revision"] == 2
    assert await in_app(client, stored_rows, visit_id) == (1, 18, 2)


async def test_another_shoppers_assignment_looks_missing(client: Client, world: World) -> None:
    token = await log_in_as(client, "shopper")
    answer = await put_visit(client, token, str(uuid.uuid4()), visit_payload(world.other_assignment_id))
    assert answer.status_code == 404
    assert await in_app(client, Response.count().run) == 0


async def test_a_second_visit_for_one_assignment_is_a_conflict(client: Client, world: World) -> None:
    token = await log_in_as(client, "shopper")
    assert (await put_visit(client, token, str(uuid.uuid4()), visit_payload(world.assignment_id))).status_code == 201
    second = await put_visit(client, token, str(uuid.uuid4()), visit_payload(world.assignment_id))
    assert second.status_code == 409
    assert await in_app(client, Response.count().run) == 1


async def test_without_session_or_csrf_nothing_is_stored(client: Client, world: World) -> None:
    visit_id = str(uuid.uuid4())
    anonymous = await client.put(f"/api/v1/visits/{visit_id}", json=visit_payload(world.assignment_id))
    assert anonymous.status_code in {401, 403}
    await log_in_as(client, "shopper")
    without_csrf = await client.put(f"/api/v1/visits/{visit_id}", json=visit_payload(world.assignment_id))
    assert without_csrf.status_code == 403
    assert await in_app(client, Response.count().run) == 0


async def test_a_consultant_cannot_sync_visits(client: Client, world: World) -> None:
    token = await log_in_as(client, "konsult")
    answer = await put_visit(client, token, str(uuid.uuid4()), visit_payload(world.assignment_id))
    assert answer.status_code == 403
    assert await in_app(client, Response.count().run) == 0


BAD_VISITS: list[tuple[str, dict[str, Any], int, str]] = [
    ("unknown item", {"answers": {"guide_charm": {"value": 4}}}, 422, "answers.guide_charm"),
    ("rating outside the scale", {"answers": {"pace": {"value": 6}}}, 422, "answers.pace.value"),
    ("yes/no given a number", {"answers": {"started_on_time": {"value": 1}}}, 422, "answers.started_on_time.value"),
    ("N/A where not allowed", {"answers": {"pace": {"na": True}}}, 422, "answers.pace.na"),
    ("clock in the future", {"ended_at": (NOW + timedelta(days=2)).isoformat()}, 422, "ended_at"),
    ("time without a zone", {"started_at": "2026-11-22T10:00:00"}, 422, "started_at"),
    ("unknown field", {"mood": "good"}, 422, "mood"),
    ("status not allowed", {"status": "approved"}, 422, "status"),
    ("required item missing", {"answers": {"pace": {"value": 3}}}, 422, "answers.overall_rating"),
    ("photo not uploaded", {"answers": {"entrance_photo": {"photos": ["a" * 64]}}}, 422, "photos"),
]


@pytest.mark.parametrize(("case", "change", "status", "field"), BAD_VISITS, ids=[case[0] for case in BAD_VISITS])
async def test_bad_visits_are_refused_naming_the_field(
    client: Client, world: World, case: str, *, change: dict[str, Any], status: int, field: str
) -> None:
    token = await log_in_as(client, "shopper")
    payload = visit_payload(world.assignment_id)
    if "answers" in change and case not in {"required item missing"}:
        change = {"answers": {**payload["answers"], **change["answers"]}}
    answer = await put_visit(client, token, str(uuid.uuid4()), {**payload, **change})
    assert answer.status_code == status, answer.text
    fields = [error["field"] for error in answer.json()["errors"]]
    assert any(field in name for name in fields), fields
    assert await in_app(client, Response.count().run) == 0
    assert await in_app(client, Answer.count().run) == 0


async def test_malformed_and_oversize_bodies(client: Client, world: World) -> None:
    token = await log_in_as(client, "shopper")
    url = f"/api/v1/visits/{uuid.uuid4()}"
    headers = {"x-csrftoken": token, "content-type": "application/json"}
    broken = await client.put(url, content=b'{"assignment_id": 1, "status": ', headers=headers)
    assert broken.status_code == 400
    assert broken.json()["errors"][0]["field"] == "body"
    huge = await client.put(url, content=b'{"x": "' + b"a" * 1_200_000 + b'"}', headers=headers)
    assert huge.status_code == 413
    assert await in_app(client, Response.count().run) == 0
