"""Swedish or English: ``?lang=``, then the cookie it sets, then the account, then Accept-Language, else Swedish."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from servicescore.identity import Account, Role
from servicescore.reporting.on_demand import report_choices
from servicescore.settings import Settings
from servicescore.texts import translate
from servicescore.web import i18n, pages
from servicescore.web.i18n import LANGUAGE_COOKIE
from tests.support.web_session import Client, log_in, soup

pytestmark = pytest.mark.anyio

HEADINGS = {
    "/login": {"sv": "Logga in", "en": "Log in"},
    "/": {"sv": "Hur bemöts era kunder?", "en": "How are your customers treated?"},
}


def heading_and_lang(response) -> tuple[str, str]:
    page = soup(response)
    return page.h1.get_text(strip=True), page.html["lang"]


@pytest.mark.parametrize("path", ["/login", "/"])
async def test_default_is_swedish(client: Client, path: str) -> None:
    assert heading_and_lang(await client.get(path)) == (HEADINGS[path]["sv"], "sv")


@pytest.mark.parametrize("path", ["/login", "/"])
async def test_query_parameter_chooses_and_the_cookie_remembers(client: Client, path: str) -> None:
    response = await client.get(path, params={"lang": "en"})
    assert heading_and_lang(response) == (HEADINGS[path]["en"], "en")
    assert f"{LANGUAGE_COOKIE}=en" in response.headers["set-cookie"]
    # The next page, without ?lang, stays English because of the cookie, even against Accept-Language.
    again = await client.get(path, headers={"accept-language": "sv-SE,sv;q=0.9"})
    assert heading_and_lang(again) == (HEADINGS[path]["en"], "en")
    assert LANGUAGE_COOKIE not in again.headers.get("set-cookie", "")
    back = await client.get(path, params={"lang": "sv"})
    assert heading_and_lang(back) == (HEADINGS[path]["sv"], "sv")


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("en-GB,en;q=0.9", "en"),
        ("de-DE,de;q=0.9,en;q=0.5,sv;q=0.4", "en"),
        ("sv;q=0.2, en;q=0.8", "en"),
        ("en;q=0, sv", "sv"),
        ("fr, de", "sv"),
        ("*", "sv"),
    ],
)
async def test_accept_language_decides_when_nothing_was_chosen(
    client: Client, accept_language: str, expected: str
) -> None:
    response = await client.get("/login", headers={"accept-language": accept_language})
    assert heading_and_lang(response) == (HEADINGS["/login"][expected], expected)


async def test_unknown_language_in_query_is_ignored(client: Client) -> None:
    response = await client.get("/login", params={"lang": "fi"}, headers={"accept-language": "en"})
    assert heading_and_lang(response) == ("Log in", "en")
    assert LANGUAGE_COOKIE not in response.headers.get("set-cookie", "")


async def test_every_page_links_to_itself_in_the_other_language(client: Client) -> None:
    for path, query, expected_href in [
        ("/", {}, "/?lang=en"),
        ("/login", {"next": "/console"}, "/login?next=%2Fconsole&lang=en"),
        ("/no-such-page", {}, "/no-such-page?lang=en"),
    ]:
        page = soup(await client.get(path, params=query))
        switch = page.find("a", attrs={"hreflang": "en"})
        assert switch["href"] == expected_href
        assert switch.get_text(strip=True) == "English"
        assert switch["lang"] == "en"


async def test_the_language_is_worked_out_once_per_request(
    client: Client, make_user: Callable[..., Awaitable[Account]], settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    await make_user("konsult", Role.consultant)
    await log_in(client, "konsult")
    negotiated: list[str] = []

    def negotiate_and_count(**choices: str | None) -> str:
        negotiated.append(i18n.negotiate(**choices))
        return negotiated[-1]

    monkeypatch.setattr(pages, "negotiate", negotiate_and_count)
    response = await client.get("/console/reports", params={"lang": "en"})
    page = soup(response)
    assert (page.html["lang"], page.h1.get_text(strip=True)) == ("en", "Reports")
    titles = [option.get_text(strip=True) for option in page.select("select#report option")]
    expected = [
        f"{d.title.pick('en')} ({translate(f'reports.kind.{d.kind}', 'en')})" for d in report_choices(settings).values()
    ]
    assert titles == expected
    assert negotiated == ["en"]  # the handler, the page frame and the language cookie share one answer
