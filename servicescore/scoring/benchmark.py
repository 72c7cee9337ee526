"""Benchmarks: each organisation (or unit) against its peer group, per wave (and per item or section when present).

Definitions (README, "Methods"):

- Peer group: the organisations sharing `peer_group` that have a shown (not suppressed) score in the same
  instrument, wave and item/section. `n_peers` counts them, the organisation itself included; it is empty for an
  organisation without a peer group. With fewer than `min_peers` (default 5) organisations every peer statistic
  is null — a smaller group would all but name its members.
- Units: a unit is (organisation, unit). When the scores are grouped by unit, a unit's peers are the shown units
  of every organisation in its organisation's peer group — the organisation's own other units included — in the
  same instrument, wave (and segment, item/section). `n_peers` then counts units, and peer statistics still
  need `min_peers` different organisations among them.
- `rank`: competition ranking by index, highest first; ties share the best place and the next place is
  skipped (indices 80, 70, 70, 60 → ranks 1, 2, 2, 4). Indices are compared rounded to `TIE_DECIMALS` (6)
  decimals, so two organisations with the same answers tie whatever the last bits of their sums.
- `percentile`: the share of the *other* members of the peer group with a strictly lower (rounded) index, plus
  half of those with an equal one, × 100. The leader of a group without ties is at 100, the last at 0.
- `peer_mean`: the index of the pooled respondents of the *other* members of the peer group — with respondent
  weights the pooled weighted mean `Σw·x / Σw` over their respondents (each group's `weight_total` times its
  mean), so it is the mean the Welch test compares against. `peer_best`: the highest index in the peer group,
  the organisation included; `gap_to_best = peer_best − index` (0 for the leader).
- Significance against the peers: Welch t of this group's respondents against the pooled respondents of the
  others (mean/index), two-proportion z (top-2-box) and NPS z, from summary statistics (`significance`), with
  Kish's effective n. Against the previous wave: exactly as in `trends`.
- Holm families: as in `trends` (`significance.holm_family`): one comparison (against the peers, or against
  the previous wave) of one measure, for one group in one wave, across its items and sections. The primary test
  of an item is Welch's on the mean: `peer_significant` and `previous_significant` read its Holm-adjusted p, so
  the same change gets the same verdict here and in `trends`.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from servicescore.scoring.peers import anonymise_peers
from servicescore.scoring.schema import TIE_DECIMALS
from servicescore.scoring.significance import (
    ALPHA,
    Sample,
    holm_each,
    holm_family,
    nps_difference_p,
    two_proportion_p,
    welch_p,
)
from servicescore.scoring.trends import COMPARED, PREVIOUS_TESTS, grouping_columns, with_previous_wave

DEFAULT_MIN_PEERS: Final[int] = 5
PEER_TESTS: Final[tuple[str, ...]] = ("peer_p", "peer_top2_p", "peer_nps_p")


def _others(x: pl.Expr, window: list[str]) -> pl.Expr:
    """The sum over the other members of the peer group: the group's sum minus this row's."""
    return x.sum().over(window) - x


def _pooled_others(window: list[str]) -> list[pl.Expr]:
    """Summary statistics of the respondents of the other shown members of the peer group, pooled.

    Each member contributes its weight total W (n when unweighted): the pooled mean is ΣW·mean/ΣW, the pooled
    Σw² is Σ W²/n_eff (so the pooled effective n is (ΣW)²/ΣW²/n_eff), and the pooled variance comes from each
    member's Σwx²/W = sd²·(n − 1)/n + mean².
    """
    shown = ~pl.col("suppressed")
    w = pl.when(shown).then(pl.col("weight_total"))
    n = pl.when(shown).then(pl.col("n").cast(pl.Float64))
    others_w, others_n = _others(w, window), _others(n, window)

    def pooled(column: str) -> pl.Expr:
        return _others(w * pl.col(column), window) / others_w

    others_mean = pooled("mean")
    second = w * (pl.col("sd").fill_null(0.0) ** 2 * (n - 1) / n + pl.col("mean") ** 2)
    others_var = (_others(second, window) / others_w - others_mean**2) * others_n / (others_n - 1)
    return [
        (others_w**2 / _others(w * w / pl.col("n_eff"), window)).alias("_o_n_eff"),
        others_mean.alias("_o_mean"),
        others_var.clip(lower_bound=0.0).sqrt().alias("_o_sd"),
        pooled("top2_pct").alias("_o_top2_pct"),
        pooled("promoters_pct").alias("_o_promoters_pct"),
        pooled("detractors_pct").alias("_o_detractors_pct"),
        pooled("index").alias("peer_mean"),
    ]


def _ranks(window: list[str]) -> list[pl.Expr]:
    shown = ~pl.col("suppressed")
    index = pl.when(shown).then(pl.col("index").round(TIE_DECIMALS))
    n_peers = index.count().over(window)
    lower = index.rank("min").over(window) - 1
    ties = index.rank("max").over(window) - index.rank("min").over(window)
    return [
        pl.when(pl.col("peer_group").is_not_null()).then(n_peers).alias("n_peers"),
        pl.when(shown).then(pl.col("organisation")).drop_nulls().n_unique().over(window).alias("_peer_organisations"),
        index.rank("min", descending=True).over(window).alias("rank"),
        (100 * (lower + 0.5 * ties) / (n_peers - 1)).alias("percentile"),
        pl.when(shown).then(pl.col("index")).max().over(window).alias("peer_best"),
    ]


def benchmark(
    scores: pl.LazyFrame | pl.DataFrame,
    organisations: pl.LazyFrame | pl.DataFrame,
    min_peers: int = DEFAULT_MIN_PEERS,
    names: bool = False,
    *,
    focus: str | None = None,
    alpha: float = ALPHA,
) -> pl.LazyFrame:
    """The benchmark table of a score table grouped by organisation or unit (overall, section or item level).

    One row per organisation × wave (× item/section): `index, rank, percentile, peer_mean, peer_best,
    gap_to_best, n_peers, peer_group`, the difference to the peers `peer_diff` with `peer_p` (Welch),
    `peer_top2_p`, `peer_nps_p`, the previous-wave comparison as in `trends`, every p with its `*_holm`
    adjustment, and `peer_significant` / `previous_significant` (Holm-adjusted Welch p < alpha).
    With `focus` set and `names` false, every other organisation is renamed "Peer A", "Peer B", ….
    """
    if min_peers < 2:
        raise ValueError(f"min_peers: a peer comparison needs at least 2 organisations (got {min_peers})")
    scores = scores.lazy()
    keys = grouping_columns(scores)
    if "organisation" not in keys:
        raise ValueError("scores: a benchmark compares organisations; group the scores by organisation")
    # Row order fixed before any window sum, so the sums (and their last bits) are the same on every run.
    scores = scores.select(*keys, *COMPARED).sort(keys, nulls_last=True)
    window = [*(k for k in keys if k not in ("organisation", "unit")), "peer_group"]
    enough = (pl.col("n_peers") >= min_peers) & (pl.col("_peer_organisations") >= min_peers)
    peer_columns = ["rank", "percentile", "peer_mean", "peer_best", "gap_to_best", "peer_diff", *PEER_TESTS]
    me, others = Sample.of(), Sample.of("_o_")
    table = (
        scores.join(
            organisations.lazy().select("organisation", "peer_group"),
            on="organisation",
            how="left",
            maintain_order="left",
        )
        .with_columns(_ranks(window) + _pooled_others(window))
        .with_columns(
            gap_to_best=pl.col("peer_best") - pl.col("index"),
            peer_diff=pl.col("index") - pl.col("peer_mean"),
            peer_p=welch_p(me, others),
            peer_top2_p=two_proportion_p(me, others),
            peer_nps_p=nps_difference_p(me, others),
        )
        .with_columns(
            # No peer group, or too small a one: no peer statistic at all.
            pl.when(enough & pl.col("peer_group").is_not_null() & ~pl.col("suppressed")).then(pl.col(c)).alias(c)
            for c in peer_columns
        )
    )
    table = holm_each(with_previous_wave(table, keys), [*PEER_TESTS, *PREVIOUS_TESTS], holm_family(keys))
    result = table.with_columns(
        peer_significant=pl.col("peer_p_holm") < alpha, previous_significant=pl.col("previous_p_holm") < alpha
    ).select(
        *keys,
        "peer_group",
        "n",
        "index",
        "rank",
        "percentile",
        "peer_mean",
        "peer_best",
        "gap_to_best",
        "n_peers",
        "peer_diff",
        *(c for t in PEER_TESTS for c in (t, f"{t}_holm")),
        "peer_significant",
        "previous_wave",
        "previous_index",
        "change",
        *(c for t in PREVIOUS_TESTS for c in (t, f"{t}_holm")),
        "previous_significant",
    )
    if focus is not None and not names:
        result = anonymise_peers(result, focus)
    return result
