"""``servicescore assignments``: sending mystery shoppers to units."""

from __future__ import annotations

from datetime import datetime

import click

from servicescore.cli.common import named, ready, run, unit_reference
from servicescore.db.assignments import AssignmentRejected, AssignmentRequest, create_assignment
from servicescore.db.lifecycle import database
from servicescore.db.names import instrument_names
from servicescore.definitions import DefinitionError, Instrument, load_instruments
from servicescore.formats import from_local
from servicescore.instrument_folders import instrument_folders
from servicescore.settings import Settings, get_settings


@click.group("assignments")
def assignments() -> None:
    """Mystery-shopping assignments: shopper × unit × scorecard × scenario × time window."""


def _moment(value: str, option: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"must be an ISO date or time, like 2026-10-05 or 2026-10-05T09:00 (got {value!r})", param_hint=option
        ) from None
    # A date or time without a zone is Stockholm's, as the console takes and every page shows it.
    return from_local(moment)


def _definitions(settings: Settings) -> dict[str, Instrument]:
    try:
        return {instrument.id: instrument for instrument in load_instruments(*instrument_folders(settings))}
    except DefinitionError:
        return {}  # a broken surveys/ folder must not stop assigning instruments the database already has


async def _create(
    settings: Settings, request: AssignmentRequest, definitions: dict[str, Instrument], min_days: int
) -> int:
    async with database(settings) as engine:
        return await create_assignment(engine, request, definitions, min_days_between=min_days)


@assignments.command("create")
@click.option("--shopper", required=True, help="Username of the mystery shopper.")
@click.option(
    "--unit", required=True, help="ORGANISATION/UNIT by names or slugs, e.g. carl-larssons-gard/lilla-hyttnas."
)
@click.option("--instrument", required=True, help="Id or title of the scorecard, e.g. guided-tour.")
@click.option("--wave", required=True, help="Wave key, e.g. 2026-Q4 (made if missing).")
@click.option(
    "--from", "window_from", required=True, help="Start of the window (ISO; Stockholm time unless a zone is given)."
)
@click.option("--to", "window_to", required=True, help="End of the window (ISO; a bare date means its start).")
@click.option("--scenario", default="", help="The brief the shopper reads before the visit.")
@click.option(
    "--min-days-between",
    type=click.IntRange(min=0),
    default=None,
    help="Rotation rule: days between two visits of one shopper to one unit "
    "[default: SERVICESCORE_VISIT_ROTATION_DAYS, 90].",
)
def create_command(
    shopper: str,
    *,
    unit: str,
    instrument: str,
    wave: str,
    window_from: str,
    window_to: str,
    scenario: str,
    min_days_between: int | None,
) -> None:
    """Assign a visit or call; prints the new assignment's id."""
    settings = get_settings()
    definitions = _definitions(settings)
    ready(settings)
    titles = {key: [each.title.en, each.title.sv] for key, each in definitions.items()}
    stored = {key: names for key, names in instrument_names(settings.database).items() if key not in definitions}
    unit = unit_reference(settings, unit)
    instrument = named(instrument, stored | titles, what="instrument", option="--instrument")
    request = AssignmentRequest(
        shopper=shopper,
        unit=unit,
        instrument=instrument,
        wave=wave,
        window_start=_moment(window_from, "--from"),
        window_end=_moment(window_to, "--to"),
        scenario=scenario,
    )
    days = settings.visit_rotation_days if min_days_between is None else min_days_between
    try:
        assignment_id = run(_create(settings, request, definitions, days))
    except AssignmentRejected as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"created assignment {assignment_id}: {shopper} at {unit}, {instrument}, {wave}")
