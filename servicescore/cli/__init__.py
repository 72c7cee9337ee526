"""The ``servicescore`` command: one click group, each concern's commands in its own module.

Commands are imported when they are run, not when the group is built, so `servicescore surveys check` does not
pay for loading the web framework, WeasyPrint and the scoring core (about 2.5 s together), and `servicescore --help`
lists them from `SUMMARIES` without importing any (it imported all of them, 5–7 s on a busy machine).
"""

from __future__ import annotations

import errno
import importlib
import os
from collections.abc import Mapping
from typing import Any, Final

import click

from servicescore import __version__

# Polars' allocator (jemalloc) keeps the pages it frees resident for 0.5-1.5 s (Polars' own setting). Checking an
# import of 1.1M answers frees about 300 MB just before their rows are stored: kept, they were the command's peak
# (1,030 MB against 918-937 MB given back at once). Keeping them 0.1 s saved the import 0.3-0.8 s of page faults,
# but its peak then depends on how soon jemalloc's purge thread runs: 933-955 MiB alone, 990-1,047 MiB under the
# benchmark's load (898-915 MiB given back at once), over the 1 GB goal. Only the import: every page given back is a
# page fault when memory is taken again, which made `scores` 1.2 -> 1.9 s, `export answers` 4.0 -> 5.9 s and a
# first dashboard at 1M responses 10 -> 20 s.
# Polars reads this when it is loaded, which no command does before its module is imported (`get_command`).
ALLOCATOR_SETTING: Final[tuple[str, str]] = ("_RJEM_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0")
ALLOCATOR_COMMANDS: Final[frozenset[str]] = frozenset({"responses"})
# command name → "module:attribute"
COMMANDS: Mapping[str, str] = {
    "assignments": "servicescore.cli.assignments:assignments",
    "benchmark": "servicescore.cli.analytics:benchmark_command",
    "calibration": "servicescore.cli.calibration:calibration",
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
    "worker": "servicescore.cli.worker:worker",
}

# command name → the line `servicescore --help` shows for it (its own help says more)
SUMMARIES: Mapping[str, str] = {
    "assignments": "Mystery-shopping assignments: shopper × unit × scorecard × scenario × time window.",
    "benchmark": "Each organisation against its peer group per wave, peers anonymised.",
    "calibration": "Agreement between mystery shoppers (Krippendorff's alpha) and each shopper's leniency.",
    "collections": "Open and close surveys for organisations and units in a wave.",
    "db": "The database: migrations.",
    "demo": "Create the embedded database, seed the demo world and its accounts, and serve.",
    "drivers": "Key drivers of an outcome item (Johnson's relative weights).",
    "export": "Export data.",
    "invitations": "Personal single-use survey links.",
    "linkage": "The Satisfaction Mirror: employee and customer indices of the same units.",
    "links": "List the public link of every unit in every open collection.",
    "report": "Write a branded PDF report (client, comparison, industry).",
    "reports": "Report definitions in reports/.",
    "responses": "Responses: import answer files.",
    "scores": "Score tables per instrument, wave and group.",
    "serve": "Serve the web application in one worker process.",
    "surveys": "Survey and scorecard definitions.",
    "trends": "Change from each wave to the previous one, with significance.",
    "users": "Accounts of consultants, mystery shoppers and client viewers.",
    "worker": "Run background jobs (such as report batches) from the job queue.",
}


class LazyGroup(click.Group):
    """A group whose subcommands are named here and imported on first use (click's documented pattern)."""

    def __init__(self, *args: Any, lazy_commands: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_commands})

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of ``--help`` from `SUMMARIES`: importing every command to ask took seconds."""
        rows = [(name, SUMMARIES.get(name, "")) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = self.lazy_commands.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        if cmd_name in ALLOCATOR_COMMANDS:
            # After whatever is there: jemalloc takes an option's last value, and a parent process that loaded
            # Polars hands on Polars' own defaults in this variable (the benchmark did, and its imports peaked at
            # 1,007-1,081 MiB).
            name, setting = ALLOCATOR_SETTING
            inherited = os.environ.get(name)
            os.environ[name] = f"{inherited},{setting}" if inherited else setting
        module_name, attribute = target.split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a file that cannot be read or written, or a database that cannot be reached, ends it
        with one ``Error:`` line (exit 1, or 2 for the database) instead of a traceback."""
        try:
            return super().invoke(ctx)
        except OSError as error:
            if error.errno == errno.EPIPE:
                raise  # stdout closed by the reader (`| head`): click ends quietly
            from servicescore.cli.common import failure_line

            raise click.ClickException(failure_line(error)) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # click's own ends (`--help` too): not worth importing the queue and database errors to test
        except Exception as error:
            from servicescore.cli.common import DatabaseError
            from servicescore.db.common import DatabaseUnreachable
            from servicescore.db.migrate import MigrationFailed
            from servicescore.jobs.queue import QueueUnreachable, QueueUrlError

            if isinstance(error, DatabaseUnreachable | MigrationFailed | QueueUnreachable):
                raise DatabaseError(str(error)) from None
            if isinstance(error, QueueUrlError):
                raise click.ClickException(str(error)) from None
            raise


@click.group(cls=LazyGroup, lazy_commands=COMMANDS)
@click.version_option(__version__, prog_name="servicescore")
def cli() -> None:
    """ServiceScore: surveys, mystery shopping, peer benchmarks and branded reports."""


def main() -> None:
    cli()
