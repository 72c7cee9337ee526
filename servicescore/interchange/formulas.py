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
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(f"^{_TRIGGER_CLASS}"))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in strings
    )


def restore(column: pl.Expr) -> pl.Expr:
    """Undo `neutralise` on a string column read back from CSV or XLSX."""
    return pl.when(column.str.contains(f"^'{_TRIGGER_CLASS}")).then(column.str.slice(1)).otherwise(column)
