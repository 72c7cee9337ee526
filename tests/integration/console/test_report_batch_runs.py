"""The console's batch of reports runs inside the web app when it runs jobs itself (as `servicescore serve` does by
default): the jobs page follows it to the end. The console's world has no answers, so every report is skipped."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import anyio
import pytest
from bs4 import Tag
from litestar import Litestar

from servicescore.app import create_app
from servicescore.db.engine import sqlite_path
from servicescore.settings import Settings
from tests.support.console_world import Client, World, log_in, post_form, soup

pytestmark = pytest.mark.anyio
DEADLINE_SECONDS = 60


@pytest.fixture
def app(settings: Settings, migrated_sqlite: Path) -> Litestar:
    path = sqlite_path(settings.database)
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(migrated_sqlite, path)
    return create_app(settings, run_jobs=True)


async def test_a_batch_started_in_the_console_runs_to_the_end(client: Client, world: World) -> None:
    await log_in(client)
    started = await post_form(client, "/console/reports/batch", {"report": "client", "wave": "", "language": "sv"},
                              form_page="/console/reports")  # fmt: skip
    assert started.status_code == 303
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        page = soup(await client.get(started.headers["location"] + "&lang=en"))
        batch = page.find("section", attrs={"data-batch": started.headers["location"].split("=", 1)[1]})
        assert isinstance(batch, Tag)
        if batch["data-done"] == batch["data-total"]:
            break
        assert page.find("meta", attrs={"http-equiv": "refresh"}) is not None  # it reloads itself meanwhile
        assert time.monotonic() < deadline, "timed out"
        await anyio.sleep(0.1)
    assert batch["data-total"] == "2"
    assert "2 of 2 finished" in batch.get_text(" ", strip=True)
    details = [row.select_one("td.detail") for row in page.select("table#jobs tbody tr")]
    assert [cell.get_text(strip=True) for cell in details if cell] == ["Skipped: no answers to report"] * 2
    assert page.find("meta", attrs={"http-equiv": "refresh"}) is None
