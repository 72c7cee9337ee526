"""What an export may be about: organisations and units by id, as the exports pages offer and check them."""

from __future__ import annotations

from dataclasses import dataclass

from servicescore.db.tables import Organisation, Unit, Wave


@dataclass(frozen=True, slots=True)
class OrganisationRef:
    id: int
    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class UnitRef:
    id: int
    slug: str
    name: str
    organisation_id: int


async def organisations(only: int | None = None) -> list[OrganisationRef]:
    """Every organisation by name, or only the one with id `only` (an empty list when there is none)."""
    query = Organisation.select(Organisation._meta.primary_key, Organisation.slug, Organisation.name)
    if only is not None:
        query = query.where(Organisation._meta.primary_key == only)
    rows = await query.order_by(Organisation.name).run()
    return [OrganisationRef(int(r["id"]), str(r["slug"]), str(r["name"])) for r in rows]


async def organisation(organisation_id: int) -> OrganisationRef | None:
    found = await organisations(only=organisation_id)
    return found[0] if found else None


async def units(organisation_id: int | None = None) -> list[UnitRef]:
    """Units of one organisation, or of every organisation when None, by organisation and name."""
    query = Unit.select(Unit._meta.primary_key, Unit.slug, Unit.name, Unit.organisation)
    if organisation_id is not None:
        query = query.where(Unit.organisation == organisation_id)
    rows = await query.order_by(Unit.organisation).order_by(Unit.name).run()
    return [UnitRef(int(r["id"]), str(r["slug"]), str(r["name"]), int(r["organisation"])) for r in rows]


async def wave_keys() -> list[str]:
    """Every wave's key, oldest first (keys sort chronologically)."""
    rows = await Wave.select(Wave.key).order_by(Wave.key).run()
    return [str(r["key"]) for r in rows]
