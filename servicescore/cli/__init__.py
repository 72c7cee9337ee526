"""The ``servicescore`` command: one click group, each concern's commands in its own module."""

from __future__ import annotations

import click

from servicescore import __version__
from servicescore.cli.analytics import (
    benchmark_command,
    drivers_command,
    linkage_command,
    scores_command,
    trends_command,
)
from servicescore.cli.assignments import assignments
from servicescore.cli.collections import collections, invitations, links
from servicescore.cli.db import db
from servicescore.cli.demo import demo
from servicescore.cli.export import export
from servicescore.cli.report import report, reports
from servicescore.cli.responses import responses
from servicescore.cli.serve import serve
from servicescore.cli.surveys import surveys
from servicescore.cli.users import users


@click.group()
@click.version_option(__version__, prog_name="servicescore")
def cli() -> None:
    """ServiceScore: surveys, mystery shopping, peer benchmarks and branded reports."""


cli.add_command(assignments)
cli.add_command(db)
cli.add_command(demo)
cli.add_command(report)
cli.add_command(reports)
cli.add_command(responses)
cli.add_command(serve)
cli.add_command(surveys)
cli.add_command(users)
cli.add_command(collections)
cli.add_command(invitations)
cli.add_command(links)
for command in (export, scores_command, benchmark_command, trends_command, drivers_command, linkage_command):
    cli.add_command(command)


def main() -> None:
    cli()
