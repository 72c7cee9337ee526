"""A respondent and the staff, driven like a plain browser: forms read from the pages, posted back."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from bs4 import BeautifulSoup
from httpx import Response
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.support.respondent import hidden, in_app, soup

Client = AsyncTestClient[Litestar]
T = TypeVar("T")
PASSWORD = "correct horse battery"

# The visitor survey's first three pages; the fourth (consent and contact) is what each test varies.
LOW = {"overall_satisfaction": "2", "recommend": "3", "what_would_improve": "En guide som inte rabblade"}
HIGH = {"overall_satisfaction": "5", "recommend": "10", "best_part": "Guiden"}
CONTACT = {"_contact.name": "Anna Berg", "_contact.email": "anna.berg@example.se", "_contact.phone": "070-123 45 67"}


class Respondent:
    def __init__(self, client: Client, token: str) -> None:
        self.client, self.path = client, f"/s/{token}"
        self.page = BeautifulSoup("", "html.parser")

    async def open(self, query: str = "") -> BeautifulSoup:
        self.page = soup(await self.client.get(self.path + query, follow_redirects=True))
        return self.page

    @property
    def response_id(self) -> str:
        return hidden(self.page, "_response")

    def fields(self, answers: dict[str, str]) -> list[tuple[str, str]]:
        base = [(name, hidden(self.page, name)) for name in ("_csrf_token", "_response", "_page", "_version")]
        return [*base, ("_nav", "next"), *answers.items()]

    async def post(self, fields: Sequence[tuple[str, str]]) -> Response:
        data: dict[str, list[str]] = {}
        for name, value in fields:
            data.setdefault(name, []).append(value)
        return await self.client.post(self.path, data=data, follow_redirects=False)

    async def send(self, answers: dict[str, str]) -> Response:
        response = await self.post(self.fields(answers))
        if response.status_code == 303:
            response = await self.client.get(response.headers["location"], follow_redirects=True)
        self.page = soup(response)
        return response

    async def reach_last_page(self, overall: dict[str, str]) -> None:
        await self.open()
        for answers in ({"visit_type": "first_visit"}, {"staff_welcome": "3"}, overall):
            response = await self.send(answers)
            assert response.status_code == 200, response.text[:300]
        assert self.page.find("h1").get_text() == "Återkoppling"


async def complete(client: Client, token: str, overall: dict[str, str], last: dict[str, str]) -> tuple[str, Response]:
    """A new response through all four pages; the last page's post (not followed) and the response id."""
    client.cookies.delete("servicescore_response")
    respondent = Respondent(client, token)
    await respondent.reach_last_page(overall)
    return respondent.response_id, await respondent.post(respondent.fields(last))


async def log_in(client: Client, username: str) -> None:
    client.cookies.delete("servicescore_session")
    token = hidden(soup(await client.get("/login")), "_csrf_token")
    response = await client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "next": "", "_csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:300]


async def post_form(client: Client, page_path: str, action: str, data: dict[str, str] | None = None) -> Response:
    """Post ``data`` to ``action`` with the CSRF token of the form on ``page_path``."""
    page = soup(await client.get(page_path))
    token = hidden(page, "_csrf_token")
    return await client.post(action, data={**(data or {}), "_csrf_token": token}, follow_redirects=False)


def rows(client: Client, query: Callable[[], Awaitable[list[dict[str, Any]]]]) -> list[dict[str, Any]]:
    return in_app(client, query)
