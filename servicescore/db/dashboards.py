"""What the dashboard pages ask the database before reading the snapshot: whose organisation, and which exist."""

from __future__ import annotations

from servicescore.db.tables import Organisation


async def organisation_of(organisation_id: int | None) -> tuple[str, str] | None:
    """The slug and name of a client viewer's organisation (None without one)."""
    if organisation_id is None:
        return None
    key = Organisation._meta.primary_key
    query = Organisation.select(Organisation.slug, Organisation.name).where(key == organisation_id)
    row = await query.first().run()
    return (str(row["slug"]), str(row["name"])) if row else None


async def organisation_names() -> list[tuple[str, str]]:
    """Every organisation as (slug, name), by name: what a consultant chooses from."""
    rows = await Organisation.select(Organisation.slug, Organisation.name).order_by(Organisation.name).run()
    return [(str(row["slug"]), str(row["name"])) for row in rows]
