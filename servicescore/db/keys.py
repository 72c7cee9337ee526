"""Typed access to what Piccolo makes at class creation, where the type checker cannot see it: the ``id``
primary key of a row, and the columns reached through a foreign key (``Assignment.unit.organisation.slug``)."""

from __future__ import annotations

from typing import Any

from piccolo.columns import Column, ForeignKey
from piccolo.table import Table


def row_id(row: Table) -> int:
    """The primary key of a saved row."""
    return int(getattr(row, row._meta.primary_key._meta.name))


def via(column: Column | Any) -> ForeignKey[Any]:
    """A foreign key reached through another one, typed as one, so its own columns can be named after it."""
    if not isinstance(column, ForeignKey):
        raise TypeError(f"{column!r} is not a foreign key")
    return column
