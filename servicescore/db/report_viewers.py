"""Who may see which organisation's reports: a client viewer's organisation, by the key reports use."""

from __future__ import annotations

from servicescore.db.snapshot_reads import COUNTED_STATUSES
from servicescore.db.tables import Organisation, Response

organisation_key = Organisation._meta.primary_key


async def organisation_slug(organisation_id: int | None) -> str | None:
    """The slug of a client viewer's organisation (None for none, or one since removed)."""
    if organisation_id is None:
        return None
    row = await Organisation.select(Organisation.slug).where(organisation_key == organisation_id).first().run()
    return str(row["slug"]) if row else None


async def organisations() -> list[tuple[str, str]]:
    """Every organisation as (slug, name), by name: what a consultant may report on."""
    rows = await Organisation.select(Organisation.slug, Organisation.name).order_by(Organisation.name).run()
    return [(str(r["slug"]), str(r["name"])) for r in rows]


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
