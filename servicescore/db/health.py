"""The cheapest query that proves the database answers."""

from __future__ import annotations

from servicescore.db.tables import User


async def ping() -> None:
    await User._meta.db.run_ddl("SELECT 1")
