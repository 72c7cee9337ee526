"""Assignments: which shopper scores which unit with which scorecard, in which window, and the rotation rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from piccolo.engine.base import Engine

from servicescore.db.audit import record_event
from servicescore.db.engine import write_transaction
from servicescore.db.instruments import sync_instruments
from servicescore.db.keys import row_id, via
from servicescore.db.tables import Assignment, InstrumentVersion, Organisation, Response, Unit, User, Wave
from servicescore.definitions import Instrument as Definition
from servicescore.identity import Role

# Piccolo adds the ``id`` primary keys at class creation, where the type checker cannot see them.
assignment_key = Assignment._meta.primary_key
user_key = User._meta.primary_key
unit_key = Unit._meta.primary_key
version_key = InstrumentVersion._meta.primary_key
wave_key = Wave._meta.primary_key


class AssignmentRejected(ValueError):
    """The assignment cannot be made as asked; the message is one line naming the option at fault."""


class AssignmentLocked(ValueError):
    """The shopper has started (or sent) the visit: the assignment can no longer be changed or cancelled; its visit
    is returned or rejected in review instead."""


class AssignmentMissing(LookupError):
    """No assignment has this id: pages answer 404."""


@dataclass(frozen=True, slots=True)
class AssignmentView:
    """An assignment with the names pages show and the facts review flags compare with."""

    id: int
    shopper_id: int
    instrument: str
    version_id: int
    wave: str
    organisation: str
    organisation_name: str
    unit: str
    unit_name: str
    unit_kind: str
    unit_latitude: float | None
    unit_longitude: float | None
    scenario: str
    window_start: datetime
    window_end: datetime
    status: str
    shopper_username: str = ""


_VIEW_COLUMNS = (
    assignment_key,
    Assignment.shopper,
    via(Assignment.instrument_version.instrument).key.as_alias("instrument"),
    Assignment.instrument_version.as_alias("version_id"),
    Assignment.wave.key.as_alias("wave"),
    via(Assignment.unit.organisation).slug.as_alias("organisation"),
    via(Assignment.unit.organisation).name.as_alias("organisation_name"),
    Assignment.unit.slug.as_alias("unit"),
    Assignment.unit.name.as_alias("unit_name"),
    Assignment.unit.kind.as_alias("unit_kind"),
    Assignment.unit.latitude.as_alias("unit_latitude"),
    Assignment.unit.longitude.as_alias("unit_longitude"),
    Assignment.scenario,
    Assignment.window_start,
    Assignment.window_end,
    Assignment.status,
    via(Assignment.shopper).username.as_alias("shopper_username"),
)


def _view(row: dict[str, Any]) -> AssignmentView:
    return AssignmentView(
        id=row["id"],
        shopper_id=row["shopper"],
        instrument=row["instrument"],
        version_id=row["version_id"],
        wave=row["wave"],
        organisation=row["organisation"],
        organisation_name=row["organisation_name"],
        unit=row["unit"],
        unit_name=row["unit_name"],
        unit_kind=row["unit_kind"],
        unit_latitude=row["unit_latitude"],
        unit_longitude=row["unit_longitude"],
        scenario=row["scenario"],
        window_start=row["window_start"],
        window_end=row["window_end"],
        status=row["status"],
        shopper_username=row["shopper_username"],
    )


async def assignments_of(shopper_id: int) -> list[AssignmentView]:
    rows = await (
        Assignment.select(*_VIEW_COLUMNS)
        .where(Assignment.shopper == shopper_id)
        .order_by(Assignment.window_start)
        .order_by(assignment_key)
    )
    return [_view(row) for row in rows]


async def assignment(assignment_id: int, *, shopper_id: int | None = None) -> AssignmentView | None:
    """One assignment; with ``shopper_id`` only if it is that shopper's (another's looks missing)."""
    query = Assignment.select(*_VIEW_COLUMNS).where(assignment_key == assignment_id)
    if shopper_id is not None:
        query = query.where(Assignment.shopper == shopper_id)
    row = await query.first()
    return None if row is None else _view(row)


async def set_status(assignment_id: int, status: str) -> None:
    await Assignment.update({Assignment.status: status}).where(assignment_key == assignment_id)


@dataclass(frozen=True, slots=True)
class AssignmentRequest:
    shopper: str  # username
    unit: str  # "organisation/unit"
    instrument: str
    wave: str
    window_start: datetime
    window_end: datetime
    scenario: str = ""


async def create_assignment(
    engine: Engine[Any],
    request: AssignmentRequest,
    definitions: dict[str, Definition],
    *,
    min_days_between: int,
    actor_id: int | None = None,
) -> int:
    """Create one assignment, all checks first; the rotation rule refuses a second visit by the same shopper to
    the same unit when the two windows come closer than ``min_days_between`` days."""
    if request.window_end <= request.window_start:
        raise AssignmentRejected("--to must be after --from")
    async with write_transaction(engine):
        shopper = await User.select(user_key, User.role).where(User.username == request.shopper.lower()).first()
        if shopper is None or shopper["role"] != Role.shopper.value:
            raise AssignmentRejected(f'--shopper: "{request.shopper}" is not a mystery shopper account')
        unit_id = await _unit_id(request.unit)
        version_id = await _scorecard_version(request.instrument, definitions)
        wave_id = await _wave_id(request.wave)
        gap = timedelta(days=min_days_between)
        clash = await (
            Assignment.select(assignment_key, Assignment.window_start)
            .where(
                (Assignment.shopper == shopper["id"])
                & (Assignment.unit == unit_id)
                & (Assignment.window_start < request.window_end + gap)
                & (Assignment.window_end > request.window_start - gap)
            )
            .first()
        )
        if clash is not None:
            raise AssignmentRejected(
                f"rotation rule: {request.shopper} already has assignment {clash['id']} at {request.unit} "
                f"({clash['window_start']:%Y-%m-%d}); at least {min_days_between} days must pass between visits"
            )
        row = Assignment(
            shopper=shopper["id"],
            unit=unit_id,
            instrument_version=version_id,
            wave=wave_id,
            scenario=request.scenario.strip(),
            window_start=request.window_start,
            window_end=request.window_end,
            status="due",
        )
        await row.save()
        await record_event(
            "assignment.created",
            actor_id=actor_id,
            object_type="assignment",
            object_id=row_id(row),
            detail={"shopper": request.shopper, "unit": request.unit, "instrument": request.instrument},
        )
    return row_id(row)


async def _changeable(assignment_id: int) -> dict[str, Any]:
    """The assignment's shopper, unit and status, if it is still only planned (status due, no visit stored)."""
    row = await (
        Assignment.select(Assignment.shopper, Assignment.unit, Assignment.status)
        .where(assignment_key == assignment_id)
        .first()
    )
    if row is None:
        raise AssignmentMissing()
    if row["status"] != "due" or await Response.exists().where(Response.assignment == assignment_id):
        raise AssignmentLocked(f"assignment {assignment_id} is {row['status']}: its visit has started")
    return dict(row)


async def update_assignment(
    engine: Engine[Any],
    assignment_id: int,
    *,
    shopper: str,
    window_start: datetime,
    window_end: datetime,
    scenario: str,
    min_days_between: int,
    actor_id: int | None = None,
) -> None:
    """Change who visits, when, and the brief, while the visit has not started; the rotation rule holds as for a new
    assignment (this one left out)."""
    if window_end <= window_start:
        raise AssignmentRejected("--to must be after --from")
    async with write_transaction(engine):
        current = await _changeable(assignment_id)
        found = await User.select(user_key, User.role).where(User.username == shopper.lower()).first()
        if found is None or found["role"] != Role.shopper.value:
            raise AssignmentRejected(f'--shopper: "{shopper}" is not a mystery shopper account')
        gap = timedelta(days=min_days_between)
        clash = await (
            Assignment.select(assignment_key, Assignment.window_start)
            .where(
                (Assignment.shopper == found["id"])
                & (Assignment.unit == current["unit"])
                & (assignment_key != assignment_id)
                & (Assignment.window_start < window_end + gap)
                & (Assignment.window_end > window_start - gap)
            )
            .first()
        )
        if clash is not None:
            raise AssignmentRejected(
                f"rotation rule: {shopper} already has assignment {clash['id']} at this unit "
                f"({clash['window_start']:%Y-%m-%d}); at least {min_days_between} days must pass between visits"
            )
        await Assignment.update({
            Assignment.shopper: found["id"], Assignment.window_start: window_start,
            Assignment.window_end: window_end, Assignment.scenario: scenario.strip(),
        }).where(assignment_key == assignment_id)  # fmt: skip
        await record_event("assignment.updated", actor_id=actor_id, object_type="assignment", object_id=assignment_id,
                           detail={"shopper": shopper})  # fmt: skip


async def cancel_assignment(engine: Engine[Any], assignment_id: int, *, actor_id: int | None = None) -> None:
    """Take back an assignment whose visit has not started: it leaves the shopper's list and the console's."""
    async with write_transaction(engine):
        await _changeable(assignment_id)
        await Assignment.delete().where(assignment_key == assignment_id)
        await record_event("assignment.cancelled", actor_id=actor_id, object_type="assignment",
                           object_id=assignment_id, detail={})  # fmt: skip


async def _unit_id(path: str) -> int:
    organisation, _, unit = path.partition("/")
    row = await Unit.select(unit_key).where((Unit.organisation.slug == organisation) & (Unit.slug == unit)).first()
    if row is None:
        if not await Organisation.exists().where(Organisation.slug == organisation):
            raise AssignmentRejected(f'--unit: no organisation "{organisation}" (write ORGANISATION/UNIT slugs)')
        raise AssignmentRejected(f'--unit: organisation "{organisation}" has no unit "{unit}"')
    return int(row["id"])


async def _scorecard_version(key: str, definitions: dict[str, Definition]) -> int:
    definition = definitions.get(key)
    if definition is not None:
        if definition.kind != "scorecard":
            raise AssignmentRejected(f'--instrument: "{key}" is a survey; shoppers fill in scorecards')
        return (await sync_instruments([definition]))[key]
    row = await (
        InstrumentVersion.select(version_key, InstrumentVersion.instrument.kind.as_alias("kind"))
        .where(
            (InstrumentVersion.instrument.key == key)
            & (InstrumentVersion.version == InstrumentVersion.instrument.current_version)
        )
        .first()
    )
    if row is None:
        raise AssignmentRejected(f'--instrument: no instrument "{key}" in surveys/ or the database')
    if row["kind"] != "scorecard":
        raise AssignmentRejected(f'--instrument: "{key}" is a survey; shoppers fill in scorecards')
    return int(row["id"])


async def _wave_id(key: str) -> int:
    row = await Wave.select(wave_key).where(Wave.key == key).first()
    if row is not None:
        return int(row["id"])
    wave = Wave(key=key)
    await wave.save()
    return row_id(wave)


__all__ = [
    "AssignmentLocked",
    "AssignmentMissing",
    "AssignmentRejected",
    "AssignmentRequest",
    "AssignmentView",
    "assignment",
    "assignments_of",
    "cancel_assignment",
    "create_assignment",
    "set_status",
    "update_assignment",
]
