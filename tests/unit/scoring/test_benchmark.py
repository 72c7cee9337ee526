"""Benchmarks: ranks with ties, percentiles, peer statistics, the minimum peer group, anonymisation."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from servicescore.scoring import anonymise_peers, benchmark, scores, trends
from tests.support.scoring_frames import RATING, answers, catalogue, ratings

CAT = catalogue([{"item": "q1", **RATING}])


def world(values: dict[str, list[float]], wave: str = "2026-Q1") -> pl.DataFrame:
    return pl.concat([ratings(v, organisation=o, wave=wave) for o, v in values.items()]).with_columns(
        response_id=pl.format("{}-{}-{}", "organisation", "wave", pl.int_range(pl.len()))
    )


def peer_table(values: dict[str, list[float]], group: dict[str, str] | None = None, **kw: object) -> pl.DataFrame:
    orgs = pl.DataFrame(
        {"organisation": list(values), "peer_group": [(group or {}).get(o, "heritage") for o in values]}
    )
    return benchmark(scores(world(values), CAT), orgs, **kw).collect().sort("organisation")  # type: ignore[arg-type]


# Indices 100, 75, 75, 50, 25, 0 from six organisations of five respondents each.
SIX = {name: [v] * 5 for name, v in zip("ABCDEF", [5.0, 4.0, 4.0, 3.0, 2.0, 1.0], strict=True)}


def test_ties_share_the_better_competition_rank() -> None:
    table = peer_table(SIX)
    assert table["rank"].to_list() == [1, 2, 2, 4, 5, 6]
    assert table["n_peers"].to_list() == [6] * 6


def test_percentile_counts_lower_peers_and_half_the_ties() -> None:
    table = peer_table(SIX)
    # B: of the 5 others, 3 are lower and 1 is tied → (3 + 0.5)/5.
    assert table["percentile"].to_list() == pytest.approx([100.0, 70.0, 70.0, 40.0, 20.0, 0.0])


def test_peer_best_and_gap() -> None:
    table = peer_table(SIX)
    assert table["peer_best"].to_list() == [100.0] * 6
    assert table["gap_to_best"].to_list() == [0.0, 25.0, 25.0, 50.0, 75.0, 100.0]


def test_peer_mean_pools_the_other_organisations_respondents() -> None:
    rng = np.random.default_rng(7)
    values = {o: rng.integers(1, 6, size=int(rng.integers(5, 30))).astype(float).tolist() for o in "ABCDEFG"}
    table = peer_table(values)
    for row in table.iter_rows(named=True):
        own = np.array(values[row["organisation"]])
        others = np.concatenate([np.array(v) for o, v in values.items() if o != row["organisation"]])
        assert row["peer_mean"] == pytest.approx((others.mean() - 1) / 4 * 100)
        assert row["peer_p"] == pytest.approx(stats.ttest_ind(own, others, equal_var=False).pvalue, abs=1e-9)
    # Holm family: one measure of one comparison for one organisation in one wave, across its items: one item
    # here, so nothing to correct.
    first = table.row(0, named=True)
    assert (first["peer_p_holm"], first["peer_top2_p_holm"]) == pytest.approx((first["peer_p"], first["peer_top2_p"]))


def test_a_peer_group_under_five_gives_no_peer_statistics() -> None:
    four = {o: [4.0, 5.0, 3.0, 4.0, 5.0] for o in "ABCD"}
    table = peer_table(four)
    assert table["n_peers"].to_list() == [4] * 4
    for column in ("rank", "percentile", "peer_mean", "peer_best", "gap_to_best", "peer_p"):
        assert table[column].null_count() == 4, column
    assert table["index"].null_count() == 0


def test_one_organisation_alone_in_its_peer_group() -> None:
    table = peer_table(SIX, group={"A": "telecom"})
    alone = table.filter(pl.col("organisation") == "A").row(0, named=True)
    assert alone["n_peers"] == 1
    assert alone["rank"] is None
    assert alone["peer_mean"] is None
    # The other five still form a group of five, without A.
    assert table["rank"].drop_nulls().to_list() == [1, 1, 3, 4, 5]


def test_suppressed_organisations_are_not_peers() -> None:
    values = {**SIX, "G": [5.0, 5.0, 5.0, 5.0]}
    table = peer_table(values)
    g = table.filter(pl.col("organisation") == "G").row(0, named=True)
    assert g["index"] is None
    assert g["rank"] is None
    assert table["n_peers"].drop_nulls().unique().to_list() == [6]


def test_min_peers_is_configurable() -> None:
    four = {o: [v] * 5 for o, v in zip("ABCD", [5.0, 4.0, 3.0, 2.0], strict=True)}
    assert peer_table(four, min_peers=4)["rank"].to_list() == [1, 2, 3, 4]
    with pytest.raises(ValueError, match="min_peers"):
        peer_table(four, min_peers=1)


def test_previous_wave_comparison_in_the_benchmark() -> None:
    earlier = world({o: [3.0, 4.0, 3.0, 4.0, 3.0] for o in "ABCDE"}, wave="2025-Q4")
    later = world({o: [5.0, 4.0, 5.0, 4.0, 5.0] for o in "ABCDE"}, wave="2026-Q1")
    orgs = pl.DataFrame({"organisation": list("ABCDE"), "peer_group": "heritage"})
    table = benchmark(scores(pl.concat([earlier, later]), CAT), orgs).collect()
    now = table.filter(pl.col("wave") == "2026-Q1").sort("organisation").row(0, named=True)
    assert now["previous_wave"] == "2025-Q4"
    assert now["change"] == pytest.approx(100 * (4.6 - 3.4) / 4)
    expected = stats.ttest_ind([5, 4, 5, 4, 5], [3, 4, 3, 4, 3], equal_var=False).pvalue
    assert now["previous_p"] == pytest.approx(expected)


def test_anonymised_peers_keep_only_the_focus_name() -> None:
    table = peer_table(SIX).sort(["index", "organisation"], descending=[True, False])
    shown = anonymise_peers(table, focus="C").collect()
    assert shown["organisation"].to_list() == ["Peer A", "Peer B", "C", "Peer C", "Peer D", "Peer E"]
    assert anonymise_peers(table, focus="C", names=True).collect()["organisation"].to_list() == list("ABCDEF")
    via_benchmark = benchmark(
        scores(world(SIX), CAT), pl.DataFrame({"organisation": list(SIX), "peer_group": "h"}), focus="D"
    ).collect()
    assert set(via_benchmark["organisation"]) == {"D", "Peer A", "Peer B", "Peer C", "Peer D", "Peer E"}


def test_benchmark_of_overall_scores_compares_respondent_scores() -> None:
    rng = np.random.default_rng(11)
    values = {o: rng.integers(1, 6, size=12).astype(float).tolist() for o in "ABCDEF"}
    orgs = pl.DataFrame({"organisation": list(values), "peer_group": "heritage"})
    table = benchmark(scores(world(values), CAT, level="overall"), orgs).collect().sort("organisation")
    assert "item" not in table.columns
    a = (np.array(values["A"]) - 1) / 4 * 100
    others = np.concatenate([(np.array(v) - 1) / 4 * 100 for o, v in values.items() if o != "A"])
    first = table.row(0, named=True)
    assert first["index"] == pytest.approx(a.mean())
    assert first["peer_mean"] == pytest.approx(others.mean())
    assert first["peer_p"] == pytest.approx(stats.ttest_ind(a, others, equal_var=False).pvalue)
    # Top-2-box and NPS do not exist at the overall level: no such tests, and Holm counts only the one made.
    assert first["peer_top2_p"] is None
    assert first["peer_p_holm"] == pytest.approx(first["peer_p"])


def test_indices_equal_to_six_decimals_are_ties() -> None:
    # Two organisations with the same answers can differ in the last bits of their index; they still tie.
    table = peer_table(SIX).with_columns(
        index=pl.when(pl.col("organisation") == "C").then(pl.col("index") + 3e-14).otherwise(pl.col("index"))
    )
    score_like = scores(world(SIX), CAT).collect().join(table.select("organisation", "index"), on="organisation")
    score_like = score_like.drop("index").rename({"index_right": "index"})
    orgs = pl.DataFrame({"organisation": list(SIX), "peer_group": "heritage"})
    tied = benchmark(score_like, orgs).collect().sort("organisation")
    assert tied["rank"].to_list() == [1, 2, 2, 4, 5, 6]
    assert tied["percentile"].to_list() == pytest.approx([100.0, 70.0, 70.0, 40.0, 20.0, 0.0])


def test_n_peers_is_empty_without_a_peer_group() -> None:
    orgs = pl.DataFrame({"organisation": list(SIX), "peer_group": [None, None, "h", "h", "h", "h"]})
    table = benchmark(scores(world(SIX), CAT), orgs, min_peers=2).collect().sort("organisation")
    assert table["n_peers"].to_list() == [None, None, 4, 4, 4, 4]
    assert table["rank"].to_list() == [None, None, 1, 2, 3, 4]


def test_weighted_peer_mean_is_the_pooled_weighted_mean() -> None:
    rng = np.random.default_rng(3)
    frames, data = [], {}
    for o in "ABCDEF":
        x = rng.integers(1, 6, size=int(rng.integers(8, 25))).astype(float)
        w = rng.uniform(0.2, 4.0, size=len(x))
        data[o] = (x, w)
        frames.append(
            answers(
                [
                    {"organisation": o, "response_id": f"{o}{i}", "value": v, "weight": u}
                    for i, (v, u) in enumerate(zip(x, w, strict=True))
                ]
            )
        )
    orgs = pl.DataFrame({"organisation": list("ABCDEF"), "peer_group": "heritage"})
    table = benchmark(scores(pl.concat(frames), CAT), orgs).collect().sort("organisation")
    for row in table.iter_rows(named=True):
        x = np.concatenate([data[o][0] for o in data if o != row["organisation"]])
        w = np.concatenate([data[o][1] for o in data if o != row["organisation"]])
        assert row["peer_mean"] == pytest.approx((np.average(x, weights=w) - 1) / 4 * 100, abs=1e-9)
        # Welch against the pooled others, each side with its weighted mean and sd and Kish's effective n.
        own_x, own_w = data[row["organisation"]]
        welch = stats.ttest_ind_from_stats(*weighted_summary(own_x, own_w), *weighted_summary(x, w), equal_var=False)
        assert row["peer_p"] == pytest.approx(welch.pvalue, abs=1e-9)


def weighted_summary(x: np.ndarray, w: np.ndarray) -> tuple[float, float, float]:
    """Weighted mean, sd (`√(Σw(x − x̄)²/Σw · n/(n − 1))`) and Kish's effective n of one sample."""
    mean = np.average(x, weights=w)
    sd = np.sqrt(np.average((x - mean) ** 2, weights=w) * len(x) / (len(x) - 1))
    return float(mean), float(sd), float(w.sum() ** 2 / (w**2).sum())


UNITS = {
    # organisation → unit → answers; both organisations have a unit called "main".
    "A": {"main": [5.0] * 6, "north": [4.0, 5.0, 4.0, 4.0, 5.0]},
    "B": {"main": [2.0, 3.0, 2.0, 2.0, 3.0]},
    "C": {"west": [3.0, 4.0, 3.0, 4.0, 4.0]},
    "D": {"east": [1.0, 2.0, 2.0, 1.0, 2.0]},
    "E": {"south": [4.0, 4.0, 3.0, 4.0, 4.0]},
}


def unit_world() -> pl.DataFrame:
    frames = [
        ratings(v, organisation=o, unit=u).with_columns(
            response_id=pl.format("{}-{}-{}", pl.lit(o), pl.lit(u), pl.int_range(pl.len()))
        )
        for o, units in UNITS.items()
        for u, v in units.items()
    ]
    return pl.concat(frames)


def test_units_are_benchmarked_against_the_units_of_the_peer_group() -> None:
    orgs = pl.DataFrame({"organisation": list(UNITS), "peer_group": "heritage"})
    table = benchmark(scores(unit_world(), CAT, by=["organisation", "unit"]), orgs).collect()
    table = table.sort("organisation", "unit")
    assert table.select("organisation", "unit").rows() == [
        ("A", "main"),
        ("A", "north"),
        ("B", "main"),
        ("C", "west"),
        ("D", "east"),
        ("E", "south"),
    ]
    assert table["n_peers"].to_list() == [6] * 6
    assert table["rank"].to_list() == [1, 2, 5, 4, 6, 3]
    for row in table.iter_rows(named=True):
        own = np.array(UNITS[row["organisation"]][row["unit"]])
        others = np.concatenate(
            [v for o, units in UNITS.items() for u, v in units.items() if (o, u) != (row["organisation"], row["unit"])]
        )
        assert row["peer_mean"] == pytest.approx((others.mean() - 1) / 4 * 100)
        assert row["peer_p"] == pytest.approx(stats.ttest_ind(own, others, equal_var=False).pvalue, abs=1e-9)


def test_unit_peers_need_min_peers_organisations() -> None:
    # Six units, but only four organisations: under the minimum of five, no peer statistic.
    orgs = pl.DataFrame({"organisation": list(UNITS), "peer_group": ["h", "h", "h", "h", None]})
    table = benchmark(scores(unit_world(), CAT, by=["organisation", "unit"]), orgs).collect()
    assert table.filter(pl.col("peer_group") == "h")["n_peers"].to_list() == [5] * 5
    assert table["rank"].null_count() == table.height


def test_benchmark_and_trends_give_the_same_verdict_on_the_same_change() -> None:
    cat = catalogue([{"item": "q1", **RATING}, {"item": "q2", **RATING}, {"item": "q3", **RATING}])
    rng = np.random.default_rng(5)
    frames = []
    for o in "ABCDE":
        for w, shift in (("2025-Q4", 0), ("2026-Q1", 1)):
            for item in ("q1", "q2", "q3"):
                values = np.clip(rng.integers(1, 5, size=12) + shift * (item == "q1"), 1, 5).astype(float)
                frames.append(
                    ratings(values.tolist(), organisation=o, wave=w, item=item).with_columns(
                        response_id=pl.format("{}-{}-{}", pl.lit(o), pl.lit(w), pl.int_range(pl.len()))
                    )
                )
    table = scores(pl.concat(frames), cat)
    orgs = pl.DataFrame({"organisation": list("ABCDE"), "peer_group": "heritage"})
    keys = ["wave", "organisation", "item"]
    bench = benchmark(table, orgs).collect().sort(keys)
    trend = trends(table).collect().sort(keys)
    assert bench["previous_p_holm"].to_list() == trend["previous_p_holm"].to_list()
    assert bench["previous_significant"].to_list() == trend["significant"].to_list()
    # The family: one organisation's mean changes in one wave, across its three items (statsmodels).
    a = trend.filter((pl.col("organisation") == "A") & (pl.col("wave") == "2026-Q1"))
    expected = multipletests(a["previous_p"].to_list(), method="holm")[1]
    assert a["previous_p_holm"].to_list() == pytest.approx(list(expected))
