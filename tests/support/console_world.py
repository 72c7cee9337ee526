"""Talking to the console like a browser: log in as the consultant, read CSRF tokens and forms, query the database
in the app's event loop. The console's world: a consultant, a shopper and a client viewer, Zorngården with two
units, Carl Larssons gård, a peer group and a wave."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import anyio
from bs4 import BeautifulSoup, Tag
from httpx import Response
from litestar import Litestar
from litestar.testing import AsyncTestClient

from servicescore.accounts.users import create_account
from servicescore.db.tables import Organisation, PeerGroup, Unit, Wave
from servicescore.identity import Role

PASSWORD = "correct horse battery"
Client = AsyncTestClient[Litestar]
T = TypeVar("T")


def soup(response: Response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def csrf_of(response: Response) -> str:
    field = soup(response).find("input", attrs={"name": "_csrf_token"})
    assert isinstance(field, Tag), "the page has no CSRF field"
    return str(field["value"])


async def log_in(client: Client, username: str = "konsult") -> None:
    token = csrf_of(await client.get("/login"))
    answer = await client.post("/login", data={"username": username, "password": PASSWORD, "_csrf_token": token},
                               follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303, answer.text


async def post_form(
    client: Client, path: str, data: dict[str, Any], files: dict[str, tuple[str, bytes, str]] | None = None,
    *, form_page: str | None = None,
) -> Response:  # fmt: skip
    """POST like the browser does: the CSRF token from the page the form is on (default: the same path)."""
    token = csrf_of(await client.get(form_page or path))
    return await client.post(path, data={**data, "_csrf_token": token}, files=files, follow_redirects=False)


def field_error(response: Response, prefix: str, name: str) -> str:
    """The error shown next to a field, checking the field points at it (aria-describedby)."""
    page = soup(response)
    error = page.find(id=f"{prefix}-{name}-error")
    assert isinstance(error, Tag), f"no error next to {prefix}-{name}: {response.text[:2000]}"
    field = page.find(id=f"{prefix}-{name}")
    if isinstance(field, Tag):
        assert f"{prefix}-{name}-error" in str(field.get("aria-describedby", ""))
        assert field.get("aria-invalid") == "true"
    return error.get_text(" ", strip=True)


def field_value(response: Response, prefix: str, name: str) -> str:
    field = soup(response).find(id=f"{prefix}-{name}")
    assert isinstance(field, Tag)
    if field.name == "select":
        chosen = field.find("option", selected=True)
        return str(chosen["value"]) if isinstance(chosen, Tag) else ""
    return str(field.get("value", ""))


async def in_app(client: Client, function: Callable[..., Awaitable[T]], *args: Any) -> T:
    """Database code on the app's event loop (PostgreSQL pool connections belong to it)."""
    return await anyio.to_thread.run_sync(client.blocking_portal.call, function, *args)


@dataclass(frozen=True)
class World:
    organisation_id: int
    other_organisation_id: int
    unit_ids: tuple[int, int]
    peer_group_id: int
    wave_id: int


async def make_world() -> World:
    group = PeerGroup(slug="kulturarv", name="Kulturarv", industry="Museer")
    await group.save()
    zorn = Organisation(slug="zorngarden", name="Zorngården", peer_group=group.id)
    await zorn.save()
    larsson = Organisation(slug="carl-larssons-gard", name="Carl Larssons gård", peer_group=group.id)
    await larsson.save()
    museum = Unit(organisation=zorn.id, slug="museet", name="Zornmuseet", latitude=61.0047, longitude=14.5374)
    await museum.save()
    farm = Unit(organisation=zorn.id, slug="gammelgarden", name="Gammelgården")
    await farm.save()
    await Unit(organisation=larsson.id, slug="lilla-hyttnas", name="Lilla Hyttnäs").save()
    wave = Wave(key="2026-Q4")
    await wave.save()
    await create_account("konsult", PASSWORD, Role.consultant)
    await create_account("shopper", PASSWORD, Role.shopper, display_name="Sam Lind")
    await create_account("kund", PASSWORD, Role.client, organisation="zorngarden")
    return World(zorn.id, larsson.id, (museum.id, farm.id), group.id, wave.id)
