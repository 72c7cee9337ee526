"""Collections as the console shows and publishes them: status, response counts, each unit's link, invitations.

Publishing and inviting call the same ``db.collections`` functions the command line does, inside one write
transaction with their checks and audit event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from piccolo.engine.base import Engine
from piccolo.query.functions.aggregate import Count

from servicescore.db.audit import record_event
from servicescore.db.collections import close_collection, create_invitations, instrument_version_of, open_collection
from servicescore.db.engine import write_transaction
from servicescore.db.instruments import sync_instruments
from servicescore.db.organisations import Missing
from servicescore.db.tables import Collection, CollectionLink, Invitation, Response, Unit, Wave
from servicescore.db.tables import Instrument as InstrumentRow
from servicescore.definitions import Instrument

collection_key = Collection._meta.primary_key
unit_key = Unit._meta.primary_key
wave_key = Wave._meta.primary_key

Status = Literal["not_yet_open", "open", "closed"]


def status_at(opens_at: datetime, closes_at: datetime, now: datetime) -> Status:
    if now < opens_at:
        return "not_yet_open"
    return "closed" if now >= closes_at else "open"


@dataclass(frozen=True, slots=True)
class CollectionSummary:
    id: int
    title: str
    instrument: str
    wave: str
    opens_at: datetime
    closes_at: datetime
    status: Status
    units: int
    complete: int
    partial: int


@dataclass(frozen=True, slots=True)
class UnitLink:
    unit_id: int
    organisation: str
    unit: str
    token: str
    complete: int
    invitations: int


async def _response_counts(collection_id: int | None = None) -> dict[tuple[int, int, str], int]:
    """(collection, unit, status) → responses."""
    query = Response.select(Response.collection, Response.unit, Response.status, Count().as_alias("n")).where(
        Response.collection.is_not_null()
    )
    if collection_id is not None:
        query = query.where(Response.collection == collection_id)
    rows = await query.group_by(Response.collection, Response.unit, Response.status)
    return {(row["collection"], row["unit"], row["status"]): row["n"] for row in rows}


async def collection_summaries(now: datetime) -> list[CollectionSummary]:
    rows = await Collection.select(
        collection_key,
        Collection.title,
        Collection.instrument_version._.instrument._.key.as_alias("instrument"),
        Collection.wave._.key.as_alias("wave"),
        Collection.opens_at,
        Collection.closes_at,
    ).order_by(Collection.opens_at, ascending=False)
    links = await CollectionLink.select(CollectionLink.collection, Count().as_alias("n")).group_by(
        CollectionLink.collection
    )
    units = {row["collection"]: row["n"] for row in links}
    counts = await _response_counts()
    summaries = []
    for row in rows:
        mine = [(status, n) for (collection, _, status), n in counts.items() if collection == row["id"]]
        summaries.append(
            CollectionSummary(
                **row,
                status=status_at(row["opens_at"], row["closes_at"], now),
                units=units.get(row["id"], 0),
                complete=sum(n for status, n in mine if status == "complete"),
                partial=sum(n for status, n in mine if status == "partial"),
            )
        )
    return summaries


async def collection_summary(collection_id: int, now: datetime) -> CollectionSummary | None:
    return next((found for found in await collection_summaries(now) if found.id == collection_id), None)


async def unit_links(collection_id: int) -> list[UnitLink]:
    rows = await (
        CollectionLink.select(
            CollectionLink.unit.as_alias("unit_id"),
            CollectionLink.unit._.organisation._.name.as_alias("organisation"),
            CollectionLink.unit._.name.as_alias("unit"),
            CollectionLink.token,
        )
        .where(CollectionLink.collection == collection_id)
        .order_by(CollectionLink.unit._.organisation._.name)
        .order_by(CollectionLink.unit._.name)
    )
    invited = await (
        Invitation.select(Invitation.unit, Count().as_alias("n"))
        .where(Invitation.collection == collection_id)
        .group_by(Invitation.unit)
    )
    invitations = {row["unit"]: row["n"] for row in invited}
    counts = await _response_counts(collection_id)
    return [
        UnitLink(
            **row,
            complete=counts.get((collection_id, row["unit_id"], "complete"), 0),
            invitations=invitations.get(row["unit_id"], 0),
        )
        for row in rows
    ]


@dataclass(frozen=True, slots=True)
class SurveyChoice:
    key: str
    title: str


async def surveys_in_database() -> list[str]:
    """Keys of the surveys (not scorecards) the database holds a current version of."""
    rows = (
        await InstrumentRow.select(InstrumentRow.key).where(InstrumentRow.kind == "survey").order_by(InstrumentRow.key)
    )
    return [row["key"] for row in rows]


@dataclass(frozen=True, slots=True)
class Publication:
    instrument_key: str
    definition: Instrument | None  # from the surveys folder (synced first); None: the database's current version
    wave_id: int
    unit_ids: Sequence[int]
    opens_at: datetime
    closes_at: datetime
    title: str = ""


async def publish_collection(
    engine: Engine[Any],
    publication: Publication,
    *,
    actor_id: int | None = None,
) -> int:
    """Open the collection with a public link per unit; Missing when the wave, a unit or the survey is unknown."""
    async with write_transaction(engine):
        if not await Wave.exists().where(wave_key == publication.wave_id):
            raise Missing()
        unit_ids = list(dict.fromkeys(publication.unit_ids))
        found = await Unit.select(unit_key).where(unit_key.is_in(unit_ids or [0]))
        if len(found) != len(unit_ids) or not unit_ids:
            raise Missing()
        if publication.definition is not None:
            version = (await sync_instruments([publication.definition]))[publication.definition.id]
        elif (stored := await instrument_version_of(publication.instrument_key)) is not None:
            version = stored
        else:
            raise Missing()
        collection_id, _ = await open_collection(
            instrument_version_id=version,
            wave_id=publication.wave_id,
            unit_ids=unit_ids,
            opens_at=publication.opens_at,
            closes_at=publication.closes_at,
            title=publication.title,
            created_by=actor_id,
        )
        await record_event("collection.opened", actor_id=actor_id, object_type="collection", object_id=collection_id,
                           detail={"instrument": publication.instrument_key, "units": unit_ids})  # fmt: skip
    return collection_id


async def invite(
    engine: Engine[Any],
    collection_id: int,
    unit_id: int,
    emails: Sequence[str],
    *,
    actor_id: int | None = None,
) -> list[tuple[str, str]]:
    """Single-use invitations for a unit the collection has a link for; (email, token) pairs, shown only now."""
    async with write_transaction(engine):
        linked = await CollectionLink.exists().where(
            (CollectionLink.collection == collection_id) & (CollectionLink.unit == unit_id)
        )
        if not linked:
            raise Missing()
        made = await create_invitations(collection_id, unit_id, emails)
        # The addresses stay out of the audit trail: it outlives the invitations.
        await record_event("invitations.created", actor_id=actor_id, object_type="collection", object_id=collection_id,
                           detail={"unit_id": unit_id, "count": len(made)})  # fmt: skip
    return made


async def close_now(
    engine: Engine[Any],
    collection_id: int,
    now: datetime,
    *,
    actor_id: int | None = None,
) -> bool:
    """Close a collection that is still open or not yet open; False when it had closed already (its closing
    time is history and stays as it was). Missing for an unknown id."""
    async with write_transaction(engine):
        row = await Collection.select(Collection.closes_at).where(collection_key == collection_id).first()
        if row is None:
            raise Missing()
        if row["closes_at"] <= now:
            return False
        await close_collection(collection_id, now)
        await record_event("collection.closed", actor_id=actor_id, object_type="collection", object_id=collection_id)
    return True


__all__ = [
    "CollectionSummary",
    "Publication",
    "Status",
    "SurveyChoice",
    "UnitLink",
    "close_now",
    "collection_summaries",
    "collection_summary",
    "invite",
    "publish_collection",
    "status_at",
    "surveys_in_database",
    "unit_links",
]
