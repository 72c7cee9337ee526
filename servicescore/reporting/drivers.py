"""Importance of items and the unit linkage, as the quadrant and mirror blocks need them.

The scoring core owns driver analysis (`scoring.drivers`) and linkage (`scoring.linkage`); until those land,
this module computes the two plain statistics the blocks print, with the same definitions: an item's
importance is the Pearson correlation, across the respondents of the peer group in the wave, between the
item and the outcome item; the linkage is Pearson r between unit indices with a Fisher-z 95 % interval.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import polars as pl

from servicescore.scoring.schema import Z95


def item_importance(
    answers: pl.DataFrame, catalogue: pl.DataFrame, instrument: str, wave: str, organisations: Sequence[str]
) -> tuple[str, pl.DataFrame] | None:
    """(outcome item, frame ``item, importance``) for the rating items of ``instrument``; None without an outcome."""
    ratings = catalogue.filter((pl.col("instrument") == instrument) & (pl.col("type") == "rating"))
    outcomes = ratings.filter(pl.col("role") == "outcome").get_column("item").to_list()
    if not outcomes:
        return None
    outcome = outcomes[0]
    drivers = [i for i in ratings.get_column("item").to_list() if i not in outcomes]
    applicable = answers.filter(
        (pl.col("wave") == wave) & pl.col("organisation").is_in(list(organisations)) & ~pl.col("na")
        & pl.col("value").is_not_null() & pl.col("item").is_in([outcome, *drivers])
    ).select("response_id", "item", "value")  # fmt: skip
    target = applicable.filter(pl.col("item") == outcome).select("response_id", outcome=pl.col("value"))
    table = (
        applicable.filter(pl.col("item") != outcome)
        .join(target, on="response_id")
        .group_by("item")
        .agg(importance=pl.corr("value", "outcome"), n=pl.len())
        .filter(pl.col("n") >= 30)
        .select("item", "importance")
    )
    return outcome, table


def unit_linkage(units: pl.DataFrame) -> dict[str, Any]:
    """Pearson r (Fisher-z 95 % interval) and Spearman rho between ``employee`` and ``customer`` unit indices."""
    n = units.height
    r = units.select(pl.corr("employee", "customer")).item()
    rho = units.select(pl.corr("employee", "customer", method="spearman")).item()
    low = high = None
    if r is not None and n > 3 and abs(r) < 1:
        z, se = math.atanh(r), 1 / math.sqrt(n - 3)
        low, high = math.tanh(z - Z95 * se), math.tanh(z + Z95 * se)
    return {"r": r, "r_low": low, "r_high": high, "rho": rho}
