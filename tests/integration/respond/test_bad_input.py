"""Bad input on a survey page: every case gets a 4xx with a clear message or a field error, and nothing wrong
is stored; what is stored is shown escaped."""

from __future__ import annotations

import pytest

from servicescore.collections.answers import StoredAnswer
from tests.support.respond_world import World
from tests.support.respondent import Client, answers_of, on_third_page, responses, soup

pytestmark = pytest.mark.anyio

BIG_TEXT = "x" * 200_000
SQL = "'; DROP TABLE answer; --"
SCRIPT = '<script>alert("hej")</script><img src=x onerror=alert(1)>'


GOOD = [("overall_satisfaction", "4"), ("recommend", "8")]


@pytest.mark.parametrize(
    ("case", "fields", "status", "message"),
    [
        ("rating above the scale", [("overall_satisfaction", "6"), ("recommend", "8")], 303, "från 1 till 5"),
        ("rating below the scale", [("overall_satisfaction", "0"), ("recommend", "8")], 303, "från 1 till 5"),
        ("nps above 10", [("overall_satisfaction", "4"), ("recommend", "11")], 303, "från 0 till 10"),
        ("not a number", [("overall_satisfaction", "fem"), ("recommend", "8")], 303, "från 1 till 5"),
        ("N/A where not allowed", [("overall_satisfaction", "na"), ("recommend", "8")], 303, "Välj ett av"),
        ("200 KB of text", [*GOOD, ("comment", BIG_TEXT)], 303, "högst 2 000 får plats"),
        ("unknown field", [*GOOD, ("is_admin", "1")], 400, "'is_admin' is not a question"),
        ("an item of another page", [*GOOD, ("staff_welcome", "1")], 400, "'staff_welcome' is not a question"),
        ("an item hidden by show_if", [*GOOD, ("best_part", "sneaked in")], 400, "'best_part' is not asked"),
        (
            "two values for one",
            [("overall_satisfaction", "4"), ("overall_satisfaction", "5"), ("recommend", "8")],
            400,
            "sent 2 times",
        ),
        ("a page that does not exist", [("_page", "99"), *GOOD], 400, "_page"),
        ("a page that is not a number", [("_page", "2 OR 1=1"), *GOOD], 400, "_page"),
        ("a made-up response id", [("_response", "00000000-0000-4000-8000-000000000000"), *GOOD], 400, "response"),
        ("a response id that is no UUID", [("_response", SQL), *GOOD], 400, "response"),
        ("an unknown navigation", [("_nav", "finish"), *GOOD], 400, "_nav"),
    ],
)
async def test_bad_values_are_refused_and_nothing_is_stored(  # noqa: PLR0917
    client: Client, world: World, case: str, fields: list[tuple[str, str]], status: int, message: str
) -> None:
    respondent = await on_third_page(client, f"/s/{world.open_token}")
    before = answers_of(client, respondent.response_id)
    overridden = {name for name, _ in fields if name.startswith("_")}
    base = [(n, v) for n, v in respondent.base_fields() if n not in overridden]
    nav = [] if "_nav" in overridden else [("_nav", "next")]
    response = await respondent.post_raw([*base, *nav, *fields])
    assert response.status_code == status, case
    if status == 303:  # a field error: shown on the page the browser is sent to, so Back and reload post nothing
        response = await client.get(response.headers["location"])
        assert response.status_code == 200, case
    assert message in soup(response).get_text().replace("\u00a0", " "), case
    assert answers_of(client, respondent.response_id) == before, case
    assert [r["status"] for r in responses(client)] == ["partial"]


async def test_a_wrong_csrf_token_is_refused(client: Client, world: World) -> None:
    respondent = await on_third_page(client, f"/s/{world.open_token}")
    fields = [(n, "0" * 64 if n == "_csrf_token" else v) for n, v in respondent.base_fields()]
    response = await respondent.post_raw([*fields, ("_nav", "next"), *GOOD])
    assert response.status_code == 403
    assert "Formuläret har gått ut" in response.text
    assert "overall_satisfaction" not in answers_of(client, respondent.response_id)


async def test_a_file_upload_is_refused(client: Client, world: World) -> None:
    respondent = await on_third_page(client, f"/s/{world.open_token}")
    data = dict(respondent.base_fields()) | {"_nav": "next", "overall_satisfaction": "4", "recommend": "8"}
    response = await client.post(
        respondent.path, data=data, files={"comment": ("evil.html", b"<h1>hi</h1>", "text/html")}
    )
    assert response.status_code == 400
    assert "comment" not in answers_of(client, respondent.response_id)


async def test_script_and_sql_in_text_are_stored_as_written_and_shown_escaped(client: Client, world: World) -> None:
    respondent = await on_third_page(client, f"/s/{world.open_token}")
    comment = f"{SCRIPT}\r\n{SQL}\x00\x07 slut"
    await respondent.send({"overall_satisfaction": "4", "recommend": "8", "comment": comment})
    assert respondent.page_index == 3
    stored = answers_of(client, respondent.response_id)
    assert stored["comment"] == StoredAnswer(text=f"{SCRIPT}\n{SQL} slut"), "control characters dropped, nothing else"
    page = await respondent.open("?page=2")
    assert "<script>alert" not in page.decode()
    assert "&lt;script&gt;" in respondent.last.text
    assert page.select_one("textarea[name=comment]").get_text() == f"{SCRIPT}\n{SQL} slut"
    assert page.find("script", string=True) is None


async def test_a_wrong_or_expired_token_never_stores(client: Client, world: World) -> None:
    respondent = await on_third_page(client, f"/s/{world.open_token}")
    fields = [*respondent.base_fields(), ("_nav", "next"), *GOOD]
    for token in (world.closed_token, "Z" * 24):
        response = await client.post(f"/s/{token}", data=dict(fields))
        assert response.status_code in (404, 410)
    assert "overall_satisfaction" not in answers_of(client, respondent.response_id)
