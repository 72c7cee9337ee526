"""`servicescore export answers`: counted answers as a long answer file, the same columns the import reads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import polars as pl

from servicescore.cli.common import Writable, ready, stored_instrument
from servicescore.interchange import FORMATS
from servicescore.interchange.writing import is_weighted, write_answer_parts
from servicescore.interchange.xlsx import MAX_ROWS
from servicescore.settings import get_settings


@click.group()
def export() -> None:
    """Export data."""


@export.command("answers")
@click.option("--instrument", help="Only this instrument (default: every instrument).")
@click.option("--wave", "waves", multiple=True, help="Only this wave; repeat for several.")
@click.option("--format", "file_format", type=click.Choice(FORMATS), help="Default: from the file name.")
@click.option("-o", "--output", type=Writable(), required=True)
def export_answers(instrument: str | None, waves: tuple[str, ...], file_format: str | None, output: Path) -> None:
    """Write the counted answers (complete surveys, approved visits) in the long layout: response_id, instrument,
    wave, organisation, unit, item, value, na, text, submitted_at, segment (and weight when any differs from 1).

    In CSV and XLSX, text cells that start with =, +, -, @, tab or CR get a leading ' so that a spreadsheet
    shows them instead of running them; `responses import` removes that quote again.
    """
    settings = get_settings()
    file_format = file_format or output.suffix.lower().lstrip(".")
    if file_format not in FORMATS:
        raise click.ClickException(f"give --format {'|'.join(FORMATS)} (cannot tell from {output.name!r})")
    ready(settings)
    # The scoring core and the snapshot load after the checks above.
    from servicescore.snapshot import export_batches, export_partitions, load_answers, stored_instruments
    from servicescore.snapshot import waves as answered_waves

    names = [stored_instrument(settings, instrument)] if instrument else stored_instruments(settings)
    if waves:
        present = sorted({wave for name in names for wave in answered_waves(settings, name)})
        if missing := [wave for wave in waves if wave not in present]:
            listed = ", ".join(present) or "none"
            raise click.ClickException(f"no counted answers in wave {', '.join(missing)}; waves: {listed}")
    # Partitions in the file's order (instruments, then waves, sorted), each read as the snapshot stores it: in the
    # export's order already, a batch at a time (`snapshot.export_batches`, which the web's downloads read too), so
    # memory holds a batch, not the file.
    parts = export_partitions(settings, names, waves)
    if file_format == "xlsx":
        rows = sum(load_answers(settings, name, [wave]).select(pl.len()).collect().item() for name, wave in parts)
        if rows > MAX_ROWS - 1:
            raise click.ClickException(
                f"{output}: an XLSX sheet holds at most {MAX_ROWS - 1:,} rows and this export has {rows:,} answers;"
                " choose --format csv or parquet, or fewer answers with --instrument or --wave (nothing was written)"
            )
    weighted = any(is_weighted(load_answers(settings, name, [wave])) for name, wave in parts)
    counted = [0, 0]

    def batches(part: Iterator[pl.DataFrame]) -> Iterator[pl.DataFrame]:
        last: str | None = None  # a response's rows are adjacent: count where the id changes
        for batch in part:
            ids = batch.get_column("response_id")
            counted[0] += batch.height
            counted[1] += int(ids.ne_missing(ids.shift(1, fill_value=last)).sum())
            last = ids[-1]
            yield batch

    write_answer_parts((batches(part) for part in export_batches(settings, parts)), output, file_format, weighted)
    click.echo(f"wrote {counted[0]} answers of {counted[1]} responses to {output}")
