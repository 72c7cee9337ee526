"""What every command shares: settings, running a coroutine, and turning known failures into one line."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

import click

from servicescore.db.engine import DatabaseUnreachable
from servicescore.db.migrate import MigrationFailed

T = TypeVar("T")

EXIT_DATABASE = 2


class DatabaseError(click.ClickException):
    exit_code = EXIT_DATABASE


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a command's coroutine; a database that cannot be reached or migrated ends it with one line."""
    try:
        return asyncio.run(coroutine)
    except (DatabaseUnreachable, MigrationFailed) as error:
        raise DatabaseError(str(error)) from None
