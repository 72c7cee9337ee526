"""``/api/v1/organisations`` and ``/api/v1/collections``: who is measured, and where respondents answer."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import Parameter

from servicescore.db import api_directory as directory
from servicescore.identity import Account
from servicescore.web.api.access import limited_to
from servicescore.web.api.models import CollectionOut, CollectionUnit, OrganisationDetail, OrganisationOut, UnitOut
from servicescore.web.api.problems import error_responses, not_found

MAX_ID = 2**31 - 1  # ids are 32-bit integers in PostgreSQL; a larger number cannot name anything

ObjectId = Annotated[int, Parameter(ge=1, le=MAX_ID, description="The organisation's id.")]


@get("/organisations", summary="Organisations you may see", responses=error_responses())
async def list_organisations(account: NamedDependency[Account]) -> list[OrganisationOut]:
    """Consultants see every organisation, client viewers only their own."""
    found = await directory.organisations(limited_to(account))
    return [OrganisationOut(**_fields(row)) for row in found]


@get("/organisations/{organisation_id:int}", summary="One organisation with its units", responses=error_responses())
async def get_organisation(organisation_id: ObjectId, account: NamedDependency[Account]) -> OrganisationDetail:
    """Another organisation's id answers a client viewer exactly like an id that does not exist."""
    if (limit := limited_to(account)) is not None and organisation_id != limit:
        raise not_found("organisation_id", f"no organisation {organisation_id}")
    found = await directory.organisations(organisation_id)
    if not found:
        raise not_found("organisation_id", f"no organisation {organisation_id}")
    row = found[0]
    units = [UnitOut(id=u.id, slug=u.slug, name=u.name, kind=u.kind) for u in row.units]
    return OrganisationDetail(**_fields(row), units=units)


def _fields(row: directory.OrganisationRow) -> dict[str, Any]:
    return {"id": row.id, "slug": row.slug, "name": row.name, "peer_group": row.peer_group,
            "peer_group_name": row.peer_group_name}  # fmt: skip


def _state(opens_at: datetime, closes_at: datetime, now: datetime) -> str:
    if now < opens_at:
        return "not_yet_open"
    return "closed" if now >= closes_at else "open"


@get("/collections", summary="Collections with their units and public links", responses=error_responses())
async def list_collections(request: Request[Any, Any, Any], account: NamedDependency[Account]) -> list[CollectionOut]:
    """Newest first. Consultants get each unit's public link; client viewers see collections that include their
    organisation, with only its units and without links."""
    now = datetime.now(UTC)
    base = str(request.base_url).rstrip("/")
    consultant = limited_to(account) is None
    return [
        CollectionOut(
            id=row.id,
            title=row.title,
            instrument=row.instrument,
            wave=row.wave,
            opens_at=row.opens_at,
            closes_at=row.closes_at,
            state=_state(row.opens_at, row.closes_at, now),
            units=[
                CollectionUnit(
                    organisation=link.organisation,
                    unit_id=link.unit_id,
                    unit=link.unit,
                    unit_name=link.unit_name,
                    url=f"{base}/s/{link.token}" if consultant else None,
                )
                for link in row.links
            ],
        )
        for row in await directory.collections(limited_to(account))
    ]
