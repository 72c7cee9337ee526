"""Resuming after an optional page passed without answers (on the same device and on another), and the segment a web
response is stored with."""

from __future__ import annotations

import dataclasses
import time
import uuid
from typing import Any

import pytest

from servicescore.db import collections as link_lookup
from servicescore.db.tables import Response as ResponseRow
from tests.support.respond_world import World
from tests.support.respondent import VISITOR_PAGES, Client, Respondent, answers_of, in_app

pytestmark = pytest.mark.anyio


def segment_of_response(client: Client, response_id: str) -> str | None:
    async def query() -> Any:
        return await ResponseRow.select(ResponseRow.segment).where(ResponseRow.id == uuid.UUID(response_id)).first()

    row = in_app(client, query)
    assert row is not None, f"no response {response_id}"
    return row["segment"]  # type: ignore[no-any-return]


def furthest_page_of(client: Client, response_id: str) -> int:
    async def query() -> Any:
        return (
            await ResponseRow.select(ResponseRow.furthest_page).where(ResponseRow.id == uuid.UUID(response_id)).first()
        )

    row = in_app(client, query)
    assert row is not None, f"no response {response_id}"
    return row["furthest_page"]  # type: ignore[no-any-return]


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
    assert furthest_page_of(client, respondent.response_id) == 1  # kept with the response, saved with the page

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
    assert furthest_page_of(client, respondent.response_id) == 1


async def test_an_invitation_opened_on_a_second_device_resumes_after_a_skipped_optional_page(
    client: Client, world: World
) -> None:
    phone = Respondent(client, f"/i/{world.invitations[0]}")
    await phone.open()
    await phone.send(VISITOR_PAGES[0])
    await phone.send({})  # "Upplevelsen" passed without answers
    assert phone.page_index == 2

    client.cookies.clear()  # the desktop: the same e-mail link, none of the phone's cookies
    desktop = Respondent(client, f"/i/{world.invitations[0]}")
    page = await desktop.open()
    assert desktop.response_id == phone.response_id
    assert desktop.page_index == 2  # with the progress only in the phone's cookie: 1, the skipped page again
    assert page.find("h1").get_text() == "Helhetsintryck"
    for answers in VISITOR_PAGES[2:]:
        assert (await desktop.send(answers)).status_code == 200
    assert desktop.last is not None
    assert desktop.last.url.path == f"/i/{world.invitations[0]}/done"
    assert set(answers_of(client, phone.response_id)) == {
        "visit_type", "visited_with", "overall_satisfaction", "recommend", "best_part", "contact_consent",
    }  # fmt: skip


async def test_how_far_a_respondent_came_never_passes_a_missing_required_answer(client: Client, world: World) -> None:
    respondent = Respondent(client, f"/s/{world.open_token}")
    await respondent.open()
    response_id = respondent.response_id
    # Tampered: the last page sent forward first, skipping the required visit_type on page 0 and page 2's ratings.
    forged = [(n, v) for n, v in respondent.base_fields() if n != "_page"]
    sent = await respondent.post_raw([*forged, ("_page", "3"), ("_nav", "next"), ("contact_consent", "no")])
    assert sent.status_code == 303
    assert sent.headers["location"].startswith(f"/s/{world.open_token}?page=0&check=1&version=")
    assert furthest_page_of(client, response_id) == 3  # stored as sent: only resuming decides what it is worth
    await respondent.open()
    assert respondent.page_index == 0  # visit_type is required and unanswered
    await respondent.send(VISITOR_PAGES[0])
    assert respondent.page_index == 1
    await respondent.open()
    assert respondent.page_index == 2  # past the optional page 1, but not past overall_satisfaction (required)


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
