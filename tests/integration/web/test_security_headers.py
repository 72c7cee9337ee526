"""Security headers on every kind of answer: pages, static files, API refusals, 405s, and HSTS in secure mode."""

from __future__ import annotations

import pytest

from tests.support.web_session import Client

pytestmark = pytest.mark.anyio

NOSNIFF = "nosniff"


@pytest.mark.parametrize(
    "path", ["/static/app.css", "/static/icon.svg", "/api/v1/organisations", "/login", "/no-such-page"]
)
async def test_every_answer_says_nosniff(client: Client, path: str) -> None:
    response = await client.get(path, headers={"authorization": "Bearer not-a-real-token"})
    assert response.status_code in {200, 401, 404}
    assert response.headers.get("x-content-type-options") == NOSNIFF, response.headers


async def test_an_api_401_without_credentials_says_nosniff(client: Client) -> None:
    response = await client.get("/api/v1/organisations")
    assert response.status_code == 401
    assert response.headers.get("x-content-type-options") == NOSNIFF


@pytest.mark.parametrize(("path", "allowed"), [("/login", {"GET", "HEAD", "POST"}), ("/healthz", {"GET", "HEAD"})])
async def test_405_names_the_allowed_methods(client: Client, path: str, allowed: set[str]) -> None:
    response = await client.delete(path)
    assert response.status_code == 405
    assert {method.strip() for method in response.headers["allow"].split(",")} >= allowed - {"HEAD"}
    assert "DELETE" not in response.headers["allow"]


async def test_405_on_a_static_file_names_the_allowed_methods(client: Client) -> None:
    response = await client.post("/static/app.css")
    assert response.status_code == 405
    allowed = {method.strip() for method in response.headers["allow"].split(",")}
    assert allowed >= {"GET", "HEAD"}
    assert "POST" not in allowed


@pytest.mark.parametrize("settings_overrides", [{"secure_cookies": True}])
@pytest.mark.parametrize("path", ["/login", "/static/app.css", "/no-such-page", "/api/v1/organisations"])
async def test_secure_mode_sends_hsts_on_every_answer(client: Client, path: str) -> None:
    response = await client.get(path)
    assert response.headers.get("strict-transport-security") == "max-age=31536000; includeSubDomains"


async def test_without_secure_mode_no_hsts(client: Client) -> None:
    assert "strict-transport-security" not in (await client.get("/login")).headers
