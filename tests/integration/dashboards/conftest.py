"""The demo world seeded once per test session, an app around it (synchronous test client) and logged-in clients.

Accounts: ``konsult`` (consultant), ``kund`` (client viewer of Zorngården) and ``carl`` (client viewer of Carl
Larssons gård), all with `PASSWORD`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from httpx import Cookies
from litestar import Litestar
from litestar.testing import TestClient

from servicescore.app import create_app
from tests.support.dashboard_session import PASSWORD, Login, Viewer, demo_settings, seed_into


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dashboards") / "data"
    seed_into(tmp_path_factory, folder)
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
