"""What the JSON API lists: organisations with their units, and collections with their units' public links.

Every query takes the organisation a client viewer is limited to (None for a consultant), so the tenant rule is
part of the query, not a filter applied afterwards.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from servicescore.db.tables import Collection, CollectionLink, Organisation, Unit

organisation_key = Organisation._meta.primary_key
unit_key = Unit._meta.primary_key
collection_key = Collection._meta.primary_key


@dataclass(frozen=True, slots=True)
class UnitRow:
    id: int
    slug: str
    name: str
    kind: str


@dataclass(frozen=True, slots=True)
class OrganisationRow:
    id: int
    slug: str
    name: str
    peer_group: str | None
    peer_group_name: str | None
    units: list[UnitRow] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class LinkRow:
    organisation: str
    unit_id: int
    unit: str
    unit_name: str
    token: str


@dataclass(frozen=True, slots=True)
class CollectionRow:
    id: int
    title: str
    instrument: str
    wave: str
    opens_at: datetime
    closes_at: datetime
    links: list[LinkRow]


async def organisations(only: int | None) -> list[OrganisationRow]:
    """Every organisation (or only ``only``) with its units, by name."""
    query = Organisation.select(
        organisation_key.as_alias("id"),
        Organisation.slug,
        Organisation.name,
        Organisation.peer_group.slug.as_alias("peer_group"),
        Organisation.peer_group.name.as_alias("peer_group_name"),
    ).order_by(Organisation.name)
    if only is not None:
        query = query.where(organisation_key == only)
    rows = await query.run()
    units: dict[int, list[UnitRow]] = defaultdict(list)
    if rows:
        unit_rows = await (
            Unit.select(unit_key.as_alias("id"), Unit.organisation, Unit.slug, Unit.name, Unit.kind)
            .where(Unit.organisation.is_in([row["id"] for row in rows]))
            .order_by(Unit.slug)
            .run()
        )
        for unit in unit_rows:
            units[unit["organisation"]].append(UnitRow(unit["id"], unit["slug"], unit["name"], unit["kind"]))
    return [OrganisationRow(**row, units=units[row["id"]]) for row in rows]


async def organisation_id(slug: str) -> int | None:
    row = await Organisation.select(organisation_key.as_alias("id")).where(Organisation.slug == slug).first().run()
    return None if row is None else int(row["id"])


async def collections(only: int | None) -> list[CollectionRow]:
    """Every collection with its units' links (for a client viewer: only collections that include their
    organisation, with only its units), newest first."""
    link: Any = CollectionLink  # joins through foreign keys that the type checker cannot follow
    query = link.select(
        link.collection.id.as_alias("collection_id"),
        link.collection.title.as_alias("title"),
        link.collection.instrument_version.instrument.key.as_alias("instrument"),
        link.collection.wave.key.as_alias("wave"),
        link.collection.opens_at.as_alias("opens_at"),
        link.collection.closes_at.as_alias("closes_at"),
        link.unit.organisation.slug.as_alias("organisation"),
        link.unit.id.as_alias("unit_id"),
        link.unit.slug.as_alias("unit"),
        link.unit.name.as_alias("unit_name"),
        link.token.as_alias("token"),
    )
    if only is not None:
        query = query.where(link.unit.organisation.id == only)
    rows = (
        await query.order_by(link.collection.id, ascending=False)
        .order_by(link.unit.organisation.slug)
        .order_by(link.unit.slug)
    )
    found: dict[int, CollectionRow] = {}
    for row in rows:
        collection = found.get(row["collection_id"])
        if collection is None:
            collection = found[row["collection_id"]] = CollectionRow(
                row["collection_id"], row["title"], row["instrument"], row["wave"], row["opens_at"],
                row["closes_at"], [],
            )  # fmt: skip
        collection.links.append(LinkRow(row["organisation"], row["unit_id"], row["unit"], row["unit_name"],
                                        row["token"]))  # fmt: skip
    return list(found.values())
