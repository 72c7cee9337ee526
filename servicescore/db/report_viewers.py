"""Which waves a report can be asked for: those with counted answers."""

from __future__ import annotations

from servicescore.db.keys import via
from servicescore.db.snapshot_reads import COUNTED_STATUSES
from servicescore.db.tables import Response


async def waves_with_answers(organisation_slug: str | None = None) -> list[str]:
    """Wave keys with counted responses (of one organisation when given), newest first."""
    query = (
        Response.select(Response.wave.key.as_alias("wave"))
        .where(Response.status.is_in(list(COUNTED_STATUSES)))
        .distinct()
    )
    if organisation_slug is not None:
        query = query.where(Response.organisation.slug == organisation_slug)
    rows = await query.run()
    return sorted({str(r["wave"]) for r in rows}, reverse=True)


async def answered_by_wave(organisation_slug: str) -> dict[str, set[str]]:
    """Wave key → the ids of the instruments one organisation has counted responses to in that wave."""
    rows = await (
        Response.select(
            Response.wave.key.as_alias("wave"), via(Response.instrument_version.instrument).key.as_alias("instrument")
        )
        .where(Response.status.is_in(list(COUNTED_STATUSES)) & (Response.organisation.slug == organisation_slug))
        .distinct()
        .run()
    )
    answered: dict[str, set[str]] = {}
    for row in rows:
        answered.setdefault(str(row["wave"]), set()).add(str(row["instrument"]))
    return answered
