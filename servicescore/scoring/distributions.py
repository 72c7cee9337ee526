"""Distribution functions Polars lacks, applied to whole columns of aggregated groups.

Polars has `erf` but no Student t; the t quantile and tail probability come from scipy, vectorised over the
(small) aggregated column with `map_batches` — one call per column of groups, never a Python call per row. scipy
loads on the first such call, not with this module: `scipy.special` takes 0.3–0.6 s to import (its array-API layer
imports every numpy submodule), which commands that never compute an interval or a p-value should not pay.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import polars as pl

from servicescore.scoring.schema import Z95


def _t_quantile_975(df: pl.Series) -> pl.Series:
    import numpy as np
    from scipy import special

    with np.errstate(invalid="ignore"):
        q = special.stdtrit(df.cast(pl.Float64).to_numpy(), 0.975)
    return pl.Series(df.name, q, dtype=pl.Float64).fill_nan(None)


def _t_sf(columns: Sequence[pl.Series]) -> pl.Series:
    import numpy as np
    from scipy import special

    t, df = (c.cast(pl.Float64).to_numpy() for c in columns)
    with np.errstate(invalid="ignore"):
        p = 2.0 * special.stdtr(df, -np.abs(t))
    return pl.Series("p", p, dtype=pl.Float64).fill_nan(None)


def t_quantile_975(df: pl.Expr) -> pl.Expr:
    """97.5 % quantile of Student's t with `df` degrees of freedom (null where df ≤ 0)."""
    return (
        pl.when(df > 0)
        .then(df)
        .otherwise(None)
        .map_batches(_t_quantile_975, return_dtype=pl.Float64, is_elementwise=True)
    )


def t_two_sided_p(t: pl.Expr, df: pl.Expr) -> pl.Expr:
    """Two-sided p-value of a t statistic."""
    return pl.map_batches([t, df], _t_sf, return_dtype=pl.Float64, is_elementwise=True)


def z_two_sided_p(z: pl.Expr) -> pl.Expr:
    """Two-sided p-value of a standard normal statistic: 2·(1 − Φ(|z|)) = erfc(|z|/√2)."""
    return (z.abs() / math.sqrt(2.0)).erfc()


__all__ = ["Z95", "t_quantile_975", "t_two_sided_p", "z_two_sided_p"]
