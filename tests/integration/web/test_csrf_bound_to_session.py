"""CSRF tokens of a logged-in visitor are bound to their session: a cookie and token minted for another visitor and
planted in the browser are refused; the visitor's own pages keep working, also after the CSRF cookie was lost, and
anonymous forms keep the plain double submit."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from servicescore.app import CSRF_COOKIE
from servicescore.db.tables import Session
from servicescore.identity import Role
from tests.support.web_session import PASSWORD, Client, csrf_token, fetch_csrf, log_in, soup

pytestmark = pytest.mark.anyio


def plant(client: Client, value: str) -> None:
    client.cookies.delete(CSRF_COOKIE)
    client.cookies.set(CSRF_COOKIE, value, domain="127.0.0.1")


async def minted_for_a_stranger(app: Litestar) -> tuple[str, str]:
    """The cookie and form token an anonymous visitor (the attacker) gets from the login page."""
    async with AsyncTestClient(app=app, base_url="http://127.0.0.1") as stranger:
        response = await stranger.get("/login")
        return response.cookies[CSRF_COOKIE], csrf_token(response.text)


async def test_a_planted_cookie_and_token_of_another_visitor_are_refused(
    app: Litestar, client: Client, make_user
) -> None:
    await make_user("konsult", Role.consultant)
    assert (await log_in(client, "konsult")).status_code == 303
    cookie, token = await minted_for_a_stranger(app)
    plant(client, cookie)
    forged = await client.post("/logout", data={"_csrf_token": token}, follow_redirects=False)
    assert forged.status_code == 403
    assert soup(forged).h1.get_text(strip=True) == "Formuläret har gått ut"
    assert await Session.count().run() == 1, "the forged post changed nothing"


async def test_a_planted_pair_is_refused_on_the_api_too(app: Litestar, client: Client, make_user) -> None:
    await make_user("shopper", Role.shopper)
    assert (await log_in(client, "shopper")).status_code == 303
    cookie, token = await minted_for_a_stranger(app)
    plant(client, cookie)
    forged = await client.put(
        "/api/v1/visits/0b6f8f5e-8a5c-4d4e-9d8e-3f1c2a4b5c6d", json={}, headers={"x-csrftoken": token}
    )
    assert forged.status_code == 403
    assert forged.json()["detail"] == "CSRF token verification failed"


async def test_the_visitors_own_pages_carry_a_token_that_works(client: Client, make_user) -> None:
    await make_user("konsult", Role.consultant)
    anonymous = await fetch_csrf(client, "/login")
    assert (await log_in(client, "konsult")).status_code == 303
    token = await fetch_csrf(client, "/console")
    assert token != anonymous, "logging in gives the session its own token"
    assert await fetch_csrf(client, "/console/organisations") == token
    # The browser lost its CSRF cookie (it lives for the browser session; the login cookie for 12 hours).
    client.cookies.delete(CSRF_COOKIE)
    again = await client.get("/console")
    assert again.cookies[CSRF_COOKIE] == token
    assert csrf_token(again.text) == token
    response = await client.post("/logout", data={"_csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert await Session.count().run() == 0


async def test_anonymous_forms_keep_the_double_submit(client: Client, make_user) -> None:
    await make_user("konsult", Role.consultant)
    token = await fetch_csrf(client, "/login")
    response = await client.post(
        "/login", data={"username": "konsult", "password": PASSWORD, "_csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303
