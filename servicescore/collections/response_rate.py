"""The response rate of a collection's e-mailed contacts per unit over time: for each day since the invitation, the
share of invited contacts who had completed the survey by then (cumulative).

Contacts are compared by their own invitation time, so a contact invited yesterday counts only on days 0 and 1: day
``d`` takes the contacts whose invitation is at least ``d`` whole days old (``invited``) and counts those among
them who completed within ``d`` whole days of it (``completed``, a completion on day 0 is one within 24 hours).
Only contacts whose invitation was sent count. Pure: a frame in, a frame out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

import polars as pl

MAX_DAYS = 14  # days since the invitation shown at most
DAY_SECONDS = 86_400
SCHEMA: Final[dict[str, pl.DataType]] = {
    "organisation": pl.String(), "unit": pl.String(), "invited_at": pl.Datetime("us", "UTC"),
    "completed_at": pl.Datetime("us", "UTC"),
}  # fmt: skip


def _whole_days(seconds: pl.Expr) -> pl.Expr:
    return (seconds // DAY_SECONDS).cast(pl.Int64)


def response_rates(contacts: pl.DataFrame, now: datetime, max_days: int = MAX_DAYS) -> pl.DataFrame:
    """``contacts`` (organisation, unit, invited_at, completed_at or null) → one row per unit and day since the
    invitation (0 … the oldest invitation's age, at most ``max_days``): organisation, unit, day, invited,
    completed, rate (per cent), sorted by organisation, unit, day."""
    days = pl.LazyFrame({"day": list(range(max_days + 1))}, schema={"day": pl.Int64})
    return (
        contacts.lazy()
        .filter(pl.col("invited_at").is_not_null())
        .select(
            "organisation",
            "unit",
            _whole_days((pl.lit(now) - pl.col("invited_at")).dt.total_seconds()).alias("age"),
            _whole_days((pl.col("completed_at") - pl.col("invited_at")).dt.total_seconds()).clip(0).alias("done"),
        )
        .join(days, how="cross")
        .filter(pl.col("day") <= pl.col("age"))
        .group_by("organisation", "unit", "day")
        .agg(invited=pl.len().cast(pl.Int64), completed=(pl.col("done") <= pl.col("day")).sum().cast(pl.Int64))
        .with_columns(rate=100 * pl.col("completed") / pl.col("invited"))
        .sort("organisation", "unit", "day")
        .collect()
    )
