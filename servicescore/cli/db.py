from __future__ import annotations

import click

from servicescore.cli.common import run
from servicescore.db.engine import open_database
from servicescore.db.migrate import migrate
from servicescore.settings import get_settings


@click.group("db")
def db() -> None:
    """The database: migrations."""


async def _migrate(url: str) -> list[str]:
    await open_database(url)
    return await migrate()


@db.command("migrate")
def migrate_command() -> None:
    """Apply every pending migration to SERVICESCORE_DATABASE_URL (default: SQLite in the data dir)."""
    applied = run(_migrate(get_settings().database))
    click.echo(f"applied {len(applied)} migration(s)" + (f": {', '.join(applied)}" if applied else ""))
