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
from scoring_frames import RATING, answers, catalogue

from servicescore.scoring.drivers import drivers

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
@given(st.integers(0, 10_000), st.integers(60, 300))
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
    assert table["reason"].unique().to_list() == ["5 complete responses; at least 6 needed"]
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
