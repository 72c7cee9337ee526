"""Pages nobody has answered yet are rendered once and kept (web/respond/kept.py): every respondent still gets their
own response id and CSRF token, and a page that shows answers is never kept."""

from __future__ import annotations

import re

import httpx
import pytest

from servicescore.web.respond.kept import KeptPages
from tests.support.respond_world import World
from tests.support.respondent import VISITOR_PAGES, Client, Respondent, answers_of, responses

pytestmark = pytest.mark.anyio
PERSONAL = re.compile(r'name="(?:_csrf_token|_response)" value="[^"]*"')


def kept(client: Client) -> KeptPages:
    pages: KeptPages = client.app.state.kept_pages
    return pages


async def test_new_respondents_get_the_kept_page_with_their_own_ids(client: Client, world: World) -> None:
    first = Respondent(client, f"/s/{world.open_token}")
    await first.open()
    first_html = first.last.text if first.last else ""
    assert len(kept(client)) == 1
    first_phone = httpx.Cookies(client.cookies)
    client.cookies.clear()  # another phone
    second = Respondent(client, f"/s/{world.open_token}")
    await second.open()
    second_html = second.last.text if second.last else ""
    assert len(kept(client)) == 1  # served from the kept copy
    assert first.response_id != second.response_id
    assert first.base_fields()[0] != second.base_fields()[0]  # each phone its own CSRF token
    assert PERSONAL.sub("", first_html) == PERSONAL.sub("", second_html)
    assert "kept-" not in second_html  # no mark left behind
    second_phone = httpx.Cookies(client.cookies)
    for respondent, phone in ((first, first_phone), (second, second_phone)):  # real tokens and ids: both save
        client.cookies = phone
        response = await respondent.send(VISITOR_PAGES[0])
        assert response.status_code == 200
        assert respondent.page_index == 1
    rows = responses(client)
    assert sorted(str(row["id"]) for row in rows) == sorted([first.response_id, second.response_id])
    assert {str(row["id"]): answers_of(client, row["id"])["visit_type"].text for row in rows} == {
        first.response_id: "first_visit",
        second.response_id: "first_visit",
    }


async def test_a_page_showing_answers_or_errors_is_rendered_for_the_respondent_alone(
    client: Client, world: World
) -> None:
    respondent = Respondent(client, f"/s/{world.open_token}")
    await respondent.open()
    await respondent.send(VISITOR_PAGES[0])
    before = len(kept(client))
    await respondent.open("?page=0")  # back to the answered page
    assert respondent.page is not None
    assert respondent.page.select_one("input[name=visit_type][value=first_visit]").has_attr("checked")
    missing = await respondent.send({"visited_with": "alone"})  # the required "visit_type" left out
    assert (missing.status_code, missing.url.params["sent"]) == (200, "1")
    assert missing.text.count('class="field-error"') >= 1
    assert len(kept(client)) == before
    assert all(" checked" not in page for page in kept(client)._pages.values())


async def test_each_language_and_page_is_kept_apart(client: Client, world: World) -> None:
    respondent = Respondent(client, f"/s/{world.open_token}")
    swedish = await respondent.open()
    english = await respondent.open("?lang=en")
    assert swedish.find("h1").get_text(strip=True) == "Ditt besök"
    assert english.find("h1").get_text(strip=True) == "Your visit"
    await respondent.send(VISITOR_PAGES[0])
    assert respondent.page is not None
    assert respondent.page.find("h1").get_text(strip=True) == "The experience"
    assert len(kept(client)) == 3
