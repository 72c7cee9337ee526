"""Benchmarks: each organisation against its peer group, per wave (and per item or section when present).

Definitions (printed in reports):

- Peer group: the organisations sharing `peer_group` that have a shown (not suppressed) score in the same
  instrument, wave and item/section. `n_peers` counts them, the organisation itself included. With fewer than
  `min_peers` (default 5) every peer statistic is null — a smaller group would all but name its members.
- `rank`: competition ranking by index, highest first; ties share the best place and the next place is
  skipped (indices 80, 70, 70, 60 → ranks 1, 2, 2, 4; Polars `rank("min", descending=True)`).
- `percentile`: the share of the *other* organisations in the peer group with a strictly lower index, plus
  half of those with an equal index, × 100. The leader of a group without ties is at 100, the last at 0.
- `peer_mean`: the index of the pooled respondents of the *other* organisations in the peer group (each
  respondent counts once, so it is the mean the Welch test compares against). `peer_best`: the highest index
  in the peer group, the organisation included; `gap_to_best = peer_best − index` (0 for the leader).
- Significance against the peers: Welch t of this organisation's respondents against the pooled respondents
  of the others (mean/index), two-proportion z (top-2-box) and NPS z, from summary statistics
  (`significance`). Against the previous wave: as in `trends`.
- Holm family: every test reported for one organisation in one wave — across its items/sections, against the
  peers and against the previous wave, for mean, top-2-box and NPS — is corrected together, because that is
  what one client's report shows at once.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from servicescore.scoring.peers import anonymise_peers
from servicescore.scoring.significance import ALPHA, Sample, holm, nps_difference_p, two_proportion_p, welch_p
from servicescore.scoring.trends import COMPARED, PREVIOUS_TESTS, grouping_columns, with_previous_wave

DEFAULT_MIN_PEERS: Final[int] = 5
PEER_TESTS: Final[tuple[str, ...]] = ("peer_p", "peer_top2_p", "peer_nps_p")


def _others(total: pl.Expr, own: pl.Expr) -> pl.Expr:
    """The sum over the other organisations of the peer group: the group's sum minus this organisation's."""
    return total - own


def _pooled_others(window: list[str]) -> list[pl.Expr]:
    """Summary statistics of the respondents of the other shown organisations in the peer group, pooled."""
    shown = ~pl.col("suppressed")
    n = pl.when(shown).then(pl.col("n_eff"))
    first = n * pl.col("mean")
    # Σ of squares about 0 from each organisation's mean and sd: (n − 1)·sd² + n·mean².
    second = (n - 1) * pl.col("sd").fill_null(0.0) ** 2 + n * pl.col("mean") ** 2
    others_n = _others(n.sum().over(window), n)
    others_mean = _others(first.sum().over(window), first) / others_n
    others_var = (_others(second.sum().over(window), second) - others_n * others_mean**2) / (others_n - 1)

    def pooled_share(pct: str) -> pl.Expr:
        count = n * pl.col(pct) / 100
        return _others(count.sum().over(window), count) / others_n

    index_total = n * pl.col("index")
    return [
        others_n.alias("_o_n_eff"),
        others_mean.alias("_o_mean"),
        others_var.clip(lower_bound=0.0).sqrt().alias("_o_sd"),
        pooled_share("top2_pct").mul(100).alias("_o_top2_pct"),
        pooled_share("promoters_pct").mul(100).alias("_o_promoters_pct"),
        pooled_share("detractors_pct").mul(100).alias("_o_detractors_pct"),
        (_others(index_total.sum().over(window), index_total) / others_n).alias("peer_mean"),
    ]


def _ranks(window: list[str]) -> list[pl.Expr]:
    index = pl.when(~pl.col("suppressed")).then(pl.col("index"))
    n_peers = index.count().over(window)
    lower = index.rank("min").over(window) - 1
    ties = index.rank("max").over(window) - index.rank("min").over(window)
    return [
        n_peers.alias("n_peers"),
        index.rank("min", descending=True).over(window).alias("rank"),
        (100 * (lower + 0.5 * ties) / (n_peers - 1)).alias("percentile"),
        index.max().over(window).alias("peer_best"),
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
    """The benchmark table of a score table grouped by organisation (overall, section or item level).

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
    scores = scores.select(*keys, *COMPARED)
    window = [*(k for k in keys if k != "organisation"), "peer_group"]
    enough = pl.col("n_peers") >= min_peers
    peer_columns = ["rank", "percentile", "peer_mean", "peer_best", "gap_to_best", "peer_diff", *PEER_TESTS]
    me, others = Sample.of(), Sample.of("_o_")
    table = (
        scores.join(organisations.lazy().select("organisation", "peer_group"), on="organisation", how="left")
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
    table = holm(
        with_previous_wave(table, keys), [*PEER_TESTS, *PREVIOUS_TESTS], ["instrument", "wave", "organisation"]
    )
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
