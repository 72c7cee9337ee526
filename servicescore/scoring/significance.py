"""Tests of a difference between two groups from their summary statistics, and Holm's correction.

- means: Welch's t, `t = (m₁ − m₂)/√(s₁²/n₁ + s₂²/n₂)` with Welch–Satterthwaite degrees of freedom;
- top-2-box: the two-proportion z test with the pooled proportion (as statsmodels' `proportions_ztest`);
- NPS: z = (NPS₁ − NPS₂)/√(V₁ + V₂) with `V = (p + d − (p − d)²)/n` for each group's promoter and
  detractor shares (the unadjusted multinomial variance of p − d);
- several tests made together: Holm (1979) step-down, `p₍ᵢ₎' = maxⱼ≤ᵢ min(1, (m − j + 1)·p₍ⱼ₎)`, over one
  family (`holm_family`): the tests of one measure in one comparison for one group in one wave, across its items
  and sections. Trends and benchmarks share it.

Every n here is the effective n (equal to the respondent count when unweighted).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, NamedTuple

import polars as pl

from servicescore.scoring.distributions import t_two_sided_p, z_two_sided_p
from servicescore.scoring.nps import nps_variance

ALPHA: Final[float] = 0.05


class Sample(NamedTuple):
    """One side of a comparison as expressions: mean and sd on any scale, shares on 0–1, effective n."""

    n: pl.Expr
    mean: pl.Expr
    sd: pl.Expr
    top2: pl.Expr
    promoters: pl.Expr
    detractors: pl.Expr

    @classmethod
    def of(cls, prefix: str = "") -> Sample:
        """The sample a score table's columns describe (percent columns become shares)."""

        def c(name: str) -> pl.Expr:
            return pl.col(f"{prefix}{name}")

        return cls(
            c("n_eff"), c("mean"), c("sd"), c("top2_pct") / 100, c("promoters_pct") / 100, c("detractors_pct") / 100
        )


def welch_p(a: Sample, b: Sample) -> pl.Expr:
    """Two-sided p-value of Welch's t test of the means; null when a variance is missing or both are 0."""
    m1, s1, n1, m2, s2, n2 = a.mean, a.sd, a.n, b.mean, b.sd, b.n
    v1, v2 = s1**2 / n1, s2**2 / n2
    se2 = v1 + v2
    t = (m1 - m2) / se2.sqrt()
    df = se2**2 / (v1**2 / (n1 - 1) + v2**2 / (n2 - 1))
    return pl.when(se2 > 0).then(t_two_sided_p(t, df))


def two_proportion_p(a: Sample, b: Sample) -> pl.Expr:
    """Two-sided p-value of the pooled two-proportion z test of the top-2-box shares."""
    p1, n1, p2, n2 = a.top2, a.n, b.top2, b.n
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    se = (pooled * (1 - pooled) * (1 / n1 + 1 / n2)).sqrt()
    return pl.when(se > 0).then(z_two_sided_p((p1 - p2) / se))


def nps_difference_p(a: Sample, b: Sample) -> pl.Expr:
    """Two-sided p-value of the z test of NPS₁ − NPS₂."""
    prom1, det1, n1, prom2, det2, n2 = a.promoters, a.detractors, a.n, b.promoters, b.detractors, b.n
    se = (nps_variance(prom1, det1, n1) + nps_variance(prom2, det2, n2)).sqrt()
    return pl.when(se > 0).then(z_two_sided_p(((prom1 - det1) - (prom2 - det2)) / se))


def holm_family(keys: Sequence[str]) -> list[str]:
    """The rows whose tests of one p column are corrected together: one group (organisation, unit, segment) in one
    instrument and wave, across its items and sections."""
    return [k for k in keys if k not in ("item", "section")]


def holm_each(frame: pl.LazyFrame, p_columns: Sequence[str], family: Sequence[str]) -> pl.LazyFrame:
    """`holm` of each p column on its own: one family per measure and comparison (see the module docstring).

    Window expressions on the frame itself (no second pass over it to line up): the i-th smallest of a family's
    m p-values gets the multiplier m − i + 1 and a running maximum in p order makes them monotone.
    """
    adjusted = []
    for column in p_columns:
        p = pl.col(column).cast(pl.Float64)
        raw = ((p.count().over(family) - p.rank("min").over(family) + 1) * p).clip(upper_bound=1.0)
        adjusted.append(pl.when(p.is_not_null()).then(raw.cum_max().over(family, order_by=p)).alias(f"{column}_holm"))
    return frame.with_columns(adjusted)


def holm(frame: pl.LazyFrame, p_columns: Sequence[str], family: Sequence[str], suffix: str = "_holm") -> pl.LazyFrame:
    """Add `<p>_holm` for each p column: Holm-adjusted over every non-null p of those columns in each family.

    A family is the set of rows sharing the `family` columns; all the listed p columns of those rows are
    tested together (m counts them all). Null p-values are not tests and stay null.

    The p columns are exploded into one narrow long column (row by row, so the order folds back with a
    reshape). Within a family the i-th smallest of m p-values gets the multiplier m − i + 1 and a running
    maximum in p order makes the adjusted values monotone; tied p-values share the smallest rank, so they end
    up equal whatever their order, as in statsmodels. Windows, not a global sort: less memory and time.
    """
    k = len(p_columns)
    p, fam = pl.col("_p"), pl.col("_family")
    raw = ((p.count().over(fam) - p.rank("min").over(fam) + 1) * p).clip(upper_bound=1.0)
    adjusted = (
        frame.select(
            # One integer per family, so the windows partition on a number, not on several strings.
            _family=pl.struct(family).rank("dense"),
            _p=pl.concat_list(pl.col(c).cast(pl.Float64) for c in p_columns),
        )
        .explode("_p")
        .select(raw.alias("_raw"), "_p", "_family")
        .select(pl.col("_raw").cum_max().over(fam, order_by="_p").reshape((-1, k)).alias("_adj"))
        .select(pl.col("_adj").arr.get(i).alias(f"{c}{suffix}") for i, c in enumerate(p_columns))
    )
    return pl.concat([frame, adjusted], how="horizontal")
