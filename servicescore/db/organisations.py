"""Organisations, their units, peer groups and waves as the console edits them.

Every change runs in one write transaction with its checks (a taken slug, an unknown peer group) and its audit
event, so a refused change leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from piccolo.columns import Column
from piccolo.engine.base import Engine
from piccolo.query.functions.aggregate import Count

from servicescore.db.audit import record_event
from servicescore.db.engine import write_transaction
from servicescore.db.tables import (
    Assignment,
    CalibrationExercise,
    Collection,
    Organisation,
    PeerGroup,
    Response,
    Unit,
    Wave,
)

# Piccolo adds the ``id`` primary keys at class creation, where the type checker cannot see them.
organisation_key = Organisation._meta.primary_key
unit_key = Unit._meta.primary_key
peer_group_key = PeerGroup._meta.primary_key
wave_key = Wave._meta.primary_key

UNIT_KINDS = ("site", "call_centre", "team", "channel")


class Taken(ValueError):
    """A unique value is in use already; ``field`` names the form field at fault."""

    def __init__(self, field: str) -> None:
        super().__init__(f"{field} is taken")
        self.field = field


class Missing(LookupError):
    """An id that names nothing (or a unit of another organisation): pages answer 404."""


class InUse(ValueError):
    """A peer group or wave that others still name cannot be deleted; ``uses`` counts what names it, by kind
    (``organisations``, ``responses``, ``collections``, ``assignments``, ``calibration``)."""

    def __init__(self, uses: dict[str, int]) -> None:
        super().__init__(", ".join(f"{n} {kind}" for kind, n in uses.items()))
        self.uses = uses


@dataclass(frozen=True, slots=True)
class OrganisationView:
    id: int
    slug: str
    name: str
    peer_group_id: int | None
    peer_group: str
    brand_colour: str
    logo_sha256: str
    brand: str = ""  # a folder of reports/brands/ whose logo the reports carry when none is uploaded
    units: int = 0


@dataclass(frozen=True, slots=True)
class UnitView:
    id: int
    organisation_id: int
    slug: str
    name: str
    kind: str
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True, slots=True)
class PeerGroupView:
    id: int
    slug: str
    name: str
    industry: str
    organisations: int
    name_en: str = ""  # in English reports; empty: the name


@dataclass(frozen=True, slots=True)
class WaveView:
    id: int
    key: str
    starts_on: datetime | None
    ends_on: datetime | None


_ORGANISATION_COLUMNS = (
    organisation_key,
    Organisation.slug,
    Organisation.name,
    Organisation.peer_group.as_alias("peer_group_id"),
    Organisation.peer_group.name.as_alias("peer_group"),
    Organisation.brand_colour,
    Organisation.logo_sha256,
    Organisation.brand,
)


def _organisation(row: dict[str, Any], units: int = 0) -> OrganisationView:
    return OrganisationView(**{**row, "peer_group": row["peer_group"] or ""}, units=units)


async def organisations() -> list[OrganisationView]:
    rows = await Organisation.select(*_ORGANISATION_COLUMNS).order_by(Organisation.name)
    counts = await Unit.select(Unit.organisation, Count(unit_key).as_alias("n")).group_by(Unit.organisation)
    by_id = {row["organisation"]: row["n"] for row in counts}
    return [_organisation(row, by_id.get(row["id"], 0)) for row in rows]


async def organisation(organisation_id: int) -> OrganisationView | None:
    row = await Organisation.select(*_ORGANISATION_COLUMNS).where(organisation_key == organisation_id).first()
    return None if row is None else _organisation(row)


async def slug_and_name(organisation_id: int | None) -> tuple[str, str] | None:
    """The slug and name of an organisation, e.g. a client viewer's (None without one, or one since removed)."""
    if organisation_id is None:
        return None
    query = Organisation.select(Organisation.slug, Organisation.name).where(organisation_key == organisation_id)
    row = await query.first()
    return (str(row["slug"]), str(row["name"])) if row else None


async def names() -> list[tuple[str, str]]:
    """Every organisation as (slug, name), by name: what a consultant chooses from."""
    rows = await Organisation.select(Organisation.slug, Organisation.name).order_by(Organisation.name)
    return [(str(row["slug"]), str(row["name"])) for row in rows]


async def units_of(organisation_id: int) -> list[UnitView]:
    rows = await (
        Unit.select(
            unit_key,
            Unit.organisation.as_alias("organisation_id"),
            Unit.slug,
            Unit.name,
            Unit.kind,
            Unit.latitude,
            Unit.longitude,
        )
        .where(Unit.organisation == organisation_id)
        .order_by(Unit.name)
    )
    return [UnitView(**row) for row in rows]


async def unit(organisation_id: int, unit_id: int) -> UnitView | None:
    """The unit, only if it belongs to that organisation."""
    return next((found for found in await units_of(organisation_id) if found.id == unit_id), None)


async def peer_groups() -> list[PeerGroupView]:
    rows = await PeerGroup.select(
        peer_group_key, PeerGroup.slug, PeerGroup.name, PeerGroup.industry, PeerGroup.name_en
    ).order_by(PeerGroup.name)
    counts = await Organisation.select(Organisation.peer_group, Count(organisation_key).as_alias("n")).group_by(
        Organisation.peer_group
    )
    by_id = {row["peer_group"]: row["n"] for row in counts}
    return [PeerGroupView(**row, organisations=by_id.get(row["id"], 0)) for row in rows]


async def waves() -> list[WaveView]:
    rows = await Wave.select(wave_key, Wave.key, Wave.starts_on, Wave.ends_on).order_by(Wave.key, ascending=False)
    return [WaveView(**row) for row in rows]


@dataclass(frozen=True, slots=True)
class OrganisationChange:
    name: str
    slug: str
    peer_group_id: int | None
    brand_colour: str


async def save_organisation(
    engine: Engine[Any],
    change: OrganisationChange,
    *,
    organisation_id: int | None = None,
    actor_id: int | None = None,
) -> int:
    """Create (no ``organisation_id``) or update an organisation; Taken("slug"/"name"), Missing for unknown ids."""
    async with write_transaction(engine):
        if organisation_id is not None and not await Organisation.exists().where(organisation_key == organisation_id):
            raise Missing()
        if change.peer_group_id is not None and not await PeerGroup.exists().where(
            peer_group_key == change.peer_group_id
        ):
            raise Missing()
        for field, column, value in (
            ("slug", Organisation.slug, change.slug),
            ("name", Organisation.name, change.name),
        ):
            clash = Organisation.exists().where(column == value)
            if organisation_id is not None:
                clash = clash.where(organisation_key != organisation_id)
            if await clash:
                raise Taken(field)
        values: dict[Any, Any] = {
            Organisation.name: change.name,
            Organisation.slug: change.slug,
            Organisation.peer_group: change.peer_group_id,
            Organisation.brand_colour: change.brand_colour,
        }
        if organisation_id is None:
            (row,) = await Organisation.insert(
                Organisation(name=change.name, slug=change.slug, peer_group=change.peer_group_id,
                             brand_colour=change.brand_colour)
            ).returning(organisation_key)  # fmt: skip
            organisation_id = int(row["id"])
            action = "organisation.created"
        else:
            await Organisation.update(values).where(organisation_key == organisation_id)
            action = "organisation.updated"
        await record_event(action, actor_id=actor_id, object_type="organisation", object_id=organisation_id,
                           detail={"slug": change.slug, "name": change.name})  # fmt: skip
    return organisation_id


async def set_logo(
    engine: Engine[Any],
    organisation_id: int,
    sha256: str,
    *,
    content_type: str,
    actor_id: int | None = None,
) -> None:
    async with write_transaction(engine):
        updated = await (
            Organisation.update({Organisation.logo_sha256: sha256})
            .where(organisation_key == organisation_id)
            .returning(organisation_key)
        )
        if not updated:
            raise Missing()
        detail = {"sha256": sha256, "content_type": content_type}
        await record_event("organisation.logo", actor_id=actor_id, object_type="organisation",
                           object_id=organisation_id, detail=detail)  # fmt: skip


@dataclass(frozen=True, slots=True)
class UnitChange:
    name: str
    slug: str
    kind: str
    latitude: float | None
    longitude: float | None


async def save_unit(
    engine: Engine[Any],
    organisation_id: int,
    change: UnitChange,
    *,
    unit_id: int | None = None,
    actor_id: int | None = None,
) -> int:
    """Create or update a unit of the organisation; the slug is unique within it."""
    async with write_transaction(engine):
        if not await Organisation.exists().where(organisation_key == organisation_id):
            raise Missing()
        if unit_id is not None and not await Unit.exists().where(
            (unit_key == unit_id) & (Unit.organisation == organisation_id)
        ):
            raise Missing()
        clash = Unit.exists().where((Unit.organisation == organisation_id) & (Unit.slug == change.slug))
        if unit_id is not None:
            clash = clash.where(unit_key != unit_id)
        if await clash:
            raise Taken("slug")
        values: dict[Any, Any] = {Unit.name: change.name, Unit.slug: change.slug, Unit.kind: change.kind,
                                  Unit.latitude: change.latitude, Unit.longitude: change.longitude}  # fmt: skip
        if unit_id is None:
            (row,) = await Unit.insert(Unit({Unit.organisation: organisation_id, **values})).returning(unit_key)
            unit_id = int(row["id"])
            action = "unit.created"
        else:
            await Unit.update(values).where(unit_key == unit_id)
            action = "unit.updated"
        await record_event(action, actor_id=actor_id, object_type="unit", object_id=unit_id,
                           detail={"organisation_id": organisation_id, "slug": change.slug})  # fmt: skip
    return unit_id


async def create_peer_group(
    engine: Engine[Any],
    *,
    name: str,
    slug: str,
    industry: str,
    name_en: str = "",
    actor_id: int | None = None,
) -> int:
    async with write_transaction(engine):
        if await PeerGroup.exists().where(PeerGroup.slug == slug):
            raise Taken("slug")
        group = PeerGroup(name=name, slug=slug, industry=industry, name_en=name_en)
        (row,) = await PeerGroup.insert(group).returning(peer_group_key)
        await record_event("peer_group.created", actor_id=actor_id, object_type="peer_group", object_id=row["id"],
                           detail={"slug": slug})  # fmt: skip
    return int(row["id"])


async def create_wave(
    engine: Engine[Any],
    *,
    key: str,
    starts_on: datetime | None,
    ends_on: datetime | None,
    actor_id: int | None = None,
) -> int:
    async with write_transaction(engine):
        if await Wave.exists().where(Wave.key == key):
            raise Taken("key")
        (row,) = await Wave.insert(Wave(key=key, starts_on=starts_on, ends_on=ends_on)).returning(wave_key)
        await record_event("wave.created", actor_id=actor_id, object_type="wave", object_id=row["id"],
                           detail={"key": key})  # fmt: skip
    return int(row["id"])


async def peer_group(group_id: int) -> PeerGroupView | None:
    return next((found for found in await peer_groups() if found.id == group_id), None)


async def update_peer_group(
    engine: Engine[Any],
    group_id: int,
    *,
    name: str,
    slug: str,
    industry: str,
    name_en: str = "",
    actor_id: int | None = None,
) -> None:
    """Rename a peer group; Missing for an unknown id, Taken("slug") for another group's slug."""
    async with write_transaction(engine):
        if not await PeerGroup.exists().where(peer_group_key == group_id):
            raise Missing()
        if await PeerGroup.exists().where((PeerGroup.slug == slug) & (peer_group_key != group_id)):
            raise Taken("slug")
        changes: dict[Column | str, Any] = {
            PeerGroup.name: name,
            PeerGroup.slug: slug,
            PeerGroup.industry: industry,
            PeerGroup.name_en: name_en,
        }
        await PeerGroup.update(changes).where(peer_group_key == group_id)
        await record_event("peer_group.updated", actor_id=actor_id, object_type="peer_group", object_id=group_id,
                           detail={"slug": slug, "name": name})  # fmt: skip


async def delete_peer_group(engine: Engine[Any], group_id: int, *, actor_id: int | None = None) -> None:
    """Delete a peer group no organisation belongs to; InUse when some still do, Missing for an unknown id."""
    async with write_transaction(engine):
        row = await PeerGroup.select(PeerGroup.slug).where(peer_group_key == group_id).first()
        if row is None:
            raise Missing()
        if members := await Organisation.count().where(Organisation.peer_group == group_id):
            raise InUse({"organisations": members})
        await PeerGroup.delete().where(peer_group_key == group_id)
        await record_event("peer_group.deleted", actor_id=actor_id, object_type="peer_group", object_id=group_id,
                           detail={"slug": row["slug"]})  # fmt: skip


async def wave(wave_id: int) -> WaveView | None:
    row = await Wave.select(wave_key, Wave.key, Wave.starts_on, Wave.ends_on).where(wave_key == wave_id).first()
    return None if row is None else WaveView(**row)


async def update_wave(
    engine: Engine[Any],
    wave_id: int,
    *,
    key: str,
    starts_on: datetime | None,
    ends_on: datetime | None,
    actor_id: int | None = None,
) -> None:
    """Change a wave's key or dates; Missing for an unknown id, Taken("key") for another wave's key. Answers name
    the wave by id, so a new key reaches them (and the snapshot) without touching them."""
    async with write_transaction(engine):
        if not await Wave.exists().where(wave_key == wave_id):
            raise Missing()
        if await Wave.exists().where((Wave.key == key) & (wave_key != wave_id)):
            raise Taken("key")
        await Wave.update({Wave.key: key, Wave.starts_on: starts_on, Wave.ends_on: ends_on}).where(wave_key == wave_id)
        await record_event("wave.updated", actor_id=actor_id, object_type="wave", object_id=wave_id,
                           detail={"key": key})  # fmt: skip


async def delete_wave(engine: Engine[Any], wave_id: int, *, actor_id: int | None = None) -> None:
    """Delete a wave nothing was collected in; InUse names what still does (responses, collections, assignments,
    calibration exercises), Missing for an unknown id."""
    async with write_transaction(engine):
        row = await Wave.select(Wave.key).where(wave_key == wave_id).first()
        if row is None:
            raise Missing()
        counts = {
            "responses": await Response.count().where(Response.wave == wave_id),
            "collections": await Collection.count().where(Collection.wave == wave_id),
            "assignments": await Assignment.count().where(Assignment.wave == wave_id),
            "calibration": await CalibrationExercise.count().where(CalibrationExercise.wave == wave_id),
        }
        if uses := {kind: n for kind, n in counts.items() if n}:
            raise InUse(uses)
        await Wave.delete().where(wave_key == wave_id)
        await record_event("wave.deleted", actor_id=actor_id, object_type="wave", object_id=wave_id,
                           detail={"key": row["key"]})  # fmt: skip


__all__ = [
    "UNIT_KINDS",
    "InUse",
    "Missing",
    "OrganisationChange",
    "OrganisationView",
    "PeerGroupView",
    "Taken",
    "UnitChange",
    "UnitView",
    "WaveView",
    "create_peer_group",
    "create_wave",
    "delete_peer_group",
    "delete_wave",
    "organisation",
    "organisations",
    "peer_group",
    "peer_groups",
    "save_organisation",
    "save_unit",
    "set_logo",
    "unit",
    "units_of",
    "update_peer_group",
    "update_wave",
    "wave",
    "waves",
]
