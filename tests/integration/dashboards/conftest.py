"""The demo world seeded once per test session, an app around it (synchronous test client) and logged-in clients.

Accounts: ``konsult`` (consultant), ``kund`` (client viewer of Zorngården) and ``carl`` (client viewer of Carl
Larssons gård), all with `PASSWORD`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from dashboard_session import PASSWORD, Login, Viewer, demo_settings
from httpx import Cookies
from litestar import Litestar
from litestar.testing import TestClient

from servicescore.accounts.account import Role
from servicescore.accounts.users import create_account
from servicescore.app import create_app
from servicescore.db.engine import write_transaction
from servicescore.db.lifecycle import database
from servicescore.definitions import load_instruments
from servicescore.demo.seed import seed_demo
from servicescore.settings import Settings

ACCOUNTS = (
    ("konsult", Role.consultant, None),
    ("kund", Role.client, "zorngarden"),
    ("carl", Role.client, "carl-larssons-gard"),
)


async def seed_into(folder: Path) -> None:
    """The demo world and the accounts in a new data dir."""
    await _seed(demo_settings(folder))


async def _seed(settings: Settings) -> None:
    instruments = {i.id: i for i in load_instruments(settings.surveys_dir)}
    async with database(settings, apply_migrations=True) as engine:
        await seed_demo(engine, instruments)
        async with write_transaction(engine):
            for username, role, organisation in ACCOUNTS:
                await create_account(username, PASSWORD, role, organisation=organisation)


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dashboards") / "data"
    asyncio.run(seed_into(folder))
    return folder


@pytest.fixture(scope="module")
def settings_overrides() -> dict[str, object]:
    """Override in a module to run its app with other settings (for example a larger minimum group size)."""
    return {}


@pytest.fixture(scope="module")
def demo_app(demo_dir: Path, settings_overrides: dict[str, object]) -> Litestar:
    return create_app(demo_settings(demo_dir, **settings_overrides))


@pytest.fixture(scope="module")
def login(demo_app: Litestar) -> Iterator[Login]:
    """``login("kund").get(path)``: a request with that account's session (logged in once per module)."""
    viewers: dict[str, Viewer] = {}
    with TestClient(app=demo_app, base_url="http://127.0.0.1") as client:

        def log_in(username: str) -> Viewer:
            if username not in viewers:
                client.cookies = Cookies()
                form = BeautifulSoup(client.get("/login").text, "html.parser")
                token = form.find("input", attrs={"name": "_csrf_token"})["value"]  # type: ignore[index]
                data = {"username": username, "password": PASSWORD, "next": "", "_csrf_token": token}
                assert client.post("/login", data=data, follow_redirects=False).status_code == 303
                viewers[username] = Viewer(client, Cookies(client.cookies))
            return viewers[username]

        yield log_in
