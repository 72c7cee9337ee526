"""``servicescore surveys``: check instrument files and print the definition format's JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import click

from servicescore.cli.xlsform import import_xlsform
from servicescore.definitions import inspect_paths, json_schema
from servicescore.instrument_folders import instrument_folders
from servicescore.settings import get_settings


@click.group()
def surveys() -> None:
    """Survey and scorecard definitions."""


@surveys.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def check(paths: tuple[Path, ...]) -> None:
    """Check instrument files (default: the surveys folder); every problem as `file: path: message`."""
    instruments, problems = inspect_paths(list(paths) or instrument_folders(get_settings()))
    for line in problems:
        click.echo(line, err=True)
    if problems:
        raise SystemExit(1)
    listed = ", ".join(f"{instrument.id} {instrument.version}" for instrument in instruments)
    click.echo(f"ok: {len(instruments)} instruments ({listed})")


@surveys.command()
def schema() -> None:
    """Print the JSON Schema of the instrument definition format."""
    click.echo(json.dumps(json_schema(), indent=2, ensure_ascii=False))


surveys.add_command(import_xlsform)
