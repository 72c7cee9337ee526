"""``servicescore surveys import-xlsform``: an XLSForm workbook → an instrument file in ``surveys/``."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from servicescore.cli.common import Writable
from servicescore.definitions import DefinitionError, load_instrument
from servicescore.definitions.xlsform import convert_xlsform_file, instrument_yaml


@click.command("import-xlsform")
@click.argument("form", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", type=Writable(make_folders=True), required=True,
              help="The instrument file to write, e.g. surveys/visitor-survey.yaml.")  # fmt: skip
@click.option("--id", "instrument_id", help="Instrument id (default: the form's form_id, else the file name).")
@click.option("--kind", type=click.Choice(["survey", "scorecard"]), default="survey", show_default=True)
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def import_xlsform(form: Path, output: Path, instrument_id: str | None, kind: str, force: bool) -> None:
    """Convert an XLSForm (.xlsx) into an instrument file; every part not carried over is listed by sheet and row.

    Problems that stop the import (missing sheets or columns, unknown choice lists, conditions naming later
    questions, a result that fails `surveys check`) exit with status 1 and write nothing.
    """
    if output.exists() and not force:
        raise click.ClickException(f"{output} exists; choose another name or add --force to replace it")
    conversion = convert_xlsform_file(form, instrument_id=instrument_id, kind="scorecard" if kind == "scorecard"
                                      else "survey")  # fmt: skip
    for line in conversion.lines():
        click.echo(line, err=True)
    if not conversion.ok:
        click.echo(f"nothing written: {sum(p.fatal for p in conversion.problems)} problems stop the import", err=True)
        raise SystemExit(1)
    _write(output, instrument_yaml(conversion))
    try:
        instrument = load_instrument(output)
    except DefinitionError as error:  # the converter validated already; this guards the YAML round trip
        output.unlink()
        raise click.ClickException(f"the written file did not load back, so it was removed:\n{error}") from None
    items = sum(len(section.items) for section in instrument.sections)
    click.echo(
        f"wrote {output}: {instrument.kind} {instrument.id} {instrument.version}, {len(instrument.sections)} sections, "
        f"{items} items, {len(conversion.problems)} notes"
    )


def _write(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder, so a failed write never leaves half a definition."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
