"""`servicescore responses import FILE`: answer files (CSV, XLSX, Parquet; long or wide) into the database."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import click
import polars as pl

from servicescore.cli.common import instruments_or_exit, ready, run
from servicescore.db.answers_io import ImportConflict, ImportOutcome, import_answers
from servicescore.db.lifecycle import database
from servicescore.definitions import Instrument
from servicescore.interchange import Problem, load_answer_file
from servicescore.settings import Settings, get_settings


def _fail(file: Path, problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(problem.line(str(file)), err=True)
    click.echo(f"{file}: {len(problems)} problem(s); nothing was stored", err=True)
    raise SystemExit(1)


async def _store(settings: Settings, answers: pl.DataFrame, instruments: Mapping[str, Instrument]) -> ImportOutcome:
    async with database(settings):
        return await import_answers(answers, instruments)


@click.group()
def responses() -> None:
    """Responses: import answer files."""


@responses.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--instrument", help="The instrument of every row, for files without an instrument column.")
def import_file(file: Path, instrument: str | None) -> None:
    """Import answers from FILE (.csv, .xlsx or .parquet), long or wide.

    Long: one row per answer with response_id, instrument, wave, organisation, unit, item, value, na, text,
    submitted_at, segment (and optionally weight). Wide: one row per response with response_id, instrument,
    wave, organisation, unit, submitted_at, segment, then one column per item id. Every problem is reported as
    `FILE: row N: column C: message`; a file with any problem stores nothing.
    """
    settings = get_settings()
    ready(settings)  # before reading what may be a large file
    instruments = instruments_or_exit(settings)
    if instrument is not None and instrument not in instruments:
        raise click.ClickException(f'unknown instrument "{instrument}"; known: {", ".join(sorted(instruments))}')
    answers, problems = load_answer_file(file, instruments.values(), instrument)
    if not problems and answers.height == 0:
        problems = [Problem(1, "-", "the file has no answers")]
    if problems:
        _fail(file, problems)
    try:
        outcome = run(_store(settings, answers, instruments))
    except ImportConflict as conflict:
        _fail(file, [Problem(c.row, c.column, c.message) for c in conflict.conflicts])
        return
    for created in outcome.created:
        click.echo(f"created {created}")
    for response_id in outcome.skipped:
        click.echo(f"skipped response {response_id}: stored before as this file gives it")
    click.echo(f"stored {outcome.stored_responses} responses ({outcome.stored_answers} answers) from {file}")
