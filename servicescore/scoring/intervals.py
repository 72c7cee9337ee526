"""95 % intervals as Polars expressions over summary columns (README, "Methods").

- a mean: Student t, `mean ± t₀.₉₇₅(n − 1) · sd / √n`;
- a proportion (top-2-box, a yes/no item): Wilson (1927) score interval,
  `(p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n)`.

With respondent weights the `n` in these widths is Kish's effective n (see `weighting.kish_n_eff`).
"""

from __future__ import annotations

import polars as pl

from servicescore.scoring.distributions import t_quantile_975
from servicescore.scoring.schema import Z95


def t_half_width(sd: pl.Expr, n: pl.Expr) -> pl.Expr:
    """Half the width of the 95 % Student t interval of a mean; null when n < 2."""
    return pl.when(n > 1).then(t_quantile_975(n - 1) * sd / n.sqrt())


def wilson_low(p: pl.Expr, n: pl.Expr) -> pl.Expr:
    """Lower end of the 95 % Wilson interval of the proportion `p` (0–1) of `n`."""
    return _wilson(p, n, -1.0)


def wilson_high(p: pl.Expr, n: pl.Expr) -> pl.Expr:
    """Upper end of the 95 % Wilson interval of the proportion `p` (0–1) of `n`."""
    return _wilson(p, n, 1.0)


def _wilson(p: pl.Expr, n: pl.Expr, sign: float) -> pl.Expr:
    z2 = Z95 * Z95
    centre = p + z2 / (2 * n)
    half = Z95 * (p * (1 - p) / n + z2 / (4 * n * n)).sqrt()
    return pl.when(n > 0).then((centre + sign * half) / (1 + z2 / n))


def to_index(x: pl.Expr, scale_min: pl.Expr, scale_max: pl.Expr) -> pl.Expr:
    """A value on the item's scale as 0–100: `(x − min) / (max − min) × 100`; a value already on 0–100 as it is.

    Polars divides a column of several rows by a constant as a multiplication by its reciprocal, which can differ
    from the division in the last bit, and divides a column of one row exactly: `(m − 0) / 100 × 100` gave a
    section or overall score one value in a table of one group and another in a table of two. The 0–100 case is
    therefore no arithmetic at all, and item scales are columns (one min and max per row), which it divides."""
    on_index = (scale_min == 0.0) & (scale_max == 100.0)
    return pl.when(on_index).then(x).otherwise((x - scale_min) / (scale_max - scale_min) * 100)
