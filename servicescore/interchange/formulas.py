"""Spreadsheet formula injection: a cell starting with `=`, `+`, `-`, `@`, tab or CR may run as a formula when
a CSV or XLSX file is opened. Written text cells get a leading `'`; reading removes exactly that prefix again."""

from __future__ import annotations

from typing import Final

import polars as pl

TRIGGERS: Final[str] = "=+-@\t\r"
_TRIGGER_CLASS: Final[str] = r"[=+\-@\t\r]"


def neutralise(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix `'` to every string cell that starts with a trigger; numbers, booleans and dates stay as they are."""
    strings = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    # Only the columns with a trigger are rewritten (rarely any): rewriting each string column cost more than
    # finding the triggers, which one select does for every column at once.
    found = frame.select(_starts_with_trigger(pl.col(name)).any() for name in strings).row(0) if strings else ()
    return frame.with_columns(
        pl.when(_starts_with_trigger(pl.col(name))).then(pl.lit("'") + pl.col(name)).otherwise(pl.col(name)).alias(name)
        for name, hit in zip(strings, found, strict=True)
        if hit
    )


def _starts_with_trigger(column: pl.Expr) -> pl.Expr:
    return column.str.contains(f"^{_TRIGGER_CLASS}")


def restore(column: pl.Expr) -> pl.Expr:
    """Undo `neutralise` on a string column read back from CSV or XLSX."""
    return pl.when(column.str.contains(f"^'{_TRIGGER_CLASS}")).then(column.str.slice(1)).otherwise(column)
