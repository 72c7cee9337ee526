"""Hostile input on the shopper's side: markup in a comment stays text on every visit page, and a visit body nested
deeper than any visit is refused before it is parsed."""

from __future__ import annotations

import json
import uuid

import pytest
from bs4 import BeautifulSoup

from tests.support.visits_world import Client, World, log_in_as, put_visit, visit_payload

pytestmark = pytest.mark.anyio

HOSTILE_COMMENT = "</script><img src=x onerror=alert(1)><!-- & 'quoted' <b>"


async def test_a_comment_with_markup_round_trips_and_injects_nothing(client: Client, world: World) -> None:
    token = await log_in_as(client, "shopper")
    payload = visit_payload(world.assignment_id, status="draft")
    payload["answers"]["guide_engagement"]["comment"] = HOSTILE_COMMENT
    stored = await put_visit(client, token, str(uuid.uuid4()), payload)
    assert stored.status_code == 201, stored.text

    for path in ("", "/section/3", "/finish"):
        html = (await client.get(f"/visits/{world.assignment_id}{path}")).text
        page = BeautifulSoup(html, "html.parser")
        assert page.find("img", attrs={"src": "x"}) is None, path
        assert page.find("b") is None, path
        scripts = page.find_all("script", attrs={"id": "server-payload"})
        assert len(scripts) == 1, path
        embedded = json.loads(scripts[0].string)
        assert embedded["answers"]["guide_engagement"]["comment"] == HOSTILE_COMMENT, path


def nested(depth: int) -> str:
    return '{"assignment_id": 1, "answers": {"x": {"value": ' + "[" * depth + "]" * depth + "}}}"


@pytest.mark.parametrize(("depth", "content_type"), [(1_000, "application/json"), (100_000, "text/plain")])
async def test_a_deeply_nested_visit_is_refused_with_400(
    client: Client, world: World, depth: int, content_type: str
) -> None:
    token = await log_in_as(client, "shopper")
    response = await client.put(
        f"/api/v1/visits/{uuid.uuid4()}",
        content=nested(depth),
        headers={"x-csrftoken": token, "content-type": content_type},
    )
    assert response.status_code == 400, response.text[:500]
    body = response.json()
    assert body["errors"] == [{"field": "body", "message": "JSON nested deeper than 32 levels", "code": "invalid"}]


async def test_brackets_inside_strings_do_not_count(client: Client, world: World) -> None:
    token = await log_in_as(client, "shopper")
    payload = visit_payload(world.assignment_id, status="draft")
    payload["answers"]["guide_engagement"]["comment"] = "[{" * 200 + ' \\" ' + "]}" * 3
    response = await put_visit(client, token, str(uuid.uuid4()), payload)
    assert response.status_code == 201, response.text[:500]
