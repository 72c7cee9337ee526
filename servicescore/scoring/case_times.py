"""How quickly an organisation closes the loop: hours from a response to first contact and to closing its case.

Pure Polars: a frame of cases in (``CASE_SCHEMA``), one row per organisation out. A case counts in a time only once
that moment has happened; an open case is in ``cases`` and ``overdue`` but in no median or mean.
"""

from __future__ import annotations

from datetime import datetime

import polars as pl

UTC_TIME = pl.Datetime("us", "UTC")
CASE_SCHEMA: dict[str, pl.DataType] = {
    "organisation": pl.String(),
    "opened_at": UTC_TIME,  # the response was sent and the case opened
    "due_at": UTC_TIME,
    "first_contact_at": UTC_TIME,
    "closed_at": UTC_TIME,
}
SUMMARY_COLUMNS = (
    "organisation", "cases", "open", "overdue", "contacted", "closed",
    "first_contact_median_h", "first_contact_mean_h", "close_median_h", "close_mean_h",
)  # fmt: skip


def hours_between(start: str, end: str) -> pl.Expr:
    """Hours from column ``start`` to column ``end``; null while ``end`` is."""
    return (pl.col(end) - pl.col(start)).dt.total_microseconds() / 3_600_000_000


def overdue(now: datetime) -> pl.Expr:
    """Waiting for first contact past the due time (and not closed)."""
    return pl.col("first_contact_at").is_null() & pl.col("closed_at").is_null() & (pl.col("due_at") < pl.lit(now))


def case_times(cases: pl.DataFrame, now: datetime) -> pl.DataFrame:
    """Per organisation (sorted by name): cases, open, overdue, contacted, closed, and median and mean hours to first
    contact and to closing."""
    first_contact = hours_between("opened_at", "first_contact_at")
    closing = hours_between("opened_at", "closed_at")
    return (
        cases.lazy()
        .group_by("organisation")
        .agg(
            pl.len().cast(pl.Int64).alias("cases"),
            pl.col("closed_at").is_null().sum().cast(pl.Int64).alias("open"),
            overdue(now).sum().cast(pl.Int64).alias("overdue"),
            pl.col("first_contact_at").is_not_null().sum().cast(pl.Int64).alias("contacted"),
            pl.col("closed_at").is_not_null().sum().cast(pl.Int64).alias("closed"),
            first_contact.median().alias("first_contact_median_h"),
            first_contact.mean().alias("first_contact_mean_h"),
            closing.median().alias("close_median_h"),
            closing.mean().alias("close_mean_h"),
        )
        .sort("organisation")
        .select(SUMMARY_COLUMNS)
        .collect()
    )
