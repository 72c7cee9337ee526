"""Talking to the dashboards like a browser: one account's session, parsed pages, figures by name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bs4 import BeautifulSoup
from httpx import Cookies, Response
from litestar import Litestar
from litestar.testing import TestClient

from servicescore.settings import Settings

PASSWORD = "correct horse battery"


def demo_settings(folder: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {"data_dir": folder, "database_url": f"sqlite:///{folder / 'servicescore.sqlite3'}"}
    return Settings(**{**values, **overrides})  # type: ignore[arg-type]


class Viewer:
    """One account's session on the module's one test client (one client, so the app's lifespan runs once)."""

    def __init__(self, client: TestClient[Litestar], cookies: Cookies) -> None:
        self.client, self.cookies = client, cookies

    def get(self, path: str) -> Response:
        self.client.cookies = Cookies(self.cookies)
        return self.client.get(path)


Login = Callable[[str], Viewer]


def soup(response: Response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def figure(page: BeautifulSoup, name: str) -> str | None:
    """The text of the element marked ``data-figure=name`` (None when the page shows no such figure)."""
    found = page.find(attrs={"data-figure": name})
    return found.get_text(strip=True) if found else None
