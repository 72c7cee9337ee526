"""Collections published before their days became Stockholm's days (m0020): bounds stored as UTC days move to the same
days in Stockholm, so the pages, which show local days, show the days the consultant typed; bounds stored since
are left alone."""

from __future__ import annotations

import contextlib
import io
from datetime import UTC, datetime

import pytest
from piccolo.apps.migrations.commands.forwards import ForwardsMigrationManager

from servicescore.db.engine import open_database
from servicescore.db.migrate import APP_NAME, migrate
from servicescore.db.tables import Collection, Instrument, InstrumentVersion, Wave
from servicescore.formats import local

pytestmark = pytest.mark.anyio

BEFORE_LOCAL_DAYS = "2026-12-06T22:41:00:000000"  # m0016; m0020 moves the bounds
OLD_OCTOBER = (datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 10, 31, 23, 59, 59, 999999, tzinfo=UTC))
OLD_JANUARY = (datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 1, 31, 23, 59, 59, 999999, tzinfo=UTC))
NEW_OCTOBER = (datetime(2026, 9, 30, 22, tzinfo=UTC), datetime(2026, 10, 31, 22, 59, 59, 999999, tzinfo=UTC))


async def test_collections_stored_as_utc_days_keep_the_days_typed(database_url: str) -> None:
    await open_database(database_url)
    with contextlib.redirect_stdout(io.StringIO()):
        done = await ForwardsMigrationManager(app_name=APP_NAME, migration_id=BEFORE_LOCAL_DAYS).run()
    assert done.success, done.message
    instrument = Instrument(key="visitor-survey", kind="survey", current_version="1")
    await instrument.save().run()
    version = InstrumentVersion(instrument=instrument.id, version="1", definition="{}")
    await version.save().run()
    wave = Wave(key="2026-Q4")
    await wave.save().run()
    ids = []
    for opens, closes in (OLD_OCTOBER, OLD_JANUARY, NEW_OCTOBER):
        row = Collection(instrument_version=version.id, wave=wave.id, opens_at=opens, closes_at=closes)
        await row.save().run()
        ids.append(row.id)

    assert "2026-12-06T22:45:00:000000" in await migrate()

    stored = {r["id"]: (r["opens_at"], r["closes_at"]) for r in await Collection.select().run()}
    assert stored[ids[0]] == NEW_OCTOBER  # CEST on 1 October, CET on 31 October
    assert stored[ids[1]] == (
        datetime(2026, 12, 31, 23, tzinfo=UTC),
        datetime(2027, 1, 31, 22, 59, 59, 999999, tzinfo=UTC),
    )
    assert stored[ids[2]] == NEW_OCTOBER
    assert [(local(o).date().isoformat(), local(c).date().isoformat()) for o, c in (stored[i] for i in ids)] == [
        ("2026-10-01", "2026-10-31"), ("2027-01-01", "2027-01-31"), ("2026-10-01", "2026-10-31"),
    ]  # fmt: skip
