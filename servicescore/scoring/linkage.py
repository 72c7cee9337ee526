"""The Satisfaction Mirror (Service Profit Chain linkage): employee and customer results per unit.

Employee-survey and customer-survey scores are aggregated to units *before* they meet: the two score tables
are joined on `(organisation, unit)`; individuals are never linked. Units suppressed in either table (too few
respondents) take no part. With fewer than `min_units` units every statistic is null and `reason` says why.

- Pearson r and Spearman ρ (ranks with ties averaged; scores compared rounded to `TIE_DECIMALS`, 6 decimals of
  the index, so units with the same answers tie) of the units' scores, over the units in (organisation, unit)
  order, so the same scores give the same bits on every run;
- 95 % intervals by Fisher's z: `tanh(atanh(r) ± 1.96·se)` with `se = 1/√(n − 3)` for Pearson and, for
  Spearman, `se = √(1.06/(n − 3))` (Fieller, Hartley & Pearson 1957, *Biometrika* 44: 470–481).
"""

from __future__ import annotations

from typing import Final

import polars as pl

from servicescore.scoring.schema import TIE_DECIMALS, Z95

DEFAULT_MIN_UNITS: Final[int] = 5
# Fisher's z needs n > 3; below that no interval exists at all.
MIN_UNITS_FLOOR: Final[int] = 4
SPEARMAN_VARIANCE: Final[float] = 1.06

Frame = pl.LazyFrame | pl.DataFrame


def fisher_interval(r: pl.Expr, n: pl.Expr, variance: float = 1.0) -> tuple[pl.Expr, pl.Expr]:
    """The 95 % Fisher-z interval of a correlation r of n pairs."""
    z, se = r.arctanh(), (variance / (n - 3)).sqrt()
    return (z - Z95 * se).tanh(), (z + Z95 * se).tanh()


def _units(scores: Frame, column: str, name: str) -> pl.LazyFrame:
    shown = ~pl.col("suppressed") if "suppressed" in scores.lazy().collect_schema() else pl.lit(True)
    return (
        scores.lazy()
        .filter(shown & pl.col(column).is_not_null())
        .select(pl.col("organisation").cast(pl.String), pl.col("unit").cast(pl.String), pl.col(column).alias(name))
    )


def linkage(
    employee_scores_by_unit: Frame,
    customer_scores_by_unit: Frame,
    min_units: int = DEFAULT_MIN_UNITS,
    column: str = "index",
) -> pl.LazyFrame:
    """One row: `n_units, pearson_r, pearson_ci_low, pearson_ci_high, spearman_r, spearman_ci_low,
    spearman_ci_high, reason` for the units present (and shown) in both score tables."""
    if min_units < MIN_UNITS_FLOOR:
        raise ValueError(f"min_units: a correlation interval needs at least {MIN_UNITS_FLOOR} units (got {min_units})")
    n = pl.col("n_units")
    enough = n >= min_units
    pearson = pl.col("pearson_r")
    spearman = pl.col("spearman_r")
    p_low, p_high = fisher_interval(pearson, n)
    s_low, s_high = fisher_interval(spearman, n, SPEARMAN_VARIANCE)
    return (
        _units(employee_scores_by_unit, column, "_employee")
        .join(_units(customer_scores_by_unit, column, "_customer"), on=["organisation", "unit"], how="inner")
        .sort("organisation", "unit")
        .select(
            pl.len().alias("n_units"),
            pl.corr("_employee", "_customer").fill_nan(None).alias("pearson_r"),
            pl.corr(pl.col("_employee").round(TIE_DECIMALS), pl.col("_customer").round(TIE_DECIMALS), method="spearman")
            .fill_nan(None)
            .alias("spearman_r"),
        )
        .select(
            n.cast(pl.Int64),
            pl.when(enough).then(pearson).alias("pearson_r"),
            pl.when(enough).then(p_low).alias("pearson_ci_low"),
            pl.when(enough).then(p_high).alias("pearson_ci_high"),
            pl.when(enough).then(spearman).alias("spearman_r"),
            pl.when(enough).then(s_low).alias("spearman_ci_low"),
            pl.when(enough).then(s_high).alias("spearman_ci_high"),
            pl.when(~enough)
            .then(pl.format("fewer than {} units have both an employee and a customer score", pl.lit(min_units)))
            .alias("reason"),
        )
    )
