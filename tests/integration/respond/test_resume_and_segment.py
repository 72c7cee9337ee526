"""Resuming after an optional page passed without answers, and the segment a web response is stored with."""

from __future__ import annotations

import dataclasses
import time
import uuid
from typing import Any

import pytest
from conftest import World
from respondent import VISITOR_PAGES, Client, Respondent, answers_of, in_app

from servicescore.db import collections as link_lookup
from servicescore.db.tables import Response as ResponseRow
from servicescore.web.respond.progress import PROGRESS_COOKIE

pytestmark = pytest.mark.anyio


def segment_of_response(client: Client, response_id: str) -> str | None:
    async def query() -> Any:
        return await ResponseRow.select(ResponseRow.segment).where(ResponseRow.id == uuid.UUID(response_id)).first()

    row = in_app(client, query)
    assert row is not None, f"no response {response_id}"
    return row["segment"]  # type: ignore[no-any-return]


async def test_a_resumed_response_does_not_ask_an_optional_page_passed_without_answers(
    client: Client, world: World
) -> None:
    respondent = Respondent(client, f"/s/{world.open_token}")
    await respondent.open()
    await respondent.send(VISITOR_PAGES[0])
    assert respondent.page_index == 1
    await respondent.send({})  # every rating of "Upplevelsen" is optional: passed, nothing answered
    assert respondent.page_index == 2
    assert set(answers_of(client, respondent.response_id)) == {"visit_type", "visited_with"}

    again = Respondent(client, f"/s/{world.open_token}")  # the tab closed, the link opened again on the same phone
    page = await again.open()
    assert again.response_id == respondent.response_id
    assert again.page_index == 2  # before the fix: 1, the skipped page again
    assert page.find("h1").get_text() == "Helhetsintryck"
    await again.open("?page=1")  # it can still be reached on purpose
    assert again.page_index == 1
    await again.send({}, nav="back")  # going back does not lower how far the respondent came
    reopened = Respondent(client, f"/s/{world.open_token}")
    await reopened.open()
    assert reopened.page_index == 2


async def test_how_far_a_respondent_came_never_passes_a_missing_required_answer(client: Client, world: World) -> None:
    respondent = Respondent(client, f"/s/{world.open_token}")
    await respondent.open()
    response_id = respondent.response_id
    client.cookies.set(PROGRESS_COOKIE, f"{response_id}:3")  # tampered: "sent through the last page"
    await respondent.open()
    assert respondent.page_index == 0  # visit_type is required and unanswered
    await respondent.send(VISITOR_PAGES[0])
    assert respondent.page_index == 1
    client.cookies.delete(PROGRESS_COOKIE)
    client.cookies.set(PROGRESS_COOKIE, f"{uuid.uuid4()}:3")  # another response's progress counts for nothing
    await respondent.open()
    assert respondent.page_index == 1  # honoured, it would have been 3


async def test_the_answer_to_the_segment_question_is_the_response_segment(client: Client, world: World) -> None:
    respondent = Respondent(client, f"/s/{world.open_token}")
    await respondent.open()
    response_id = respondent.response_id
    assert segment_of_response(client, response_id) is None  # nothing answered, and the link has no segment
    await respondent.send(VISITOR_PAGES[0])  # visit_type: first_visit
    assert segment_of_response(client, response_id) == "first_visit"
    await respondent.open("?page=0")
    await respondent.send({"visit_type": "returning", "visited_with": "alone"})  # changed its mind
    assert segment_of_response(client, response_id) == "returning"
    for answers in VISITOR_PAGES[1:]:
        assert (await respondent.send(answers)).status_code == 200
    assert segment_of_response(client, response_id) == "returning"
    assert answers_of(client, response_id)["visit_type"].text == "returning"


async def test_a_link_segment_wins_over_the_answers(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Links have no segment column yet: give the kept copy of this link one, as a column would.
    async def link_with_segment() -> None:
        link = await link_lookup.public_link(world.open_token)
        assert link is not None
        kept = dataclasses.replace(link, segment="cafe")
        monkeypatch.setitem(link_lookup._public_links, world.open_token, (time.monotonic(), kept))

    monkeypatch.setattr(link_lookup, "PUBLIC_LINK_SECONDS", 3600.0)
    in_app(client, link_with_segment)
    respondent = Respondent(client, f"/s/{world.open_token}")
    await respondent.open()
    response_id = respondent.response_id
    assert segment_of_response(client, response_id) == "cafe"  # from the moment the response is made
    await respondent.send(VISITOR_PAGES[0])
    assert segment_of_response(client, response_id) == "cafe"
