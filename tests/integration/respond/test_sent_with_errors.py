"""A page sent with errors answers with a redirect to itself (so Back and reload never post again), and that page
shows the errors and what was typed, from a sealed cookie: nothing invalid stored, what was saved before kept."""

from __future__ import annotations

import secrets

import pytest
from bs4 import BeautifulSoup

from servicescore.collections.answers import StoredAnswer
from servicescore.web.refused_form import REFUSED_COOKIE
from tests.support.respond_world import World
from tests.support.respondent import Client, answers_of, on_third_page, soup

pytestmark = pytest.mark.anyio

TYPED = {"overall_satisfaction": "6", "recommend": "3", "comment": "Kön var lång & kall"}


def shows_what_was_sent(page: BeautifulSoup) -> None:
    assert page.select_one("#e-overall_satisfaction") is not None
    assert "från 1 till 5" in page.select_one("#e-overall_satisfaction").get_text().replace("\u00a0", " ")
    assert [a["href"] for a in page.select(".error-summary a")] == ["#q-overall_satisfaction"]
    assert page.select_one(".error-summary")["role"] == "alert"
    assert page.select_one("input[name=recommend][value='3']").has_attr("checked"), "the valid answer typed is kept"
    assert page.select_one("textarea[name=comment]").get_text() == TYPED["comment"]
    assert page.select_one("input[name=_page]")["value"] == "2"


async def test_a_page_with_errors_redirects_to_itself_showing_the_errors_and_what_was_typed(
    client: Client, world: World
) -> None:
    respondent = await on_third_page(client, f"/s/{world.open_token}")
    before = answers_of(client, respondent.response_id)
    fields = [*respondent.base_fields(), ("_nav", "next"), *TYPED.items()]
    sent = await respondent.post_raw(fields)
    assert sent.status_code == 303
    assert sent.headers["location"] == f"/s/{world.open_token}?page=2&sent=1"
    cookie = sent.headers["set-cookie"]
    assert cookie.startswith(f"{REFUSED_COOKIE}=")
    assert f"Path=/s/{world.open_token}" in cookie
    assert "HttpOnly" in cookie
    assert "comment" not in cookie, "sealed: what was typed cannot be read from it"
    assert answers_of(client, respondent.response_id) == before, "nothing invalid saved, nothing saved lost"

    for _ in range(2):  # the redirect, then a reload: the same page each time
        shown = await client.get(sent.headers["location"])
        assert shown.status_code == 200
        shows_what_was_sent(soup(shown))
    assert "Kön" not in shown.text.split("<form")[0], "typed text only in the form, escaped"

    respondent.page = soup(shown)
    fixed = await respondent.send({**TYPED, "overall_satisfaction": "4"})
    assert fixed.status_code == 200
    assert respondent.page_index == 3
    assert answers_of(client, respondent.response_id)["comment"] == StoredAnswer(text=TYPED["comment"])
    assert REFUSED_COOKIE not in client.cookies, "forgotten once the page is saved"
    again = soup(await client.get(sent.headers["location"]))  # Back to the refused page after the save
    assert again.select_one(".error-summary") is None
    assert again.select_one("input[name=overall_satisfaction][value='4']").has_attr("checked")


async def test_a_kept_form_applies_only_to_its_own_response_and_page_and_a_forged_one_to_none(
    client: Client, world: World
) -> None:
    respondent = await on_third_page(client, f"/s/{world.open_token}")
    sent = await respondent.post_raw([*respondent.base_fields(), ("_nav", "next"), *TYPED.items()])
    assert sent.status_code == 303
    other_page = soup(await client.get(f"/s/{world.open_token}?page=1&sent=1"))
    assert other_page.select_one(".error-summary") is None
    assert other_page.select_one("input[name=_page]")["value"] == "1"

    client.cookies.set(REFUSED_COOKIE, secrets.token_urlsafe(120), domain="127.0.0.1", path=f"/s/{world.open_token}")
    forged = await client.get(sent.headers["location"])
    assert forged.status_code == 200
    assert soup(forged).select_one(".error-summary") is None
    assert "Kön" not in forged.text


async def test_a_page_too_large_for_a_cookie_is_answered_with_its_errors_as_before(
    client: Client, world: World
) -> None:
    respondent = await on_third_page(client, f"/s/{world.open_token}")
    # 1,900 random CJK characters fit the comment but not a cookie: about 3.4 KB of entropy, sealed in base64.
    noise = "".join(chr(0x4E00 + secrets.randbelow(0x5000)) for _ in range(1900))
    fields = [*respondent.base_fields(), ("_nav", "next"), *{**TYPED, "comment": noise}.items()]
    sent = await respondent.post_raw(fields)
    assert sent.status_code == 422
    assert "set-cookie" not in sent.headers or REFUSED_COOKIE not in sent.headers["set-cookie"]
    assert soup(sent).select_one("textarea[name=comment]").get_text() == noise
