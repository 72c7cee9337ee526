"""Change from wave to wave, with the significance of each change.

The previous wave of a row is the most recent earlier wave in which the same group (every grouping column
but `wave`) has a shown score: a wave missing from the data, or suppressed for the group, is skipped and the
`previous_wave` column says which wave the change is measured against. Waves sort lexically ("2026-Q1").

Tests: Welch t for the mean (so the index) — the primary test of an item, whose Holm-adjusted p decides
`significant` — and, as secondary tests, two-proportion z for top-2-box and z for NPS (`significance`).
Holm family (`significance.holm_family`, shared with `benchmark`): the tests of one measure for one group in one
wave — every item and section of that `instrument, wave, organisation, unit, segment` together.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import polars as pl

from servicescore.scoring.schema import SCORE_STATISTICS
from servicescore.scoring.significance import (
    ALPHA,
    Sample,
    holm_each,
    holm_family,
    nps_difference_p,
    two_proportion_p,
    welch_p,
)

PREVIOUS_TESTS: Final[tuple[str, ...]] = ("previous_p", "previous_top2_p", "previous_nps_p")
_CARRIED: Final[tuple[str, ...]] = (
    "n_eff",
    "mean",
    "sd",
    "index",
    "top2_pct",
    "nps",
    "promoters_pct",
    "detractors_pct",
)


# The columns comparisons read; selecting them first lets Polars skip computing the rest (intervals, …).
COMPARED: Final[tuple[str, ...]] = ("n", "weight_total", *_CARRIED, "suppressed")


def grouping_columns(scores: pl.LazyFrame) -> list[str]:
    """The columns of a score table that name its groups (everything that is not a statistic)."""
    return [c for c in scores.collect_schema().names() if c not in SCORE_STATISTICS]


def with_previous_wave(scores: pl.LazyFrame, keys: Sequence[str]) -> pl.LazyFrame:
    """Add `previous_wave`, `previous_index`, `change` and the p-values of the change of each shown group.

    Each row finds the position of the last shown row before it in its group's wave order (one integer
    window), then the previous wave's statistics are gathered from there: no self-join, no sort of the table.
    """
    entity = [k for k in keys if k != "wave"]
    shown = ~pl.col("suppressed")
    row = pl.int_range(pl.len(), dtype=pl.Int64)
    source = pl.col("_source")
    now, before = Sample.of(), Sample.of("previous_")
    return (
        # The row number is taken over the whole table first: inside the window it would restart per group.
        scores.with_columns(_row=row)
        .with_columns(
            _source=pl.when(shown).then(
                pl.when(shown).then(pl.col("_row")).shift(1).forward_fill().over(entity, order_by="wave")
            )
        )
        .with_columns(
            pl.col("wave").gather(source).alias("previous_wave"),
            *(pl.col(c).gather(source).alias(f"previous_{c}") for c in _CARRIED),
        )
        .with_columns(
            change=pl.col("index") - pl.col("previous_index"),
            previous_p=welch_p(now, before),
            previous_top2_p=two_proportion_p(now, before),
            previous_nps_p=nps_difference_p(now, before),
        )
        .drop("_row", "_source", *(f"previous_{c}" for c in _CARRIED if c != "index"))
    )


def trends(scores: pl.LazyFrame | pl.DataFrame, alpha: float = ALPHA) -> pl.LazyFrame:
    """Each group's change from its previous wave: `*keys, previous_wave, index, previous_index, change`,
    p-values `previous_p` (Welch, mean), `previous_top2_p`, `previous_nps_p`, their `*_holm` adjustments and
    `significant` (Holm-adjusted Welch p < alpha)."""
    scores = scores.lazy()
    keys = grouping_columns(scores)
    scores = scores.select(*keys, *COMPARED)
    return (
        holm_each(with_previous_wave(scores, keys), PREVIOUS_TESTS, holm_family(keys))
        .with_columns(significant=pl.col("previous_p_holm") < alpha)
        .select(
            *keys,
            "n",
            "previous_wave",
            "index",
            "previous_index",
            "change",
            *(c for t in PREVIOUS_TESTS for c in (t, f"{t}_holm")),
            "significant",
        )
        .sort(keys, nulls_last=True)
    )
