"""`/healthz` names what is down (database, queue, storage) with 503, and tells nothing else; a process that lost its
database still serves static files and says so."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from servicescore.app import create_app
from servicescore.db.lifecycle import database
from servicescore.settings import Settings
from tests.support.postgres import POSTGRES_URL
from tests.support.redis_server import free_port, redis_server

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("isolated_environment")]

ALL_UP = {"status": "ok", "database": "ok", "queue": "ok", "storage": "ok", "down": []}


def health_of(**down: str) -> dict[str, object]:
    return {**ALL_UP, **dict.fromkeys(down, "down"), "status": "error", "down": sorted(down)}


async def probe(settings: Settings) -> tuple[int, dict[str, object], str]:
    async with AsyncTestClient(app=create_app(settings), base_url="http://127.0.0.1") as client:
        response = await client.get("/healthz")
    return response.status_code, response.json(), response.text


async def test_a_queue_nobody_answers_is_named_without_its_password(tmp_path: Path) -> None:
    password = "queue-" + secrets.token_hex(8)
    dead = f"redis://:{password}@127.0.0.1:{free_port()}/0"
    status, answer, text = await probe(Settings(data_dir=tmp_path / "data", queue_url=dead))
    assert (status, answer) == (503, health_of(queue="down"))
    assert password not in text
    assert "127.0.0.1" not in text


async def test_a_redis_queue_that_stops_is_reported_down(tmp_path: Path, requires: Callable[..., None]) -> None:
    requires("redis")
    with redis_server(tmp_path / "redis") as url:
        settings = Settings(data_dir=tmp_path / "data", queue_url=url)
        assert (await probe(settings))[:2] == (200, ALL_UP)
    assert (await probe(settings))[:2] == (503, health_of(queue="down"))


async def test_storage_that_takes_no_file_is_reported_down(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    settings = Settings(
        data_dir=tmp_path / "a-file" / "data",
        database_url=f"sqlite:///{tmp_path / 'db' / 'servicescore.sqlite3'}",
        queue_url=f"sqlite:///{tmp_path / 'queue' / 'queue.sqlite3'}",
    )
    assert (await probe(settings))[:2] == (503, health_of(storage="down"))


async def test_a_process_that_loses_its_database_serves_static_files_and_says_so(
    postgres_url: str, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path / "data", database_url=postgres_url)
    async with database(settings, apply_migrations=True):
        pass
    async with AsyncTestClient(app=create_app(settings), base_url="http://127.0.0.1") as client:
        before = await client.get("/healthz")
        assert (before.status_code, before.json()) == (200, ALL_UP)
        connection = await asyncpg.connect(POSTGRES_URL)
        try:  # the server ends every session of the database and it is gone
            await connection.execute(f'DROP DATABASE "{postgres_url.rsplit("/", 1)[1]}" WITH (FORCE)')
        finally:
            await connection.close()
        after = await client.get("/healthz")
        assert (after.status_code, after.json()) == (503, health_of(database="down"))
        css = await client.get("/static/app.css")
        assert css.status_code == 200
        assert "body" in css.text
