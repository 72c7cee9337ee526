from __future__ import annotations

import click

from servicescore.cli.common import run
from servicescore.db.engine import open_database
from servicescore.db.migrate import migrate
from servicescore.db.secret_key import load_secret_key
from servicescore.settings import Settings, get_settings


@click.group("db")
def db() -> None:
    """The database: migrations."""


async def _migrate(settings: Settings) -> list[str]:
    await open_database(settings.database)
    applied = await migrate()
    await load_secret_key(settings)  # stored now, from the data dir of an installation from before if it has one
    return applied


@db.command("migrate")
def migrate_command() -> None:
    """Apply every pending migration to SERVICESCORE_DATABASE_URL (default: SQLite in the data dir)."""
    applied = run(_migrate(get_settings()))
    click.echo(f"applied {len(applied)} migration(s)" + (f": {', '.join(applied)}" if applied else ""))
