"""Key drivers: pairwise correlations (scipy), Johnson's relative weights (independent SVD route, statsmodels R²),
importance shares and quadrants."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
import statsmodels.api as sm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.weightstats import DescrStatsW

from servicescore.scoring.drivers import drivers
from tests.support.scoring_frames import RATING, answers, catalogue

ITEMS = ["guide", "tempo", "shop", "cafe"]
CAT = catalogue([{"item": i, **RATING} for i in [*ITEMS, "overall"]])


def survey(seed: int, n: int, na_share: float = 0.1) -> tuple[pl.DataFrame, np.ndarray]:
    """n respondents; item scores 1–5 driven by one shared factor; N/A at random. Returns answers and the
    respondent × item matrix (NaN where N/A), the outcome last."""
    rng = np.random.default_rng(seed)
    factor = rng.normal(size=n)
    x = np.column_stack([np.clip(np.round(3 + a * factor + rng.normal(size=n)), 1, 5) for a in (1.2, 0.8, 0.3, 0.0)])
    y = np.clip(np.round(3 + x @ np.array([0.5, 0.3, 0.1, 0.05]) - 2.7 + rng.normal(0, 0.6, n)), 1, 5)
    matrix = np.column_stack([x, y]).astype(float)
    matrix[rng.random(matrix.shape) < na_share] = np.nan
    rows = [
        {"response_id": f"r{r}", "item": item, "value": None if np.isnan(v) else float(v), "na": bool(np.isnan(v))}
        for r in range(n)
        for item, v in zip([*ITEMS, "overall"], matrix[r], strict=True)
    ]
    return answers(rows), matrix


def johnson_by_svd(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Johnson (2000) as first described: standardise X = UΣVᵀ, take the orthogonal Z = UVᵀ closest to X,
    regress y on Z (β) and each X column on Z (Λ); εⱼ = Σₖ Λₖⱼ² βₖ²."""
    xs = (x - x.mean(0)) / x.std(0, ddof=1)
    ys = (y - y.mean()) / y.std(ddof=1)
    u, _, vt = np.linalg.svd(xs, full_matrices=False)
    z = np.sqrt(len(y) - 1) * (u @ vt)  # standardised, like the X columns
    beta = np.linalg.lstsq(z, ys, rcond=None)[0]
    lam = np.linalg.lstsq(z, xs, rcond=None)[0]
    return (lam**2).T @ (beta**2)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), st.integers(120, 300))  # about 10 complete responses per predictor
def test_relative_weights_and_correlations_match_independent_computations(seed: int, n: int) -> None:
    frame, matrix = survey(seed, n)
    table = drivers(frame, CAT, "overall").collect().sort("item")
    assert table["item"].to_list() == sorted(ITEMS)
    complete = matrix[~np.isnan(matrix).any(axis=1)]
    order = [ITEMS.index(i) for i in sorted(ITEMS)]
    x, y = complete[:, order], complete[:, -1]
    r_squared = sm.OLS(y, sm.add_constant(x)).fit().rsquared
    np.testing.assert_allclose(table["relative_weight"].to_numpy(), johnson_by_svd(x, y), atol=1e-10)
    assert table["relative_weight"].sum() == pytest.approx(r_squared, abs=1e-10)
    assert table["r_squared"].unique().to_list() == [pytest.approx(r_squared, abs=1e-10)]
    assert table["importance"].sum() == pytest.approx(100.0)
    assert table["n_complete"].unique().to_list() == [len(y)]
    for row, column in zip(table.iter_rows(named=True), order, strict=True):
        both = ~np.isnan(matrix[:, column]) & ~np.isnan(matrix[:, -1])
        assert row["n_pairs"] == both.sum()
        assert row["r"] == pytest.approx(stats.pearsonr(matrix[both, column], matrix[both, -1]).statistic, abs=1e-10)
        answered = matrix[~np.isnan(matrix[:, column]), column]
        assert row["performance"] == pytest.approx((answered.mean() - 1) / 4 * 100)


def test_quadrants_split_at_the_mean_importance_and_performance() -> None:
    frame, _ = survey(3, 400)
    table = drivers(frame, CAT, "overall").collect()
    mean_importance, mean_performance = table["importance"].mean(), table["performance"].mean()
    for row in table.iter_rows(named=True):
        high_i, high_p = row["importance"] >= mean_importance, row["performance"] >= mean_performance
        expected = {
            (True, True): "keep",
            (True, False): "concentrate here",
            (False, False): "low priority",
            (False, True): "possible overkill",
        }[(high_i, high_p)]
        assert row["quadrant"] == expected
    assert table.schema["quadrant"] == pl.Enum(["keep", "concentrate here", "low priority", "possible overkill"])
    # The strongest driver by construction is the guide.
    assert table.sort("importance", descending=True)["item"][0] == "guide"


def test_too_few_complete_responses_give_no_weights_and_a_reason() -> None:
    frame, _ = survey(5, 5, na_share=0.0)
    table = drivers(frame, CAT, "overall", min_n=5).collect()
    assert table["relative_weight"].null_count() == 4
    assert table["quadrant"].null_count() == 4
    assert table["reason"].unique().to_list() == [
        "5 complete responses for 4 items; a driver analysis needs about 10 per item (40)"
    ]
    # Correlations need only min_n pairs: five are shown.
    assert table["r"].null_count() < 4


def test_an_item_without_variance_is_named_as_the_reason() -> None:
    frame, _ = survey(9, 50, na_share=0.0)
    flat = frame.with_columns(value=pl.when(pl.col("item") == "cafe").then(3.0).otherwise(pl.col("value")))
    table = drivers(flat, CAT, "overall").collect()
    assert table["reason"].unique().to_list() == ["an item or the outcome has no variance"]
    assert table["relative_weight"].null_count() == 4


def test_groups_by_organisation() -> None:
    a, _ = survey(1, 80)
    b, _ = survey(2, 80)
    frame = pl.concat(
        [a, b.with_columns(organisation=pl.lit("Carl Larssons gård"), response_id="b" + pl.col("response_id"))]
    )
    table = drivers(frame, CAT, "overall", by=["organisation"]).collect()
    assert table.group_by("organisation").agg(pl.col("importance").sum())["importance"].to_list() == [
        pytest.approx(100.0),
        pytest.approx(100.0),
    ]


@pytest.mark.parametrize("column", ["item", "section"])
def test_a_driver_table_groups_respondents_only(column: str) -> None:
    """A response's predictors and outcome are one row of the regression: grouped by one of its answers' columns,
    no row would be complete (by section), or the table could not be made (by item)."""
    frame, _ = survey(1, 80)
    with pytest.raises(ValueError, match=f"drivers group respondents, by organisation, unit, segment; not by {column}"):
        drivers(frame, CAT, "overall", by=["organisation", column])


def test_no_outcome_item_is_a_predictor() -> None:
    # "recommend" is an outcome too (role outcome): it is a result, never a driver of "overall".
    frame, matrix = survey(4, 300, na_share=0.0)
    recommend = frame.filter(pl.col("item") == "overall").with_columns(item=pl.lit("recommend"))
    cat = catalogue(
        [{"item": i, **RATING} for i in ITEMS]
        + [{"item": "overall", "role": "outcome", **RATING}, {"item": "recommend", "role": "outcome", **RATING}]
    )
    table = drivers(pl.concat([frame, recommend]), cat, "overall").collect()
    assert sorted(table["item"].to_list()) == sorted(ITEMS)
    x = matrix[:, [ITEMS.index(i) for i in sorted(ITEMS)]]
    np.testing.assert_allclose(table.sort("item")["relative_weight"].to_numpy(), johnson_by_svd(x, matrix[:, -1]))


def test_about_ten_complete_responses_per_predictor_are_needed() -> None:
    few, _ = survey(6, 39, na_share=0.0)
    table = drivers(few, CAT, "overall").collect()
    assert table["relative_weight"].null_count() == 4
    assert table["reason"].unique().to_list() == [
        "39 complete responses for 4 items; a driver analysis needs about 10 per item (40)"
    ]
    enough, _ = survey(6, 40, na_share=0.0)
    assert drivers(enough, CAT, "overall").collect()["relative_weight"].null_count() == 0


def test_relative_weights_have_the_seeded_percentile_bootstrap_interval() -> None:
    frame, matrix = survey(8, 120, na_share=0.0)
    table = drivers(frame, CAT, "overall").collect().sort("item")
    in_id_order = matrix[np.argsort([f"r{i}" for i in range(len(matrix))])]  # respondents in response_id order
    x, y = in_id_order[:, [ITEMS.index(i) for i in sorted(ITEMS)]], in_id_order[:, -1]
    # Independently: resample the rows themselves (each drawn as often as the documented seeded multinomial says)
    # and recompute every relative weight by Johnson's SVD route.
    counts = np.random.default_rng(2009).multinomial(len(y), np.full(len(y), 1 / len(y)), size=1000)
    resampled = np.array([johnson_by_svd(np.repeat(x, c, axis=0), np.repeat(y, c)) for c in counts])
    low, high = np.percentile(resampled, [2.5, 97.5], axis=0)
    np.testing.assert_allclose(table["relative_weight_ci_low"].to_numpy(), low, atol=1e-10)
    np.testing.assert_allclose(table["relative_weight_ci_high"].to_numpy(), high, atol=1e-10)
    assert (table["relative_weight_ci_low"] <= table["relative_weight"]).all()
    assert (table["relative_weight"] <= table["relative_weight_ci_high"]).all()
    again = drivers(frame.sample(fraction=1.0, shuffle=True, seed=1), CAT, "overall").collect().sort("item")
    assert again.write_csv() == table.write_csv()


def test_the_order_of_drivers_is_flagged_when_intervals_overlap() -> None:
    frame, _ = survey(3, 400, na_share=0.0)
    table = drivers(frame, CAT, "overall").collect().sort("rank")
    assert table["rank"].to_list() == [1, 2, 3, 4]
    assert table["item"][0] == "guide"
    low, high = table["relative_weight_ci_low"].to_list(), table["relative_weight_ci_high"].to_list()
    for i, reliable in enumerate(table["rank_reliable"].to_list()):
        above = i == 0 or low[i - 1] > high[i]
        below = i == len(low) - 1 or high[i + 1] < low[i]
        assert reliable is (above and below)
    # Two equally strong drivers: their order is not reliable.
    rng = np.random.default_rng(12)
    a, b, c = (np.clip(np.round(3 + rng.normal(size=300)), 1, 5) for _ in range(3))
    y = np.clip(np.round(a + b + 0.2 * c - 3 + rng.normal(0, 0.7, 300)), 1, 5)
    rows = [
        {"response_id": f"r{r:03d}", "item": item, "value": float(v)}
        for r in range(300)
        for item, v in (("a", a[r]), ("b", b[r]), ("c", c[r]), ("overall", y[r]))
    ]
    cat = catalogue([{"item": i, **RATING} for i in ("a", "b", "c", "overall")])
    tied = drivers(answers(rows), cat, "overall").collect().sort("rank")
    assert tied["item"].to_list()[2] == "c"
    assert tied["rank_reliable"].to_list() == [False, False, True]


def test_an_undefined_correlation_is_empty() -> None:
    # Everybody gives "cafe" 6 on a 1–7 scale: a 0–100 score of 83.33333333333334, whose correlation with
    # anything is undefined; a float formula printed 8.9e-17 for it.
    frame, _ = survey(9, 6, na_share=0.0)
    flat = frame.with_columns(value=pl.when(pl.col("item") == "cafe").then(6.0).otherwise(pl.col("value")))
    cat = catalogue([{"item": i, **RATING} for i in ["guide", "tempo", "shop", "overall"]] + [SEVEN_POINT_CAFE])
    table = drivers(flat, cat, "overall").collect()
    assert table.filter(pl.col("item") == "cafe")["r"].to_list() == [None]
    assert table.filter(pl.col("item") != "cafe")["r"].null_count() == 0


SEVEN_POINT_CAFE = {"item": "cafe", "type": "rating", "scale_min": 1.0, "scale_max": 7.0}


def test_weighted_correlations_and_performance() -> None:
    frame, matrix = survey(10, 200, na_share=0.1)
    weights = np.random.default_rng(10).uniform(0.2, 3.0, 200)
    weighted = frame.with_columns(weight=pl.Series(np.repeat(weights, 5)))
    table = drivers(weighted, CAT, "overall").collect()
    for row in table.iter_rows(named=True):
        column = ITEMS.index(row["item"])
        answered = ~np.isnan(matrix[:, column])
        expected = np.average(matrix[answered, column], weights=weights[answered])
        assert row["performance"] == pytest.approx((expected - 1) / 4 * 100)
        both = answered & ~np.isnan(matrix[:, -1])
        pair = DescrStatsW(matrix[both][:, [column, -1]], weights=weights[both])
        assert row["r"] == pytest.approx(pair.corrcoef[0, 1], abs=1e-12)
