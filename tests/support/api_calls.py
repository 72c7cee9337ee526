"""Talking to the API test app: API tokens, bearer headers, logging in for a session."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import anyio
from bs4 import BeautifulSoup
from litestar import Litestar
from litestar.testing import AsyncTestClient

from servicescore.db.accounts import find_credentials
from servicescore.db.api_tokens import create_token
from servicescore.identity import Account
from servicescore.web.api.tokens_page import new_api_token
from tests.support.api_world import PASSWORD

Client = AsyncTestClient[Litestar]
T = TypeVar("T")


async def account_of(client: Client, username: str) -> Account:
    credentials = await anyio.to_thread.run_sync(client.blocking_portal.call, find_credentials, username)
    assert credentials is not None
    return credentials.account


async def token_for(client: Client, username: str, name: str = "integration") -> str:
    """A fresh API token of ``username``, stored like the tokens page stores one."""
    secret = new_api_token()
    account = await account_of(client, username)
    await anyio.to_thread.run_sync(client.blocking_portal.call, create_token, account, name, secret)
    return secret


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def csrf_field(html: str) -> str:
    field = BeautifulSoup(html, "html.parser").find("input", attrs={"name": "_csrf_token"})
    assert field is not None, "the page has no CSRF field"
    return str(field["value"])


async def log_in(client: Client, username: str) -> str:
    """Log in through the form; returns the CSRF token the session's pages carry."""
    token = csrf_field((await client.get("/login")).text)
    answer = await client.post(
        "/login", data={"username": username, "password": PASSWORD, "_csrf_token": token}, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    return csrf_field((await client.get("/login")).text)  # logging in gave the session its own token


def rows_by(rows: list[dict[str, Any]], *keys: str) -> dict[tuple[Any, ...], dict[str, Any]]:
    return {tuple(row[key] for key in keys): row for row in rows}


async def in_app(client: Client, function: Callable[..., Awaitable[T]], *args: Any) -> T:
    """Run database code on the app's event loop (PostgreSQL pool connections belong to it)."""
    return await anyio.to_thread.run_sync(client.blocking_portal.call, function, *args)
