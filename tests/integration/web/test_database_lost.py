"""A process whose PostgreSQL server goes away (every connection dropped, new ones refused: a TCP proxy the test
cuts) keeps answering what needs no database and says so: `/healthz` 503 with the database down, static files and
the login form 200, and anything that needs the database a 503 page "the database cannot be reached" in the
visitor's language (JSON for the API), never a 500. When the server is back, the same process logs in and serves
pages again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from litestar import Litestar
from litestar.testing import AsyncTestClient

from servicescore.accounts.users import create_account
from servicescore.app import create_app
from servicescore.db.lifecycle import database
from servicescore.identity import Role
from servicescore.settings import Settings
from tests.support.tcp_proxy import TcpProxy, tcp_proxy

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("isolated_environment")]

PASSWORD = "kaffe och kanelbulle"
Client = AsyncTestClient[Litestar]
UNREACHABLE = {
    "sv": "Databasen går inte att nå just nu",
    "en": "The database cannot be reached right now",
}


@pytest.fixture
def proxy(postgres_url: str) -> Iterator[TcpProxy]:
    parts = urlsplit(postgres_url)
    with tcp_proxy(parts.hostname or "127.0.0.1", parts.port or 5432) as running:
        yield running


def text_of(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def csrf_of(html: str) -> str:
    field = BeautifulSoup(html, "html.parser").find("input", attrs={"name": "_csrf_token"})
    assert field is not None
    return str(field["value"])


async def log_in(client: Client) -> int:
    token = csrf_of((await client.get("/login")).text)
    answer = await client.post(
        "/login", data={"username": "konsult", "password": PASSWORD, "_csrf_token": token}, follow_redirects=False
    )
    return answer.status_code


async def test_a_process_that_loses_its_database_answers_without_it_and_recovers(
    postgres_url: str, proxy: TcpProxy, tmp_path: Path
) -> None:
    async with database(Settings(data_dir=tmp_path / "data", database_url=postgres_url), apply_migrations=True):
        await create_account("konsult", PASSWORD, Role.consultant)
    through_proxy = postgres_url.replace(f":{urlsplit(postgres_url).port}/", f":{proxy.port}/")
    settings = Settings(data_dir=tmp_path / "data", database_url=through_proxy)
    async with AsyncTestClient(app=create_app(settings), base_url="http://127.0.0.1") as client:
        assert await log_in(client) == 303
        assert (await client.get("/console")).status_code == 200
        consultant = dict(client.cookies)
        client.cookies.clear()

        proxy.cut()
        health = await client.get("/healthz")
        assert health.status_code == 503
        assert health.json()["database"] == "down"
        assert (await client.get("/static/app.css")).status_code == 200
        for language in ("sv", "en"):
            form = await client.get("/login", headers={"accept-language": language})
            assert form.status_code == 200
            assert BeautifulSoup(form.text, "html.parser").find("input", attrs={"name": "password"}) is not None
            sent = await client.post(
                "/login",
                data={"username": "konsult", "password": PASSWORD, "_csrf_token": csrf_of(form.text)},
                headers={"accept-language": language},
            )
            assert sent.status_code == 503
            assert UNREACHABLE[language] in text_of(sent.text)
            assert sent.headers["retry-after"].isdigit()
        client.cookies.update(consultant)
        page = await client.get("/console", headers={"accept-language": "en"})
        assert page.status_code == 503  # the session is looked up in the database
        assert UNREACHABLE["en"] in text_of(page.text)
        api = await client.get("/api/v1/organisations")
        assert api.status_code == 503
        assert api.json() == {"status_code": 503, "detail": "the database cannot be reached"}

        proxy.restore()
        assert (await client.get("/healthz")).status_code == 200
        assert (await client.get("/console")).status_code == 200  # the session is still there
        client.cookies.clear()
        assert await log_in(client) == 303
