"""Role guards on the entry pages, the login redirect, and refusing open redirects in ``next``."""

from __future__ import annotations

import pytest

from servicescore.identity import Role
from tests.support.web_session import Client, log_in, soup

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("username", "role", "own_page", "heading"),
    [
        ("konsult", Role.consultant, "/console", "Konsolen"),
        ("shopper", Role.shopper, "/visits", "Dina besök"),
        ("kund", Role.client, "/portal", "Kundportalen"),
    ],
)
async def test_each_role_reaches_its_page_and_no_other(
    client: Client, make_user, username: str, role: Role, *, own_page: str, heading: str
) -> None:
    await make_user(username, role, organisation="zorngarden" if role is Role.client else None, display_name="Alva")
    assert (await log_in(client, username)).headers["location"] == own_page
    page = soup(await client.get(own_page))
    assert page.h1.get_text(strip=True) == heading
    assert page.h2.get_text(strip=True) == "Hej Alva!"
    for other in {"/console", "/visits", "/portal"} - {own_page}:
        response = await client.get(other)
        assert response.status_code == 403
        assert soup(response).h1.get_text(strip=True) == "Du har inte tillgång till sidan"
    # The home page leads to the same place.
    home = soup(await client.get("/"))
    assert home.find("a", class_="button")["href"] == own_page


async def test_shopper_on_the_console_gets_403(client: Client, make_user) -> None:
    await make_user("shopper", Role.shopper)
    await log_in(client, "shopper")
    response = await client.get("/console")
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/console", "/visits", "/portal?wave=2026-Q3"])
async def test_anonymous_visitors_are_sent_to_log_in_and_come_back(client: Client, make_user, path: str) -> None:
    response = await client.get(path, follow_redirects=False)
    assert response.status_code == 303
    target = response.headers["location"]
    assert target.startswith("/login?next=%2F")
    # The login form carries the way back, and logging in follows it.
    form = soup(await client.get(target))
    assert form.find("input", attrs={"name": "next"})["value"] == path
    await make_user("konsult", Role.consultant)
    assert (await log_in(client, "konsult", next_path=path)).headers["location"] == path


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/steal",
        "https://evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "/\t/evil.example",
        "evil.example",
        "",
    ],
)
async def test_next_never_leaves_the_site(client: Client, make_user, target: str) -> None:
    await make_user("konsult", Role.consultant)
    response = await log_in(client, "konsult", next_path=target)
    assert response.status_code == 303
    assert response.headers["location"] == "/console"
    form = soup(await client.get("/login", params={"next": target}))
    assert form.find("input", attrs={"name": "next"}) is None
