"""Two-group tests from summary statistics against scipy and statsmodels on the raw data, and Holm."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.multitest import multipletests as _multipletests
from statsmodels.stats.proportion import proportions_ztest

from servicescore.scoring.significance import Sample, holm, holm_each, nps_difference_p, two_proportion_p, welch_p


def multipletests(p: np.ndarray, method: str) -> tuple[np.ndarray, ...]:
    # statsmodels 0.15's multipletests runs gc.collect() on every call (~0.25 s with this process's heap);
    # the collection changes no result, so it is skipped to keep the test folder fast.
    with patch("gc.collect", return_value=0):
        return tuple(_multipletests(p, method=method))


FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
samples = st.lists(st.integers(1, 5), min_size=3, max_size=60)


def summary(x: np.ndarray, prefix: str) -> dict[str, float]:
    return {
        f"{prefix}n_eff": float(len(x)),
        f"{prefix}mean": float(x.mean()),
        f"{prefix}sd": float(x.std(ddof=1)),
        f"{prefix}top2_pct": float(100 * (x >= 4).mean()),
        f"{prefix}promoters_pct": float(100 * (x >= 9).mean()),
        f"{prefix}detractors_pct": float(100 * (x <= 6).mean()),
    }


def p_values(a: np.ndarray, b: np.ndarray) -> dict[str, float | None]:
    frame = pl.DataFrame([{**summary(a, "a_"), **summary(b, "b_")}])
    one, two = Sample.of("a_"), Sample.of("b_")
    return frame.select(welch=welch_p(one, two), prop=two_proportion_p(one, two), nps=nps_difference_p(one, two)).row(
        0, named=True
    )


# scipy warns when a generated sample is constant (its sd is 0); the p-value is still compared.
@pytest.mark.filterwarnings("ignore:Precision loss occurred:RuntimeWarning")
@FAST
@given(samples, samples)
def test_welch_and_two_proportion_match_scipy_and_statsmodels(a: list[int], b: list[int]) -> None:
    x, y = np.array(a, float), np.array(b, float)
    got = p_values(x, y)
    if x.std() + y.std() > 0:
        assert got["welch"] == pytest.approx(stats.ttest_ind(x, y, equal_var=False).pvalue, abs=1e-9)
    else:
        assert got["welch"] is None
    tops = [int((x >= 4).sum()), int((y >= 4).sum())]
    if 0 < sum(tops) < len(x) + len(y):
        assert got["prop"] == pytest.approx(proportions_ztest(tops, [len(x), len(y)])[1], abs=1e-9)
    else:
        assert got["prop"] is None


@FAST
@given(st.lists(st.integers(0, 10), min_size=3, max_size=60), st.lists(st.integers(0, 10), min_size=3, max_size=60))
def test_nps_difference_is_a_z_test_on_the_multinomial_variance(a: list[int], b: list[int]) -> None:
    x, y = np.array(a, float), np.array(b, float)
    got = p_values(x, y)["nps"]

    def nps_and_variance(v: np.ndarray) -> tuple[float, float]:
        p, d = (v >= 9).mean(), (v <= 6).mean()
        return p - d, (p + d - (p - d) ** 2) / len(v)

    (n1, v1), (n2, v2) = nps_and_variance(x), nps_and_variance(y)
    if v1 + v2 == 0:
        assert got is None
    else:
        assert got == pytest.approx(2 * stats.norm.sf(abs(n1 - n2) / np.sqrt(v1 + v2)), abs=1e-12)


@FAST
@given(st.lists(st.tuples(st.integers(0, 3), st.floats(0, 1), st.one_of(st.none(), st.floats(0, 1))), max_size=40))
def test_holm_matches_statsmodels_within_each_family(rows: list[tuple[int, float, float | None]]) -> None:
    frame = pl.DataFrame(rows, schema={"family": pl.Int64, "a": pl.Float64, "b": pl.Float64}, orient="row")
    adjusted = holm(frame.lazy(), ["a", "b"], ["family"]).collect()
    assert adjusted.height == frame.height
    for family in range(4):
        part = adjusted.filter(pl.col("family") == family)
        p = np.concatenate([part["a"].to_numpy(), part["b"].drop_nulls().to_numpy()])
        ours = np.concatenate([part["a_holm"].to_numpy(), part["b_holm"].drop_nulls().to_numpy()])
        if len(p):
            np.testing.assert_allclose(ours, multipletests(p, method="holm")[1], atol=1e-12)
    assert adjusted["b_holm"].null_count() == frame["b"].null_count()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.floats(0.0, 1.0), st.one_of(st.none(), st.floats(0.0, 1.0))),
        min_size=1,
        max_size=30,
    )
)
def test_holm_each_corrects_each_p_column_within_each_family(rows: list[tuple[int, float, float | None]]) -> None:
    frame = pl.DataFrame(rows, schema={"family": pl.Int64, "a": pl.Float64, "b": pl.Float64}, orient="row")
    adjusted = holm_each(frame.lazy(), ["a", "b"], ["family"]).collect()
    for _, part in adjusted.group_by("family"):
        for column in ("a", "b"):
            shown = part.filter(pl.col(column).is_not_null())
            if shown.height:
                expected = multipletests(shown[column].to_numpy(), method="holm")[1]
                np.testing.assert_allclose(shown[f"{column}_holm"].to_numpy(), expected, atol=1e-12)
    assert adjusted["b_holm"].null_count() == frame["b"].null_count()
