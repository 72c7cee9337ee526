"""Talking to the dashboards like a browser: one account's session, parsed pages, figures by name."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from bs4 import BeautifulSoup
from httpx import Cookies, Response
from litestar import Litestar
from litestar.testing import TestClient

from servicescore.accounts.users import create_account
from servicescore.db.engine import write_transaction
from servicescore.db.lifecycle import database
from servicescore.identity import Role
from servicescore.scoring import scores
from servicescore.settings import Settings
from servicescore.snapshot import catalogue, load_answers
from tests.support.demo_world import copy_demo_world

PASSWORD = "correct horse battery"
WAVE = "2026-Q3"  # the demo's latest wave


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


def scored_index(demo_dir: Path, organisation: str, wave: str = WAVE) -> float:
    """The scoring core's overall index of the visitor survey, straight from the snapshot."""
    settings = demo_settings(demo_dir)
    table = scores(
        load_answers(settings, "visitor-survey"), catalogue(settings, ["visitor-survey"]), level="overall"
    ).collect()
    row = table.filter((pl.col("organisation") == organisation) & (pl.col("wave") == wave))
    assert row.height == 1
    return float(row.item(0, "index"))


ACCOUNTS = (
    ("konsult", Role.consultant, None),
    ("kund", Role.client, "zorngarden"),
    ("carl", Role.client, "carl-larssons-gard"),
)


def seed_into(tmp_path_factory: pytest.TempPathFactory, folder: Path) -> None:
    """The demo world and the accounts in a new data dir."""
    copy_demo_world(tmp_path_factory, folder)
    asyncio.run(_add_accounts(demo_settings(folder)))


async def _add_accounts(settings: Settings) -> None:
    async with database(settings) as engine, write_transaction(engine):
        for username, role, organisation in ACCOUNTS:
            await create_account(username, PASSWORD, role, organisation=organisation)
