"""Strengths and areas to improve: the one rule every summary, drivers quadrant, report and dashboard uses.

The items compared are one organisation's scored items in one wave (its shown item rows). Each is measured
against two references:

- **its own level**: `own_mean`, the mean index of the items compared. The item is above it when its 95 %
  interval lies wholly above `own_mean`, below it when the interval lies wholly below (an item without an interval,
  every answer equal, compares its index);
- **the peers**, where the peer group is shown for the item: `peer_diff` with `peer_significant` (the benchmark's
  Holm-adjusted Welch test).

`strength`: above its own level and, where peers are shown, significantly above them; `improve` (an area to
improve): below its own level and, where peers are shown, significantly below them; `level` otherwise. So no
item is both, and an area to improve scores lower than every strength on each basis: its index lies under
`own_mean` and a strength's over it, its `peer_diff` is negative and a strength's positive.
"""

from __future__ import annotations

from typing import Final

import polars as pl

STANDINGS: Final[pl.Enum] = pl.Enum(["strength", "level", "improve"])
_DECIMALS: Final[int] = 6  # compared rounded, as ranks are, so equal answers give equal verdicts


def standing(items: pl.DataFrame) -> pl.DataFrame:
    """``items`` (one organisation and wave: ``item, index, index_ci_low, index_ci_high`` and, when peers are
    compared, ``peer_diff, peer_significant``) with ``own_mean`` and ``standing`` added; items without an index
    are left out."""
    shown = items.filter(pl.col("index").is_not_null())
    for column in ("peer_diff", "peer_significant"):
        if column not in shown.columns:
            shown = shown.with_columns(pl.lit(None, pl.Float64 if column == "peer_diff" else pl.Boolean).alias(column))
    own = pl.col("index").mean().round(_DECIMALS)
    low = pl.coalesce("index_ci_low", "index").round(_DECIMALS)
    high = pl.coalesce("index_ci_high", "index").round(_DECIMALS)
    peers = pl.col("peer_diff").is_not_null()
    clear = pl.col("peer_significant").fill_null(value=False)
    above_peers = ~peers | (clear & (pl.col("peer_diff") > 0))
    below_peers = ~peers | (clear & (pl.col("peer_diff") < 0))
    return shown.with_columns(own_mean=pl.col("index").mean()).with_columns(
        standing=pl.when((low > own) & above_peers)
        .then(pl.lit("strength"))
        .when((high < own) & below_peers)
        .then(pl.lit("improve"))
        .otherwise(pl.lit("level"))
        .cast(STANDINGS)
    )
