"""A collection's days are Stockholm's days: its bounds move from UTC days to local days.

Until now the publish form and `collections open --opens/--closes DATE` stored a typed day as a UTC day (opening
at 00:00:00 UTC, closing at 23:59:59.999999 UTC), while every page now shows a collection's moments by their day in
Stockholm, so such a collection would show its last day one day late and open an hour or two late. Each bound that
is exactly a UTC day's first or last instant becomes the same day's first or last instant in Stockholm
(`formats.day_start` / `day_end`). A bound stored since is a Stockholm midnight (22:00 or 23:00 UTC) and is left
as it is, so running this twice changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import Timestamptz
from piccolo.engine import engine_finder
from piccolo.table import Table

from servicescore.formats import day_end, day_start

ID = "2026-12-06T22:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "collection local days"


class Collection(Table, tablename="collection"):
    """The columns this migration reads, as they are at this migration (the app's table may change later)."""

    opens_at = Timestamptz()
    closes_at = Timestamptz()


def local_bounds(opens: datetime, closes: datetime) -> tuple[datetime, datetime]:
    opens, closes = opens.astimezone(UTC), closes.astimezone(UTC)
    if opens.timetz() == time.min.replace(tzinfo=UTC):
        opens = day_start(opens.date())
    if closes.timetz() == time.max.replace(tzinfo=UTC):
        closes = day_end(closes.date())
    return opens, closes


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="servicescore", description=DESCRIPTION)

    async def to_local_days() -> None:
        Collection._meta.db = engine_finder()  # the engine in force now, not the one at import
        for row in await Collection.select(Collection.id, Collection.opens_at, Collection.closes_at).run():
            opens, closes = local_bounds(row["opens_at"], row["closes_at"])
            if (opens, closes) != (row["opens_at"], row["closes_at"]):
                changed = {Collection.opens_at: opens, Collection.closes_at: closes}
                await Collection.update(changed).where(Collection.id == row["id"]).run()

    manager.add_raw(to_local_days)
    return manager
