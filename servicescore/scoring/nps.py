"""Net Promoter Score and its adjusted-Wald interval.

NPS = 100·(p − d) with p the share of promoters (9–10) and d the share of detractors (0–6) on the 0–10 item.
The interval is the adjusted Wald interval of a difference of two multinomial shares (Rocks 2016, "The
Net Promoter Score: adjusted-Wald confidence intervals"; after Agresti & Caffo 2000): add 3 to n and 0.75 to
promoters and to detractors, then

    p' = (P + 0.75)/(n + 3),  d' = (D + 0.75)/(n + 3),
    NPS' ± z·√((p' + d' − (p' − d')²)/(n + 3)),   both × 100.

README "Methods" golden value: 50 promoters, 30 passives, 20 detractors of 100 → NPS 30, CI [14.05113, 44.20130].
With weights, P and D are the weighted shares times Kish's effective n, and n is the effective n.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from servicescore.scoring.schema import Z95

DETRACTOR_TO: Final[float] = 6.0


def nps(promoters: pl.Expr, detractors: pl.Expr) -> pl.Expr:
    """NPS on −100…100 from the shares (0–1) of promoters and detractors."""
    return 100 * (promoters - detractors)


def _adjusted(share: pl.Expr, n: pl.Expr) -> pl.Expr:
    return (share * n + 0.75) / (n + 3)


def nps_variance(promoters: pl.Expr, detractors: pl.Expr, n: pl.Expr) -> pl.Expr:
    """Variance of p − d for shares of n respondents: (p + d − (p − d)²)/n."""
    return (promoters + detractors - (promoters - detractors) ** 2) / n


def nps_ci_low(promoters: pl.Expr, detractors: pl.Expr, n: pl.Expr) -> pl.Expr:
    # NPS cannot go below −100 or above 100; a small group's Wald interval can, so it stops there.
    return _adjusted_wald(promoters, detractors, n, -1.0).clip(-100.0, 100.0)


def nps_ci_high(promoters: pl.Expr, detractors: pl.Expr, n: pl.Expr) -> pl.Expr:
    return _adjusted_wald(promoters, detractors, n, 1.0).clip(-100.0, 100.0)


def _adjusted_wald(promoters: pl.Expr, detractors: pl.Expr, n: pl.Expr, sign: float) -> pl.Expr:
    p, d, n3 = _adjusted(promoters, n), _adjusted(detractors, n), n + 3
    return pl.when(n > 0).then(100 * ((p - d) + sign * Z95 * nps_variance(p, d, n3).sqrt()))
