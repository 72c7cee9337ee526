"""A respondent driven through the pages like a plain browser: read the form, fill it, send it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar

from bs4 import BeautifulSoup, Tag
from httpx import Response
from litestar import Litestar
from litestar.testing import AsyncTestClient

from servicescore.collections.answers import StoredAnswer
from servicescore.db.tables import Answer
from servicescore.db.tables import Response as ResponseRow
from tests.support.answer_rows import of_response

Client = AsyncTestClient[Litestar]
T = TypeVar("T")
Fields = Mapping[str, str | Sequence[str]]


def in_app(client: Client, query: Callable[[], Awaitable[T]]) -> T:
    """Database calls in the app's event loop (PostgreSQL pool connections belong to it)."""
    return client.blocking_portal.call(query)


def soup(response: Response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def hidden(page: BeautifulSoup, name: str) -> str:
    field = page.find("input", attrs={"name": name})
    assert isinstance(field, Tag), f"no {name} field"
    return str(field["value"])


class Respondent:
    def __init__(self, client: Client, path: str) -> None:
        self.client = client
        self.path = path
        self.page: BeautifulSoup | None = None
        self.last: Response | None = None

    async def open(self, query: str = "", **headers: str) -> BeautifulSoup:
        self.last = await self.client.get(self.path + query, headers=headers, follow_redirects=True)
        self.page = soup(self.last)
        return self.page

    @property
    def response_id(self) -> str:
        assert self.page is not None
        return hidden(self.page, "_response")

    @property
    def page_index(self) -> int:
        assert self.page is not None
        return int(hidden(self.page, "_page"))

    def base_fields(self) -> list[tuple[str, str]]:
        assert self.page is not None
        fields = [(name, hidden(self.page, name)) for name in ("_csrf_token", "_response", "_page")]
        if self.page.find("input", attrs={"name": "_version"}) is not None:
            fields.append(("_version", hidden(self.page, "_version")))  # the answers this page was shown from
        # Follow-ups the page shows count as seen, as the browser's script would mark them.
        for seen in self.page.find_all("input", attrs={"name": "_seen"}):
            if not seen.has_attr("disabled"):
                fields.append(("_seen", str(seen["value"])))
        return fields

    async def send(self, answers: Fields, *, nav: str = "next", extra: Sequence[tuple[str, str]] = ()) -> Response:
        """Post this page with ``answers`` and follow the redirect to the next page, as a browser does."""
        fields = [*self.base_fields(), ("_nav", nav), *extra]
        for name, value in answers.items():
            values = [value] if isinstance(value, str) else list(value)
            fields.extend((name, v) for v in values)
        self.last = await self.client.post(self.path, data=form_data(fields), follow_redirects=False)
        if self.last.status_code == 303:
            self.last = await self.client.get(self.last.headers["location"], follow_redirects=True)
        self.page = soup(self.last)
        return self.last

    async def post_raw(self, fields: Sequence[tuple[str, str]], **options: Any) -> Response:
        return await self.client.post(self.path, data=form_data(fields), follow_redirects=False, **options)


def form_data(fields: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data


def answers_of(client: Client, response_id: str) -> dict[str, StoredAnswer]:
    async def query() -> list[dict[str, Any]]:
        return await Answer.select(Answer.item, Answer.value, Answer.na, Answer.text).where(of_response(response_id))

    return {r["item"]: StoredAnswer(r["value"], bool(r["na"]), r["text"]) for r in in_app(client, query)}


def responses(client: Client) -> list[dict[str, Any]]:
    async def query() -> list[dict[str, Any]]:
        return await ResponseRow.select(
            ResponseRow.id, ResponseRow.status, ResponseRow.submitted_at, ResponseRow.updated_at, ResponseRow.language
        )

    return in_app(client, query)


VISITOR_PAGES: list[dict[str, str | list[str]]] = [
    {"visit_type": "first_visit", "visited_with": "family_children"},
    {
        "staff_welcome": "5",
        "guide_rating": "na",
        "information_before": "4",
        "waiting_time": "3",
        "value_for_money": "4",
        "cafe_and_shop": "na",
    },
    {"overall_satisfaction": "5", "recommend": "10", "best_part": "Guiden <b>Anna</b>", "comment": ""},
    {"contact_consent": "no"},
]


async def on_third_page(client: Client, link: str) -> Respondent:
    """A respondent who opened the visitor survey at ``link`` and sent its first two pages (page index 2)."""
    respondent = Respondent(client, link)
    await respondent.open()
    await respondent.send(VISITOR_PAGES[0])
    await respondent.send(VISITOR_PAGES[1])
    assert respondent.page_index == 2
    return respondent
