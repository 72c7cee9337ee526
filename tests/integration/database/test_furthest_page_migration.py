"""Migration m0004 adds ``response.furthest_page`` to a database that already holds responses."""

from __future__ import annotations

import contextlib
import io
import uuid

import pytest
from piccolo.apps.migrations.commands.forwards import ForwardsMigrationManager

from servicescore.db.engine import open_database
from servicescore.db.migrate import APP_NAME, migrate, pending_migrations
from servicescore.db.tables import Response
from tests.support.response_rows import response_rows

pytestmark = pytest.mark.anyio

BEFORE_FURTHEST_PAGE = "2026-11-22T16:55:03:747774"  # m0003, the last migration without the column


async def test_existing_responses_get_no_known_furthest_page(database_url: str) -> None:
    await open_database(database_url)
    with contextlib.redirect_stdout(io.StringIO()):
        done = await ForwardsMigrationManager(app_name=APP_NAME, migration_id=BEFORE_FURTHEST_PAGE).run()
    assert done.success, done.message
    assert len(await pending_migrations()) >= 1
    rows = await response_rows()
    earlier = str(uuid.uuid4())
    await Response.raw(  # the table class already has the column, so the row is written as m0003's schema was
        "INSERT INTO response (id, instrument_version, wave, organisation, unit, status)"
        " VALUES ({}, {}, {}, {}, {}, {})",
        earlier, rows.version.id, rows.wave.id, rows.organisation.id, rows.unit.id, "partial",
    )  # fmt: skip

    assert "2026-11-22T20:20:00:000000" in await migrate()
    stored = await Response.select(Response.id, Response.furthest_page).run()
    assert [(str(r["id"]), r["furthest_page"]) for r in stored] == [(earlier, -1)]  # -1: resume after the last answer
