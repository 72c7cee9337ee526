"""`calibration`: agreement between mystery shoppers (Krippendorff's α) from the calibration exercises of one or
more scorecards, and each shopper's leniency from those exercises and the scorecards' ordinary visits."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Final

import click

from servicescore.cli.common import ready, run, stored_instrument
from servicescore.db.lifecycle import database
from servicescore.results.shoppers import calibration_report
from servicescore.scoring.calibration import CalibrationTables
from servicescore.settings import Settings, get_settings

TABLES: Final[tuple[str, ...]] = ("agreement", "leniency", "left-out")


async def _tables(settings: Settings, instruments: list[str], waves: list[str]) -> CalibrationTables:
    async with database(settings):
        return await calibration_report(settings, instruments, waves or None)


def _notes(tables: CalibrationTables) -> None:
    """What the CSV table does not say goes to stderr: who was left out, why there is no leniency table."""
    for (exercise,), shoppers in tables.left_out.group_by("exercise", maintain_order=True):
        names = ", ".join(shoppers.get_column("shopper").to_list())
        click.echo(f"exercise {exercise}: answered nothing, left out: {names}", err=True)
    if tables.leniency_reason is not None:
        click.echo(f"leniency: {tables.leniency_reason}", err=True)


@click.command("calibration")
@click.option("--instrument", "instruments", required=True, multiple=True, help="A scorecard's id; repeat for several.")
@click.option("--wave", "waves", multiple=True, help="Only this wave; repeat for several (default: all).")
@click.option("--format", "table_format", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("--table", type=click.Choice(TABLES), default="agreement", show_default=True, help="The CSV table.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Default: stdout.")
def calibration(
    *, instruments: tuple[str, ...], waves: tuple[str, ...], table_format: str, table: str, output: Path | None
) -> None:
    """Krippendorff's α between the shoppers of calibration exercises per item, section and overall, with a
    bootstrap 95 % interval and its reading, and each shopper's leniency (offset in scale points, 95 % interval,
    flagged beyond ±0.5). JSON holds every table; CSV the one --table names."""
    settings = get_settings()
    ready(settings)
    chosen = list(dict.fromkeys(stored_instrument(settings, instrument) for instrument in instruments))
    tables = run(_tables(settings, chosen, list(waves)))
    if table_format == "json":
        text = json.dumps(tables.document(), ensure_ascii=False, indent=1) + "\n"
    else:
        _notes(tables)
        frame = {"agreement": tables.agreement, "leniency": tables.leniency, "left-out": tables.left_out}[table]
        text = frame.write_csv()
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
