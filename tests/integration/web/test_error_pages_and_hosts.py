"""Friendly error pages (never a traceback), the health probe, and allowed hosts."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import pytest
from litestar import Litestar, get

from servicescore.identity import Account, Role
from tests.support.web_session import Client, log_in, soup

pytestmark = pytest.mark.anyio


async def test_404_is_a_friendly_html_page(client: Client) -> None:
    response = await client.get("/no-such-page", headers={"accept-language": "en"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    page = soup(response)
    assert page.h1.get_text(strip=True) == "Page not found"
    assert page.find("a", class_="button")["href"] == "/"
    assert "Traceback" not in response.text


async def test_404_of_an_unknown_path_does_not_offer_log_in_to_a_signed_in_user(
    client: Client, make_user: Callable[..., Awaitable[Account]]
) -> None:
    await make_user("konsult", Role.consultant)
    assert (await log_in(client, "konsult")).status_code == 303
    page = soup(await client.get("/no-such-page"))
    assert page.h1.get_text(strip=True) == "Sidan finns inte"
    assert page.find("a", href="/login") is None
    signed_out = soup(await client.get("/no-such-page", headers={"cookie": ""}))
    assert signed_out.find("a", href="/login") is not None


async def test_500_is_logged_and_shows_no_traceback(
    app: Litestar, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    @get("/explode")
    async def explode() -> str:
        raise RuntimeError("database password is hunter2")

    app.register(explode)
    with caplog.at_level(logging.ERROR, logger="servicescore.web"):
        response = await client.get("/explode")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert soup(response).h1.get_text(strip=True) == "Något gick fel hos oss"
    for secret in ("Traceback", "hunter2", "RuntimeError", "test_error_pages"):
        assert secret not in response.text
    logged = [record for record in caplog.records if record.name == "servicescore.web"]
    assert len(logged) == 1
    assert logged[0].exc_info is not None
    assert "hunter2" in str(logged[0].exc_info[1])


async def test_api_errors_stay_json(client: Client) -> None:
    response = await client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json() == {"status_code": 404, "detail": "Not Found"}


async def test_method_not_allowed_page(client: Client) -> None:
    response = await client.delete("/login")
    assert response.status_code == 405
    assert soup(response).h1.get_text(strip=True) == "Det går inte att göra så här"


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "[::2]:80", ""])
async def test_unknown_host_is_refused(client: Client, host: str) -> None:
    response = await client.get("/login", headers={"host": host})
    assert response.status_code == 400
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:8000", "LOCALHOST:8000"])
async def test_allowed_hosts_match_with_or_without_port(client: Client, host: str) -> None:
    assert (await client.get("/login", headers={"host": host})).status_code == 200


async def test_health_probe_queries_the_database(client: Client) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "queue": "ok", "storage": "ok", "down": []}
    assert "set-cookie" not in response.headers


async def test_pages_carry_security_headers(client: Client) -> None:
    response = await client.get("/login")
    assert response.headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"
    css = await client.get("/static/app.css")
    assert css.status_code == 200
    assert "max-age=3600" in css.headers["cache-control"]
