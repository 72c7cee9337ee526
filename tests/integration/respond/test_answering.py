"""Answering from a public link: the pages, save and resume, exactly once, show_if, and what ends up stored."""

from __future__ import annotations

import uuid

import pytest

from servicescore.collections.answers import StoredAnswer
from tests.support.respond_world import World
from tests.support.respondent import VISITOR_PAGES, Client, Respondent, answers_of, responses

pytestmark = pytest.mark.anyio


async def complete(respondent: Respondent) -> None:
    await respondent.open()
    for answers in VISITOR_PAGES:
        response = await respondent.send(answers)
        assert response.status_code == 200, response.text[:500]


async def test_visitor_survey_completed_page_by_page_is_stored_once(client: Client, world: World) -> None:
    respondent = Respondent(client, f"/s/{world.open_token}")
    page = await respondent.open()
    assert page.find("h1").get_text(strip=True) == "Ditt besök"
    assert "Sida 1 av 4" in page.find(id="progress-text").get_text()
    legend = page.select_one("#q-visit_type legend").get_text(" ", strip=True)
    assert legend.startswith("Är det första gången du besöker oss?")
    assert "(måste besvaras)" in legend
    assert [r["value"] for r in page.select("#q-visit_type input[type=radio]")] == ["first_visit", "returning"]
    assert page.select_one(".owner-name").get_text() == "Zorngården"
    assert page.select_one("img.survey-logo")["src"].endswith("/logo")
    [row] = responses(client)  # made when the form was first served
    assert row["status"] == "partial"
    assert uuid.UUID(str(row["id"])).version == 7  # time-ordered: new ids go to the right edge of the id indexes
    assert row["submitted_at"] is None

    for number, answers in enumerate(VISITOR_PAGES):
        assert respondent.page_index == number
        response = await respondent.send(answers)
        assert response.status_code == 200
        if number == 1:
            rating = respondent.page.select("#q-overall_satisfaction input[type=radio]")
            assert [r["value"] for r in rating] == ["1", "2", "3", "4", "5"]
            assert len(respondent.page.select("#q-recommend input[type=radio]")) == 11
            assert respondent.page.select_one("#q-best_part").has_attr("hidden")
    thanks = respondent.page
    assert thanks.find("h1").get_text() == "Tack för dina svar!"
    assert "Skickat" in thanks.get_text()

    [row] = responses(client)
    assert row["status"] == "complete"
    assert row["submitted_at"] is not None
    assert row["updated_at"] >= row["submitted_at"]
    stored = answers_of(client, respondent.response_id if False else str(row["id"]))
    assert stored == {
        "visit_type": StoredAnswer(text="first_visit"),
        "visited_with": StoredAnswer(text="family_children"),
        "staff_welcome": StoredAnswer(value=5.0),
        "guide_rating": StoredAnswer(na=True),
        "information_before": StoredAnswer(value=4.0),
        "waiting_time": StoredAnswer(value=3.0),
        "value_for_money": StoredAnswer(value=4.0),
        "cafe_and_shop": StoredAnswer(na=True),
        "overall_satisfaction": StoredAnswer(value=5.0),
        "recommend": StoredAnswer(value=10.0),
        "best_part": StoredAnswer(text="Guiden <b>Anna</b>"),
        "contact_consent": StoredAnswer(value=0.0),
    }


async def test_a_missing_required_answer_is_shown_next_to_the_field_and_other_answers_kept(
    client: Client, world: World
) -> None:
    respondent = Respondent(client, f"/s/{world.open_token}")
    await respondent.open()
    response = await respondent.send({"visited_with": "alone"})
    assert (response.status_code, response.url.params["sent"]) == (200, "1"), "redirected to the page, with its errors"
    page = respondent.page
    error = page.select_one("#q-visit_type .field-error")
    assert error is not None
    assert "Svara på frågan" in error.get_text()
    assert page.select_one("#q-visit_type fieldset")["aria-describedby"] == "e-visit_type"
    assert page.select_one("input[name=visited_with][value=alone]").has_attr("checked")
    assert page.select_one(".error-summary a")["href"] == "#q-visit_type"
    assert answers_of(client, respondent.response_id) == {}, "a page with errors is not saved"
    response = await respondent.send({"visit_type": "returning", "visited_with": "alone"})
    assert respondent.page_index == 1
    assert answers_of(client, respondent.response_id)["visit_type"] == StoredAnswer(text="returning")


async def test_closing_the_tab_and_opening_the_link_again_resumes(client: Client, world: World) -> None:
    respondent = Respondent(client, f"/s/{world.open_token}")
    await respondent.open()
    await respondent.send(VISITOR_PAGES[0])
    await respondent.send(VISITOR_PAGES[1])
    first_id = respondent.response_id

    again = Respondent(client, f"/s/{world.open_token}")  # same cookie jar: the same phone
    page = await again.open()
    assert again.response_id == first_id
    assert again.page_index == 2
    assert page.find("h1").get_text() == "Helhetsintryck"
    await again.open("?page=1")  # going back shows what was answered
    assert again.page.select_one("input[name=staff_welcome][value='5']").has_attr("checked")
    assert again.page.select_one("input[name=guide_rating][value=na]").has_attr("checked")
    assert [r["status"] for r in responses(client)] == ["partial"]

    client.cookies.clear()  # another phone starts its own response
    other = Respondent(client, f"/s/{world.open_token}")
    await other.open()
    assert other.response_id != first_id
    assert other.page_index == 0


async def test_a_double_tap_or_a_resend_of_the_last_page_makes_one_response(client: Client, world: World) -> None:
    respondent = Respondent(client, f"/s/{world.open_token}")
    await respondent.open()
    for answers in VISITOR_PAGES[:-1]:
        await respondent.send(answers)
    last_page = respondent.base_fields()
    fields = [*last_page, ("_nav", "next"), ("contact_consent", "yes")]
    first = await respondent.post_raw(fields)
    second = await respondent.post_raw(fields)  # the same tap again, or back-and-resend
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"] == f"/s/{world.open_token}/done"
    changed = await respondent.post_raw([*last_page, ("_nav", "next"), ("contact_consent", "no")])
    assert changed.status_code == 409
    assert "redan skickade" in changed.text
    rows = responses(client)
    assert [r["status"] for r in rows] == ["complete"]
    assert answers_of(client, str(rows[0]["id"]))["contact_consent"] == StoredAnswer(value=1.0)
    # Resending an earlier page of a sent response changes nothing either: the respondent hears it was sent.
    earlier = [(n, v) for n, v in last_page if n != "_page"] + [("_page", "0"), ("visit_type", "first_visit")]
    resent = await respondent.post_raw([*earlier, ("visited_with", "family_children")])
    assert resent.status_code == 409
    assert "redan skickade" in resent.text

    page = await respondent.open()
    assert page.find("h1").get_text() == "Tack för dina svar!", "the link shows the thanks, not a new form"
    again = page.select_one("a.again")
    assert again is not None
    await respondent.open("?new=1")
    assert respondent.page_index == 0
    assert respondent.response_id != str(rows[0]["id"])


async def test_show_if_is_decided_on_the_server_and_hidden_answers_are_removed(client: Client, world: World) -> None:
    respondent = Respondent(client, f"/s/{world.open_token}")
    await respondent.open()
    await respondent.send(VISITOR_PAGES[0])
    await respondent.send({})
    # Without a script, the follow-up appears after sending, with the other answers kept.
    response = await respondent.send({"overall_satisfaction": "2", "recommend": "3"})
    assert response.status_code == 200, response.text
    assert respondent.page_index == 2
    assert respondent.page.select_one("[role=status]") is not None
    follow_up = respondent.page.select_one("#q-what_would_improve")
    assert not follow_up.has_attr("hidden")
    assert not follow_up.select_one("textarea").has_attr("disabled")
    assert respondent.page.select_one("input[name=recommend][value='3']").has_attr("checked")
    await respondent.send({"overall_satisfaction": "2", "recommend": "3", "what_would_improve": "Kortare kö"})
    assert respondent.page_index == 3
    assert answers_of(client, respondent.response_id)["what_would_improve"].text == "Kortare kö"

    await respondent.open("?page=2")
    await respondent.send({"overall_satisfaction": "4", "recommend": "9", "what_would_improve": "Kortare kö",
                           "best_part": "Trädgården"})  # fmt: skip
    stored = answers_of(client, respondent.response_id)
    assert "what_would_improve" not in stored, "an answer to a question that became hidden is removed"
    assert stored["best_part"].text == "Trädgården"


async def test_going_back_saves_without_requiring_and_skips_nothing(client: Client, world: World) -> None:
    respondent = Respondent(client, f"/s/{world.open_token}")
    await respondent.open()
    await respondent.send(VISITOR_PAGES[0])
    response = await respondent.send({"staff_welcome": "2"}, nav="back")
    assert response.status_code == 200
    assert respondent.page_index == 0
    assert answers_of(client, respondent.response_id)["staff_welcome"] == StoredAnswer(value=2.0)


async def test_the_last_page_cannot_complete_a_response_missing_required_answers(client: Client, world: World) -> None:
    respondent = Respondent(client, f"/s/{world.open_token}")
    await respondent.open()
    await respondent.send(VISITOR_PAGES[0])
    fields = [(n, "3" if n == "_page" else v) for n, v in respondent.base_fields()]
    response = await respondent.post_raw([*fields, ("_nav", "next"), ("contact_consent", "yes")])
    assert response.status_code == 303
    assert "?page=2&check=1&version=" in response.headers["location"]
    page = await respondent.open("?page=2&check=1")
    assert page.select_one("#q-overall_satisfaction .field-error") is not None
    assert [r["status"] for r in responses(client)] == ["partial"]
