"""`scores`, `benchmark`, `trends`, `drivers` and `linkage`: read the snapshot, call the scoring core, write a table.

Each command parses its options, reads counted answers through the snapshot (refreshed first, so never stale),
calls one scoring function and writes CSV or JSON (to stdout without -o) or Parquet (with -o).

`--min-n` defaults to the installation's `SERVICESCORE_MIN_GROUP_SIZE` and may raise it, never lower it: a lower
value is raised to the setting with a note on stderr (`results.group_minimum`). `benchmark --focus` shows what
`results.peers` lets the focus organisation see.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NamedTuple, get_args

import click
import polars as pl

from servicescore.cli.common import Writable, organisation_slug, ready, run, stored_instrument
from servicescore.results import MIN_PEERS, focus_benchmark, group_minimum, peer_minimum
from servicescore.results.viewer import label_key
from servicescore.scoring import benchmark, drivers, linkage, scores, trends
from servicescore.scoring.schema import GROUPABLE, RESPONDENT_GROUPABLE, Level
from servicescore.settings import Settings, get_settings
from servicescore.snapshot import catalogue, load_answers, peer_groups, waves

if TYPE_CHECKING:
    from servicescore.results.shoppers import Adjustment

TABLE_FORMATS: Final[tuple[str, ...]] = ("csv", "json", "parquet")
ADJUST_HELP: Final[str] = (
    "Also show each group's mean and index adjusted for mystery-shopper leniency (mean_adjusted, index_adjusted), "
    "from the scorecard's calibration exercises and visits; off by default."
)
_GROUP_ORDER: Final[tuple[str, ...]] = ("instrument", "wave", "organisation", "unit", "segment", "section", "item")


def _waves_or_exit(settings: Settings, instrument: str, wanted: tuple[str, ...]) -> list[str] | None:
    if not wanted:
        return None
    present = waves(settings, instrument)
    missing = [w for w in wanted if w not in present]
    if missing:
        raise click.ClickException(
            f'no counted answers of "{instrument}" in wave {", ".join(missing)}; waves: {", ".join(present) or "none"}'
        )
    return list(wanted)


def _by_or_exit(by: str) -> list[str]:
    columns = [c.strip() for c in by.split(",") if c.strip()]
    unknown = [c for c in columns if c not in GROUPABLE]
    if unknown:
        raise click.ClickException(f"--by: unknown column {', '.join(unknown)}; choose from {', '.join(GROUPABLE)}")
    return columns


def _item_or_exit(items: pl.DataFrame, item: str, option: str) -> str:
    known = items.get_column("item").to_list()
    if item not in known:
        raise click.ClickException(f'{option}: the instrument has no item "{item}"')
    return item


def write_table(frame: pl.DataFrame, table_format: str, output: Path | None) -> None:
    """CSV or JSON (an array of row objects) to stdout or a file; Parquet only to a file. Rows in group order."""
    keys = [c for c in _GROUP_ORDER if c in frame.columns]
    frame = frame.sort(keys, nulls_last=True, maintain_order=True) if keys else frame
    if table_format == "parquet":
        if output is None:
            raise click.ClickException("--format parquet needs -o FILE")
        frame.write_parquet(output)
    elif table_format == "json":
        text = frame.write_json()
        if output is None:
            click.echo(text)
        else:
            output.write_text(text + "\n", encoding="utf-8")
    elif output is None:
        sys.stdout.write(frame.write_csv())
    else:
        frame.write_csv(output)


def _guarded(call: Callable[[], pl.LazyFrame | pl.DataFrame]) -> pl.DataFrame:
    """The scoring core says what is wrong with its arguments in a ValueError: one line for the user."""
    try:
        return call().lazy().collect()
    except ValueError as error:
        raise click.ClickException(str(error).splitlines()[0]) from None


def minimum_group(settings: Settings, asked: int | None) -> int:
    """`--min-n` in force: the setting, or a larger value asked for; a smaller one is raised, with a note."""
    floor = settings.min_group_size
    if asked is not None and asked < floor:
        click.echo(f"note: --min-n {asked} raised to {floor}: SERVICESCORE_MIN_GROUP_SIZE is a floor", err=True)
    return group_minimum(floor, asked)


MIN_N_HELP: Final[str] = "Suppress groups under this many respondents (default and floor: SERVICESCORE_MIN_GROUP_SIZE)."


MIN_PEERS_HELP: Final[str] = (
    f"Peer statistics need this many shown organisations (default {MIN_PEERS}; with --focus never fewer)."
)


def _table_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--format", "table_format", type=click.Choice(TABLE_FORMATS), default="csv", show_default=True),
        click.option("-o", "--output", type=Writable(), help="Default: stdout."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _score_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--instrument", required=True, help="Instrument id, e.g. visitor-survey."),
        click.option("--wave", "waves_", multiple=True, help="Only this wave; repeat for several (default: all)."),
        click.option("--by", default="organisation", show_default=True, help=f"Comma list of {', '.join(GROUPABLE)}."),
        click.option("--level", type=click.Choice(get_args(Level)), default="item", show_default=True),
        click.option("--min-n", type=click.IntRange(min=1), help=MIN_N_HELP),
    ]
    for option in reversed(options):
        command = option(command)
    return _table_options(command)


class Inputs(NamedTuple):
    instrument: str
    answers: pl.LazyFrame
    items: pl.DataFrame


def _inputs(settings: Settings, given: str, wanted: tuple[str, ...], option: str = "--instrument") -> Inputs:
    """The counted answers and item catalogue of the stored instrument named `given` (id or title)."""
    ready(settings)
    instrument = stored_instrument(settings, given, option)
    answers = load_answers(settings, instrument, _waves_or_exit(settings, instrument, wanted))
    return Inputs(instrument, answers, catalogue(settings, [instrument]))


@click.command("scores")
@_score_options
@click.option("--adjust-shoppers", is_flag=True, help=ADJUST_HELP)
def scores_command(
    *,
    instrument: str,
    waves_: tuple[str, ...],
    by: str,
    level: Level,
    min_n: int | None,
    adjust_shoppers: bool,
    table_format: str,
    output: Path | None,
) -> None:
    """Score tables: n, mean, sd, t interval, index 0–100, top-2-box (Wilson), bottom-box, NPS (adjusted Wald),
    suppressed under --min-n, per instrument × wave × --by (and section or item, by --level). With
    --adjust-shoppers, a scorecard's mean and index adjusted for shopper leniency follow as two more columns."""
    settings = get_settings()
    columns = _by_or_exit(by)
    minimum = minimum_group(settings, min_n)
    instrument, answers, items = _inputs(settings, instrument, waves_)
    if not adjust_shoppers:
        write_table(_guarded(lambda: scores(answers, items, columns, level, minimum)), table_format, output)
        return
    # Imported here: the leniency model's database reads load Piccolo, which scoring alone never needs (0.5–1 s).
    from servicescore.results.shoppers import adjusted_scores

    adjustment = run(_adjustment(settings, instrument))
    if adjustment.reason is not None:
        click.echo(f"leniency: {adjustment.reason}; the adjusted columns equal the unadjusted ones", err=True)
    table = _guarded(lambda: adjusted_scores(answers, items, adjustment, by=columns, level=level, min_n=minimum))
    write_table(table, table_format, output)


async def _adjustment(settings: Settings, instrument: str) -> Adjustment:
    from servicescore.db.lifecycle import database
    from servicescore.results.shoppers import shopper_adjustment

    async with database(settings):
        return await shopper_adjustment(settings, instrument)


@click.command("benchmark")
@_score_options
@click.option("--focus", help="The organisation reported on: its own peer group only, peers as 'Peer A', ….")
@click.option("--names", is_flag=True, help="Name every organisation (for the consultant's own analysis).")
@click.option("--min-peers", type=click.IntRange(min=2), help=MIN_PEERS_HELP)
def benchmark_command(
    *,
    instrument: str,
    waves_: tuple[str, ...],
    by: str,
    level: Level,
    min_n: int | None,
    table_format: str,
    output: Path | None,
    focus: str | None,
    names: bool,
    min_peers: int | None,
) -> None:
    """Each organisation against its peer group per wave: index, rank, percentile, peer mean and best, gap to
    best, n_peers, and significance against the peers and the previous wave (Holm-corrected).

    Peers are anonymised: give --focus ORG for the table to hand that organisation (only its own peer group, only
    when the group has at least --min-peers shown organisations, the others as "Peer A", … by index), or --names
    for a table naming everyone (a consultant's working view; never hand it to a client).
    """
    settings = get_settings()
    if focus is None and not names:
        raise click.ClickException("give --focus ORG (peers anonymised) or --names (every organisation named)")
    columns = _by_or_exit(by)
    if "organisation" not in columns:
        columns.insert(0, "organisation")
    minimum = minimum_group(settings, min_n)
    anonymous = focus is not None and not names
    if anonymous and min_peers is not None and min_peers < MIN_PEERS:
        click.echo(f"note: --min-peers {min_peers} raised to {MIN_PEERS}: peers of a smaller group are not shown",
                   err=True)  # fmt: skip
    peers_needed = peer_minimum(min_peers) if anonymous else (min_peers or MIN_PEERS)
    _, answers, items = _inputs(settings, instrument, waves_)
    organisations = peer_groups(settings)
    if focus is not None:
        focus = organisation_slug(settings, focus, "--focus")
    table = _guarded(lambda: benchmark(scores(answers, items, columns, level, minimum), organisations, peers_needed,
                                       names=True))  # fmt: skip
    if anonymous:
        overall = _guarded(lambda: scores(answers, items, ["organisation"], "overall", minimum))
        key = label_key(settings)
        table = focus_benchmark(
            table, organisations, str(focus), min_n=minimum, min_peers=peers_needed, reference=overall, key=key
        )
    write_table(table, table_format, output)


@click.command("trends")
@_score_options
def trends_command(
    *,
    instrument: str,
    waves_: tuple[str, ...],
    by: str,
    level: Level,
    min_n: int | None,
    table_format: str,
    output: Path | None,
) -> None:
    """Change from each wave to the previous one with a shown score, with Welch / two-proportion / NPS tests
    (Holm-corrected)."""
    settings = get_settings()
    columns = _by_or_exit(by)
    minimum = minimum_group(settings, min_n)
    _, answers, items = _inputs(settings, instrument, waves_)
    write_table(_guarded(lambda: trends(scores(answers, items, columns, level, minimum))), table_format, output)


@click.command("drivers")
@click.option("--instrument", required=True)
@click.option("--outcome", help="The outcome item (default: the instrument's item with role outcome).")
@click.option("--wave", "waves_", multiple=True, help="Only this wave; repeat for several (default: all).")
@click.option("--by", default="", help=f"Comma list of {', '.join(RESPONDENT_GROUPABLE)} (default: all respondents).")
@click.option("--min-n", type=click.IntRange(min=1), help=MIN_N_HELP)
@_table_options
def drivers_command(
    *,
    instrument: str,
    outcome: str | None,
    waves_: tuple[str, ...],
    by: str,
    min_n: int | None,
    table_format: str,
    output: Path | None,
) -> None:
    """Key drivers of an outcome item: correlation, Johnson's relative weight with its bootstrap interval,
    importance, performance, rank and the importance–performance quadrant of every scored item that is not an
    outcome (about 10 complete responses per item are needed)."""
    settings = get_settings()
    columns = _by_or_exit(by)
    if per_answer := [column for column in columns if column not in RESPONDENT_GROUPABLE]:
        raise click.ClickException(
            f"--by {','.join(per_answer)}: a driver table compares respondents, so it groups by "
            f"{', '.join(RESPONDENT_GROUPABLE)} (a response has one of each)"
        )
    minimum = minimum_group(settings, min_n)
    instrument, answers, items = _inputs(settings, instrument, waves_)
    if outcome is None:
        outcomes = items.filter(pl.col("role") == "outcome").get_column("item").to_list()
        if not outcomes:
            raise click.ClickException(f'--outcome: "{instrument}" has no item with role outcome; name one')
        outcome = outcomes[0]
    outcome = _item_or_exit(items, outcome, "--outcome")
    write_table(_guarded(lambda: drivers(answers, items, outcome, columns, minimum)), table_format, output)


def _unit_scores(inputs: Inputs, min_n: int) -> pl.DataFrame:
    return _guarded(lambda: scores(inputs.answers, inputs.items, ["organisation", "unit"], "overall", min_n))


def _linkage_in(staff: pl.DataFrame, customers: pl.DataFrame, wave: str, min_units: int) -> pl.DataFrame:
    in_wave = pl.col("wave") == wave
    table = _guarded(lambda: linkage(staff.filter(in_wave), customers.filter(in_wave), min_units))
    return table.select(pl.lit(wave).alias("wave"), pl.all())


@click.command("linkage")
@click.option("--employee", required=True, help="The employee instrument, e.g. employee-pulse.")
@click.option("--customer", required=True, help="The customer instrument, e.g. visitor-survey.")
@click.option("--wave", "waves_", multiple=True, help="Only this wave; repeat for several (default: all shared).")
@click.option("--min-n", type=click.IntRange(min=1), help=MIN_N_HELP)
@click.option("--min-units", type=click.IntRange(min=4), default=5, show_default=True)
@_table_options
def linkage_command(
    *,
    employee: str,
    customer: str,
    waves_: tuple[str, ...],
    min_n: int | None,
    min_units: int,
    table_format: str,
    output: Path | None,
) -> None:
    """The Satisfaction Mirror: per wave, Pearson and Spearman r (Fisher-z intervals) between the employee and
    the customer overall index of the same units. Units are compared, never individuals."""
    settings = get_settings()
    minimum = minimum_group(settings, min_n)
    inputs = [_inputs(settings, employee, waves_, "--employee"), _inputs(settings, customer, waves_, "--customer")]
    staff, customers = [_unit_scores(each, minimum) for each in inputs]
    employee, customer = [each.instrument for each in inputs]
    shared = sorted(set(staff.get_column("wave")) & set(customers.get_column("wave")))
    rows = [_linkage_in(staff, customers, wave, min_units) for wave in shared]
    table = pl.concat(rows) if rows else pl.DataFrame(schema={"wave": pl.String})
    write_table(
        table.select(pl.lit(employee).alias("employee"), pl.lit(customer).alias("customer"), pl.all()),
        table_format,
        output,
    )
