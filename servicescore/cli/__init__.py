"""The ``servicescore`` command: one click group, each concern's commands in its own module.

Commands are imported when they are run, not when the group is built, so `servicescore surveys check` does not
pay for loading the web framework, WeasyPrint and the scoring core (about 2.5 s together).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import click

from servicescore import __version__

# command name → "module:attribute"
COMMANDS: Mapping[str, str] = {
    "assignments": "servicescore.cli.assignments:assignments",
    "benchmark": "servicescore.cli.analytics:benchmark_command",
    "collections": "servicescore.cli.collections:collections",
    "db": "servicescore.cli.db:db",
    "demo": "servicescore.cli.demo:demo",
    "drivers": "servicescore.cli.analytics:drivers_command",
    "export": "servicescore.cli.export:export",
    "invitations": "servicescore.cli.collections:invitations",
    "linkage": "servicescore.cli.analytics:linkage_command",
    "links": "servicescore.cli.collections:links",
    "report": "servicescore.cli.report:report",
    "reports": "servicescore.cli.report:reports",
    "responses": "servicescore.cli.responses:responses",
    "scores": "servicescore.cli.analytics:scores_command",
    "serve": "servicescore.cli.serve:serve",
    "surveys": "servicescore.cli.surveys:surveys",
    "trends": "servicescore.cli.analytics:trends_command",
    "users": "servicescore.cli.users:users",
}


class LazyGroup(click.Group):
    """A group whose subcommands are named here and imported on first use (click's documented pattern)."""

    def __init__(self, *args: Any, lazy_commands: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = self.lazy_commands.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        module_name, attribute = target.split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command


@click.group(cls=LazyGroup, lazy_commands=COMMANDS)
@click.version_option(__version__, prog_name="servicescore")
def cli() -> None:
    """ServiceScore: surveys, mystery shopping, peer benchmarks and branded reports."""


def main() -> None:
    cli()
