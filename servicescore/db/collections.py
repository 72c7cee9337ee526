"""Collections, their public links and personal invitations in the database.

A link is looked up by its token on every page a respondent opens, so the lookup is one joined query.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from servicescore.collections.tokens import new_invitation_token, new_public_token, token_digest
from servicescore.db.keys import row_id
from servicescore.db.tables import (
    Collection,
    CollectionLink,
    Contact,
    InstrumentVersion,
    Invitation,
    Organisation,
    Unit,
    Wave,
)
from servicescore.db.tables import Instrument as InstrumentRow

# Primary keys through _meta, so mypy sees columns (Piccolo adds ``id`` at runtime).
collection_key = Collection._meta.primary_key
invitation_key = Invitation._meta.primary_key
unit_key = Unit._meta.primary_key
wave_key = Wave._meta.primary_key
instrument_key = InstrumentRow._meta.primary_key
version_key = InstrumentVersion._meta.primary_key

LinkKind = Literal["public", "invitation"]


@dataclass(frozen=True)
class SurveyLink:
    """Everything a respondent's page needs to know about the link it was opened with."""

    kind: LinkKind
    collection_id: int
    instrument_version_id: int
    wave_id: int
    organisation_id: int
    organisation_name: str
    organisation_slug: str
    brand: str
    brand_colour: str
    logo_sha256: str  # a logo the consultant uploaded (db.logos); empty: the brand folder's, if any
    unit_id: int
    unit_name: str
    opens_at: datetime
    closes_at: datetime
    invitation_id: int | None = None
    invitation_used: bool = False
    # The segment every response through this link belongs to (collections.segments): an e-mailed contact's
    # segment for their invitation; public links have no column for it yet.
    segment: str | None = None

    def state(self, now: datetime) -> Literal["open", "not_yet_open", "closed"]:
        if now < self.opens_at:
            return "not_yet_open"
        return "closed" if now >= self.closes_at else "open"


@dataclass(frozen=True)
class OpenLink:
    collection_id: int
    title: str
    instrument: str
    wave: str
    organisation: str
    unit: str
    token: str
    closes_at: datetime


def _columns(owner: Any) -> list[Any]:
    collection = owner.collection
    unit = owner.unit
    return [
        owner.collection.id.as_alias("collection_id"),
        collection.instrument_version.id.as_alias("instrument_version_id"),
        collection.wave.id.as_alias("wave_id"),
        collection.opens_at.as_alias("opens_at"),
        collection.closes_at.as_alias("closes_at"),
        unit.id.as_alias("unit_id"),
        unit.name.as_alias("unit_name"),
        unit.organisation.id.as_alias("organisation_id"),
        unit.organisation.name.as_alias("organisation_name"),
        unit.organisation.slug.as_alias("organisation_slug"),
        unit.organisation.brand.as_alias("brand"),
        unit.organisation.brand_colour.as_alias("brand_colour"),
        unit.organisation.logo_sha256.as_alias("logo_sha256"),
    ]


# Every page of a respondent looks its link up; a public link changes only when its collection is reopened or
# closed, so each process keeps it a few seconds (an unknown token is never kept). Whether a link is open is decided
# on each request from the kept dates, so a collection closes on the second; only an edit (an early close, a new
# brand colour) takes up to PUBLIC_LINK_SECONDS to reach other processes, and none in this one (close_collection
# forgets). While one request looks a token up, the others asking for it wait for that answer instead of each
# sending the same query (fifty respondents at the moment the kept copy expires).
PUBLIC_LINK_SECONDS = 5.0
_public_links: dict[str, tuple[float, SurveyLink]] = {}
_lookups: dict[str, asyncio.Future[SurveyLink | None]] = {}


async def public_link(token: str) -> SurveyLink | None:
    now = time.monotonic()
    if (kept := _public_links.get(token)) is not None and now - kept[0] < PUBLIC_LINK_SECONDS:
        return kept[1]
    loop = asyncio.get_running_loop()
    if (pending := _lookups.get(token)) is not None and pending.get_loop() is loop:
        return await asyncio.shield(pending)
    _lookups[token] = future = loop.create_future()
    try:
        link = await _look_up_public_link(token, now)
    except BaseException as error:
        future.set_exception(error)
        future.exception()  # retrieved: the waiters (if any) get it; no "never retrieved" warning
        raise
    else:
        future.set_result(link)
        return link
    finally:
        if _lookups.get(token) is future:
            del _lookups[token]


async def _look_up_public_link(token: str, now: float) -> SurveyLink | None:
    row = await CollectionLink.select(*_columns(CollectionLink)).where(CollectionLink.token == token).first()
    if row is None:
        return None
    if len(_public_links) > 10_000:
        _public_links.clear()
    link = _public_links[token] = (now, SurveyLink(kind="public", **row))
    return link[1]


async def invitation_link(token: str) -> SurveyLink | None:
    row = (
        await Invitation.select(
            *_columns(Invitation), invitation_key.as_alias("invitation_id"), Invitation.used_at.as_alias("used_at")
        )
        .where(Invitation.token_sha256 == token_digest(token))
        .first()
    )
    if row is None:
        return None
    used_at = row.pop("used_at")
    # An e-mailed contact's segment (db.mail) is the segment of every response through the contact's link.
    contact = await Contact.select(Contact.segment).where(Contact.invitation == row["invitation_id"]).first()
    segment = None if contact is None else contact["segment"]
    return SurveyLink(kind="invitation", invitation_used=used_at is not None, segment=segment, **row)


async def open_collection(
    *,
    instrument_version_id: int,
    wave_id: int,
    unit_ids: Sequence[int],
    opens_at: datetime,
    closes_at: datetime,
    title: str = "",
    created_by: int | None = None,
) -> tuple[int, dict[int, str]]:
    """A new collection with a public link per unit; returns its id and unit id → link token.
    Call inside the caller's write transaction."""
    if closes_at <= opens_at:
        raise ValueError("a collection must close after it opens")
    collection = Collection(
        instrument_version=instrument_version_id,
        wave=wave_id,
        title=title,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=created_by,
    )
    await collection.save()
    tokens = {unit_id: new_public_token() for unit_id in dict.fromkeys(unit_ids)}
    if tokens:
        await CollectionLink.insert(
            *(CollectionLink(collection=row_id(collection), unit=unit, token=token) for unit, token in tokens.items())
        ).run()
    return row_id(collection), tokens


async def create_invitations(collection_id: int, unit_id: int, emails: Sequence[str]) -> list[tuple[str, str]]:
    """One single-use invitation per address; returns (email, token). Both are shown now and never again: the
    address is not stored (the invitations of e-mailed contacts keep theirs sealed, db.mail)."""
    made = [(email, new_invitation_token()) for email in emails]
    if made:
        await Invitation.insert(
            *(Invitation(collection=collection_id, unit=unit_id, token_sha256=token_digest(token)) for _, token in made)
        ).run()
    return made


async def open_links(now: datetime) -> list[OpenLink]:
    """Public links of every collection open at ``now``, by collection, organisation and unit."""
    link = CollectionLink
    rows = (
        await link.select(
            link.collection.id.as_alias("collection_id"),
            link.collection.title.as_alias("title"),
            link.collection._.instrument_version._.instrument._.key.as_alias("instrument"),
            link.collection._.wave._.key.as_alias("wave"),
            link.unit._.organisation._.slug.as_alias("organisation"),
            link.unit.slug.as_alias("unit"),
            link.token.as_alias("token"),
            link.collection.closes_at.as_alias("closes_at"),
        )
        .where((link.collection.opens_at <= now) & (link.collection.closes_at > now))
        .order_by(link.collection.id)
        .order_by(link.unit._.organisation._.slug)
        .order_by(link.unit.slug)
    )
    return [OpenLink(**row) for row in rows]


async def collection_exists(collection_id: int) -> bool:
    return bool(await Collection.exists().where(collection_key == collection_id))


async def close_collection(collection_id: int, at: datetime) -> bool:
    """Close now; other processes notice within ``PUBLIC_LINK_SECONDS``."""
    _public_links.clear()
    updated = (
        await Collection.update({Collection.closes_at: at})
        .where(collection_key == collection_id)
        .returning(collection_key)
    )
    return bool(updated)


async def find_units(organisation_slugs: Sequence[str], unit_refs: Sequence[str]) -> dict[str, int]:
    """``org/unit`` → unit id for the given units, or every unit of the given organisations."""
    rows = await Unit.select(
        unit_key, Unit.slug.as_alias("unit"), Unit.organisation.slug.as_alias("organisation")
    ).where(Unit.organisation.slug.is_in(list({*organisation_slugs, *(r.split("/")[0] for r in unit_refs)}) or [""]))
    found = {f"{row['organisation']}/{row['unit']}": row["id"] for row in rows}
    if unit_refs:
        return {ref: found[ref] for ref in unit_refs if ref in found}
    return found


async def known_organisations(slugs: Sequence[str]) -> set[str]:
    rows = await Organisation.select(Organisation.slug).where(Organisation.slug.is_in(list(slugs) or [""]))
    return {row["slug"] for row in rows}


async def wave_id(key: str, *, create: bool) -> int | None:
    row = await Wave.select(wave_key).where(Wave.key == key).first()
    if row is not None:
        return int(row["id"])
    if not create:
        return None
    wave = Wave(key=key)
    await wave.save()
    return row_id(wave)


async def instrument_version_of(key: str) -> int | None:
    """The current version row of instrument ``key``."""
    row = (
        await InstrumentRow.select(instrument_key, InstrumentRow.current_version)
        .where(InstrumentRow.key == key)
        .first()
    )
    if row is None:
        return None
    version = (
        await InstrumentVersion.select(version_key)
        .where((InstrumentVersion.instrument == row["id"]) & (InstrumentVersion.version == row["current_version"]))
        .first()
    )
    return None if version is None else int(version["id"])
