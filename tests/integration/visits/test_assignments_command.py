"""``servicescore assignments create``: the rotation rule, clear refusals, and the demo's assignments."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

import pytest
from click.testing import CliRunner

from servicescore.accounts.users import create_account
from servicescore.cli import cli
from servicescore.db.lifecycle import database
from servicescore.db.tables import Assignment, AuditEvent, Organisation, Unit
from servicescore.definitions import load_instruments
from servicescore.demo.seed import DEMO_ASSIGNMENTS, seed_demo_assignments
from servicescore.identity import Role
from servicescore.settings import Settings

BASE = ["assignments", "create", "--shopper", "shopper", "--instrument", "guided-tour", "--wave", "2026-Q4"]


@pytest.fixture
def settings(isolated_environment: None, tmp_path: Path) -> Settings:
    settings = Settings(data_dir=tmp_path / "data")

    async def setup() -> None:
        async with database(settings):
            organisation = Organisation(slug="carl-larssons-gard", name="Carl Larssons gård")
            await organisation.save()
            await Unit(organisation=organisation.id, slug="lilla-hyttnas", name="Lilla Hyttnäs").save()
            await create_account("shopper", "correct horse battery", Role.shopper)
            await create_account("konsult", "correct horse battery", Role.consultant)

    asyncio.run(setup())
    return settings


def query(settings: Settings, select: object) -> object:
    async def run() -> object:
        async with database(settings):
            return await select  # type: ignore[misc]

    return asyncio.run(run())


def assign(*window: str, extra: tuple[str, ...] = ()) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, [*BASE, "--unit", "carl-larssons-gard/lilla-hyttnas", "--from", window[0], "--to", window[1], *extra]
    )
    return result.exit_code, result.output


def test_rotation_rule_keeps_a_shopper_away_from_a_unit(settings: Settings) -> None:
    assert assign("2026-10-01", "2026-10-08", extra=("--scenario", "Boka visningen kl. 11.")) == (
        0,
        "created assignment 1: shopper at carl-larssons-gard/lilla-hyttnas, guided-tour, 2026-Q4\n",
    )
    code, output = assign("2026-11-01", "2026-11-08")  # 24 days after the first window: inside the 90-day default
    assert code == 1
    assert "rotation rule: shopper already has assignment 1 at carl-larssons-gard/lilla-hyttnas" in output
    assert "at least 90 days" in output
    assert assign("2026-11-01", "2026-11-08", extra=("--min-days-between", "20"))[0] == 0
    rows = query(settings, Assignment.select(Assignment.scenario, Assignment.status).order_by(Assignment.id))
    assert rows == [{"scenario": "Boka visningen kl. 11.", "status": "due"}, {"scenario": "", "status": "due"}]
    events = query(settings, AuditEvent.count().where(AuditEvent.action == "assignment.created"))
    assert events == 2


def test_a_window_typed_without_a_zone_is_stockholms_time(settings: Settings) -> None:
    """As the console takes it and every page shows it: 09:00 in October is 07:00 UTC (summer time), a bare date
    its midnight in Stockholm; a time that names its zone keeps it."""
    assert assign("2026-10-05T09:00", "2026-10-06")[0] == 0
    assert assign("2027-10-05T09:00+00:00", "2027-10-06T12:00Z")[0] == 0
    select = Assignment.select(Assignment.window_start, Assignment.window_end).order_by(Assignment.id)
    rows = cast(list[dict[str, datetime]], query(settings, select))
    windows = [(row["window_start"].astimezone(UTC), row["window_end"].astimezone(UTC)) for row in rows]
    assert windows == [
        (datetime(2026, 10, 5, 7, 0, tzinfo=UTC), datetime(2026, 10, 5, 22, 0, tzinfo=UTC)),
        (datetime(2027, 10, 5, 9, 0, tzinfo=UTC), datetime(2027, 10, 6, 12, 0, tzinfo=UTC)),
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (["--shopper", "konsult"], '--shopper: "konsult" is not a mystery shopper account'),
        (["--unit", "carl-larssons-gard/verkstaden"], 'unknown unit of Carl Larssons gård "verkstaden"'),
        (["--unit", "zorngarden/hemmet"], '--unit: unknown organisation "zorngarden"; choose one of: Carl Larssons'),
        (["--instrument", "visitor-survey"], '"visitor-survey" is a survey'),
        (["--instrument", "no-such-card"], '--instrument: unknown instrument "no-such-card"; choose one of:'),
        (["--to", "2026-09-01"], "--to must be after --from"),
        (["--from", "den femte"], "must be an ISO date or time"),
    ],
)
def test_refusals_name_the_option(settings: Settings, change: list[str], message: str) -> None:
    arguments = [*BASE, "--unit", "carl-larssons-gard/lilla-hyttnas", "--from", "2026-10-01", "--to", "2026-10-08"]
    for option, value in zip(change[::2], change[1::2], strict=True):
        arguments[arguments.index(option) + 1] = value
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code != 0
    assert message in result.output
    assert query(settings, Assignment.count()) == 0


def test_demo_assignments_are_made_once_for_the_demo_shopper(settings: Settings) -> None:
    instruments = {instrument.id: instrument for instrument in load_instruments(settings.surveys_dir)}

    async def seed_twice() -> tuple[int, int, list[dict[str, object]]]:
        async with database(settings) as engine:
            first = await seed_demo_assignments(engine, instruments)
            second = await seed_demo_assignments(engine, instruments)
            rows = await Assignment.select(Assignment.unit.slug.as_alias("unit"), Assignment.window_start)
            return first, second, rows

    first, second, rows = asyncio.run(seed_twice())
    assert (first, second) == (1, 0)
    assert len(DEMO_ASSIGNMENTS) == 4
    assert [row["unit"] for row in rows] == ["lilla-hyttnas"]  # only the unit this small world has
    assert rows[0]["window_start"] == datetime(2026, 9, 30, 22, tzinfo=UTC)  # 1 October, 00:00 in Stockholm
