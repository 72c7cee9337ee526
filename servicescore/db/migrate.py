"""Applying the committed migrations."""

from __future__ import annotations

import contextlib
import io

from piccolo.apps.migrations.commands.base import BaseMigrationManager
from piccolo.apps.migrations.commands.forwards import ForwardsMigrationManager
from piccolo.apps.migrations.tables import Migration

APP_NAME = "servicescore"


class MigrationFailed(Exception):
    pass


async def pending_migrations() -> list[str]:
    manager = BaseMigrationManager()
    await manager.create_migration_table()
    app_config = manager.get_app_config(app_name=APP_NAME)
    known = manager.get_migration_ids(manager.get_migration_modules(app_config.resolved_migrations_folder_path))
    done = set(await Migration.get_migrations_which_ran(app_name=APP_NAME))
    return [migration_id for migration_id in known if migration_id not in done]


async def migrate() -> list[str]:
    """Apply every pending migration of the bound engine; returns the ids applied."""
    pending = await pending_migrations()
    if not pending:
        return []
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        try:
            result = await ForwardsMigrationManager(app_name=APP_NAME).run()
        except Exception as error:  # the driver's own errors (syntax, permissions) end as one line for the user
            raise MigrationFailed(f"migration failed: {type(error).__name__}: {error}") from error
    if not result.success:
        raise MigrationFailed(f"{result.message}: {printed.getvalue().strip()}")
    return pending
