"""The ``servicescore`` command: one click group, each concern's commands in its own module."""

from __future__ import annotations

import click

from servicescore import __version__
from servicescore.cli.db import db
from servicescore.cli.serve import serve
from servicescore.cli.surveys import surveys
from servicescore.cli.users import users


@click.group()
@click.version_option(__version__, prog_name="servicescore")
def cli() -> None:
    """ServiceScore: surveys, mystery shopping, peer benchmarks and branded reports."""


cli.add_command(db)
cli.add_command(serve)
cli.add_command(surveys)
cli.add_command(users)


def main() -> None:
    cli()
