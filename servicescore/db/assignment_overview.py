"""Every assignment for the console's list, and the choices its form offers (shoppers, units, scorecards)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from servicescore.db.tables import Assignment, Unit, User
from servicescore.db.tables import Instrument as InstrumentRow
from servicescore.identity import Role

assignment_key = Assignment._meta.primary_key


@dataclass(frozen=True, slots=True)
class AssignmentRow:
    id: int
    shopper: str
    shopper_name: str
    organisation: str
    unit: str
    instrument: str
    wave: str
    scenario: str
    window_start: datetime
    window_end: datetime
    status: str


async def all_assignments() -> list[AssignmentRow]:
    rows = await Assignment.select(
        assignment_key,
        Assignment.shopper._.username.as_alias("shopper"),
        Assignment.shopper._.display_name.as_alias("shopper_name"),
        Assignment.unit._.organisation._.name.as_alias("organisation"),
        Assignment.unit._.name.as_alias("unit"),
        Assignment.instrument_version._.instrument._.key.as_alias("instrument"),
        Assignment.wave._.key.as_alias("wave"),
        Assignment.scenario,
        Assignment.window_start,
        Assignment.window_end,
        Assignment.status,
    ).order_by(Assignment.window_start, ascending=False)
    return [AssignmentRow(**row) for row in rows]


async def shoppers() -> list[tuple[str, str]]:
    """(username, shown name) of every active mystery shopper."""
    rows = await (
        User.select(User.username, User.display_name)
        .where((User.role == Role.shopper.value) & (User.active.eq(True)))
        .order_by(User.username)
    )
    return [(row["username"], row["display_name"] or row["username"]) for row in rows]


async def unit_paths() -> list[tuple[str, str]]:
    """(``organisation/unit`` slugs, "Organisation – Unit") of every unit."""
    rows = await Unit.select(
        Unit.slug, Unit.name, Unit.organisation._.slug.as_alias("org_slug"), Unit.organisation._.name.as_alias("org")
    ).order_by(Unit.organisation._.name)
    return sorted((f"{row['org_slug']}/{row['slug']}", f"{row['org']} – {row['name']}") for row in rows)


async def scorecards_in_database() -> list[str]:
    rows = await InstrumentRow.select(InstrumentRow.key).where(InstrumentRow.kind == "scorecard")
    return sorted(row["key"] for row in rows)
