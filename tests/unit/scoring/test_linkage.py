"""The Satisfaction Mirror: unit-level correlations against scipy, Fisher-z intervals, too few units."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

from servicescore.scoring.linkage import linkage

FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def unit_table(values: list[float], suppressed: list[bool] | None = None) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "organisation": "Bank",
            "unit": [f"branch-{i}" for i in range(len(values))],
            "index": values,
            "suppressed": suppressed or [False] * len(values),
        }
    )


@FAST
@given(
    st.lists(st.tuples(st.floats(0, 100, allow_nan=False), st.floats(0, 100, allow_nan=False)), min_size=5, max_size=40)
)
def test_correlations_and_fisher_intervals_match_scipy(pairs: list[tuple[float, float]]) -> None:
    x, y = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
    if np.ptp(x) < 1e-6 or np.ptp(y) < 1e-6:
        return
    row = linkage(unit_table(list(x)), unit_table(list(y))).collect().row(0, named=True)
    n = len(x)
    pearson = stats.pearsonr(x, y)
    assert row["n_units"] == n
    assert row["pearson_r"] == pytest.approx(pearson.statistic, abs=1e-9)
    if abs(pearson.statistic) < 1 - 1e-9:
        ci = pearson.confidence_interval(0.95)
        assert (row["pearson_ci_low"], row["pearson_ci_high"]) == (
            pytest.approx(ci.low, abs=1e-9),
            pytest.approx(ci.high, abs=1e-9),
        )
    rho = stats.spearmanr(np.round(x, 6), np.round(y, 6)).statistic  # ties compared on 6 decimals
    if not np.isnan(rho):
        assert row["spearman_r"] == pytest.approx(rho, abs=1e-9)
    if abs(rho) < 1 - 1e-9:
        # Fieller, Hartley & Pearson (1957): se of atanh(ρ) ≈ √(1.06/(n − 3)).
        se = math.sqrt(1.06 / (n - 3))
        assert row["spearman_ci_low"] == pytest.approx(math.tanh(math.atanh(rho) - 1.959964 * se), abs=1e-6)
    assert row["reason"] is None


def test_units_are_joined_by_organisation_and_unit_and_suppressed_units_drop_out() -> None:
    employees = unit_table([60.0, 70.0, 80.0, 90.0, 50.0, 40.0], suppressed=[False] * 5 + [True])
    customers = unit_table([55.0, 65.0, 85.0, 80.0, 52.0, 99.0]).vstack(
        pl.DataFrame({"organisation": "Other", "unit": "branch-0", "index": 1.0, "suppressed": False})
    )
    row = linkage(employees, customers).collect().row(0, named=True)
    assert row["n_units"] == 5
    assert row["pearson_r"] == pytest.approx(stats.pearsonr([60, 70, 80, 90, 50], [55, 65, 85, 80, 52]).statistic)


def test_too_few_units_give_nulls_and_a_reason() -> None:
    row = linkage(unit_table([1.0, 2.0, 3.0, 4.0]), unit_table([2.0, 1.0, 4.0, 3.0])).collect().row(0, named=True)
    assert row["n_units"] == 4
    assert row["pearson_r"] is None
    assert row["spearman_ci_high"] is None
    assert "fewer than 5 units" in row["reason"]
    allowed = linkage(unit_table([1.0, 2.0, 3.0, 4.0]), unit_table([2.0, 1.0, 4.0, 3.0]), min_units=4)
    assert allowed.collect()["pearson_r"].item() == pytest.approx(0.6)


def test_min_units_cannot_go_below_four() -> None:
    with pytest.raises(ValueError, match="min_units"):
        linkage(unit_table([1.0]), unit_table([1.0]), min_units=3)


def test_units_equal_to_six_decimals_tie_in_spearman_and_order_does_not_matter() -> None:
    # Two units with the same answers whose indices differ in the last bits (as float sums in another order do).
    employee = [70.0, 70.0 + 4e-14, 55.0, 80.0, 62.5, 91.0]
    customer = [66.0, 61.0, 50.0, 75.0, 72.0, 88.0]
    row = linkage(unit_table(employee), unit_table(customer)).collect().row(0, named=True)
    tied = stats.spearmanr([70.0, 70.0, 55.0, 80.0, 62.5, 91.0], customer).statistic
    assert row["spearman_r"] == pytest.approx(tied, abs=1e-12)
    assert row["spearman_r"] != pytest.approx(stats.spearmanr(employee, customer).statistic, abs=1e-6)
    shuffled = [
        linkage(unit_table(employee).reverse(), unit_table(customer).sample(fraction=1.0, shuffle=True, seed=s))
        for s in range(5)
    ]
    assert {frame.collect().write_csv() for frame in shuffled} == {
        linkage(unit_table(employee), unit_table(customer)).collect().write_csv()
    }
