"""Respondent weights: post-stratification, raking against an independent IPF, Kish's effective n."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from servicescore.scoring.weighting import kish_n_eff, poststratify, rake


def people(ages: list[str], sexes: list[str]) -> pl.DataFrame:
    return pl.DataFrame({"response_id": [f"r{i}" for i in range(len(ages))], "age": ages, "sex": sexes})


SAMPLE = people(
    ["young"] * 6 + ["old"] * 14,
    ["f", "f", "f", "f", "m", "m"] + ["f"] * 5 + ["m"] * 9,
)


def test_kish_effective_n() -> None:
    w = pl.Series([1.0, 2.0, 3.0, 4.0])
    assert kish_n_eff(w) == pytest.approx(100 / 30)
    assert pl.DataFrame({"weight": w}).select(kish_n_eff()).item() == pytest.approx(100 / 30)
    assert kish_n_eff(pl.Series([1.0] * 7)) == 7.0


def test_poststratification_matches_population_shares() -> None:
    shares = pl.DataFrame({"age": ["young", "old"], "share": [0.4, 0.6]})
    weighted = poststratify(SAMPLE, shares, by=["age"])
    assert weighted["weight"].sum() == pytest.approx(SAMPLE.height)
    by_age = weighted.group_by("age").agg(pl.col("weight").sum() / SAMPLE.height).sort("age")
    assert by_age["weight"].to_list() == pytest.approx([0.6, 0.4])
    assert weighted.filter(pl.col("age") == "young")["weight"].unique().to_list() == [pytest.approx(0.4 / 0.3)]


def test_poststratification_refuses_cells_without_a_share_or_without_people() -> None:
    with pytest.raises(ValueError, match="no share"):
        poststratify(SAMPLE, pl.DataFrame({"age": ["young"], "share": [1.0]}), by=["age"])
    with pytest.raises(ValueError, match="nobody"):
        poststratify(SAMPLE, pl.DataFrame({"age": ["young", "old", "mid"], "share": [0.3, 0.3, 0.4]}), by=["age"])


def ipf(table: np.ndarray, rows: np.ndarray, cols: np.ndarray, iterations: int = 2000) -> np.ndarray:
    """Deming & Stephan (1940) on the sample's contingency table: fitted cell totals."""
    fitted = table.astype(float).copy()
    for _ in range(iterations):
        fitted *= (rows / fitted.sum(axis=1))[:, None]
        fitted *= (cols / fitted.sum(axis=0))[None, :]
    return fitted


def test_raking_meets_both_margins_and_agrees_with_contingency_table_ipf() -> None:
    margins = {"age": {"young": 0.35, "old": 0.65}, "sex": {"f": 0.52, "m": 0.48}}
    weighted = rake(SAMPLE, margins, tol=1e-10)
    n = SAMPLE.height
    assert weighted["weight"].mean() == pytest.approx(1.0)
    for column, target in margins.items():
        got = weighted.group_by(column).agg(pl.col("weight").sum() / n)
        assert dict(got.iter_rows()) == pytest.approx(target, abs=1e-9)
    counts = np.array([[4, 2], [5, 9]])  # young f/m, old f/m
    fitted = ipf(counts, np.array([0.35, 0.65]) * n, np.array([0.52, 0.48]) * n)
    expected = fitted / counts
    cell = weighted.group_by("age", "sex").agg(pl.col("weight").first())
    lookup = {(a, s): w for a, s, w in cell.iter_rows()}
    assert lookup[("young", "f")] == pytest.approx(expected[0, 0], rel=1e-8)
    assert lookup[("old", "m")] == pytest.approx(expected[1, 1], rel=1e-8)


def test_raking_on_one_margin_is_poststratification() -> None:
    raked = rake(SAMPLE, {"age": {"young": 0.4, "old": 0.6}})
    post = poststratify(SAMPLE, pl.DataFrame({"age": ["young", "old"], "share": [0.4, 0.6]}), by=["age"])
    assert raked["weight"].to_list() == pytest.approx(post["weight"].to_list())


def test_raking_that_cannot_converge_says_so() -> None:
    # Everyone young is female: the margins below contradict each other.
    sample = people(["young", "young", "old", "old"], ["f", "f", "m", "m"])
    with pytest.raises(ValueError, match="not met"):
        rake(sample, {"age": {"young": 0.5, "old": 0.5}, "sex": {"f": 0.9, "m": 0.1}}, max_iter=50)


def test_margins_must_add_up_to_one() -> None:
    with pytest.raises(ValueError, match="add up to 1"):
        rake(SAMPLE, {"age": {"young": 0.5, "old": 0.6}})
