"""Talking to the app like a browser: CSRF tokens from forms, logging in, parsing pages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from bs4 import BeautifulSoup
from httpx import Response
from litestar import Litestar
from litestar.testing import AsyncTestClient

from servicescore.web.auth import SESSION_COOKIE

PASSWORD = "correct horse battery"

T = TypeVar("T")

Client = AsyncTestClient[Litestar]


def csrf_token(html: str) -> str:
    field = BeautifulSoup(html, "html.parser").find("input", attrs={"name": "_csrf_token"})
    assert field is not None, "the page has no CSRF field"
    return str(field["value"])


async def fetch_csrf(client: Client, path: str = "/login") -> str:
    return csrf_token((await client.get(path)).text)


async def log_in(client: Client, username: str, password: str = PASSWORD, *, next_path: str = "") -> Response:
    token = await fetch_csrf(client)
    return await client.post(
        "/login",
        data={"username": username, "password": password, "next": next_path, "_csrf_token": token},
        follow_redirects=False,
    )


def soup(response: Response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def use_session_cookie(client: Client, token: str) -> None:
    """Make ``token`` the only session cookie the client sends (the jar may hold one per domain)."""
    client.cookies.delete(SESSION_COOKIE)
    client.cookies.set(SESSION_COOKIE, token, domain="127.0.0.1")


def in_app(client: Client, query: Callable[[], Awaitable[T]]) -> T:
    """Run a database call in the app's own event loop. The test client serves the app from a thread with its own
    loop; PostgreSQL pool connections belong to that loop, so test code must query through it."""
    return client.blocking_portal.call(query)
