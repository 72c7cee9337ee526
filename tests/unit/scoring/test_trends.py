"""Trends: wave-to-wave change, a missing wave, suppressed waves, Holm across the changes of one group."""

from __future__ import annotations

import polars as pl
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

from servicescore.scoring import scores, trends
from tests.support.scoring_frames import RATING, catalogue, ratings

CAT = catalogue([{"item": "q1", **RATING}, {"item": "q2", **RATING}])


def wave(name: str, q1: list[float], q2: list[float]) -> pl.DataFrame:
    return pl.concat([ratings(q1, wave=name, item="q1"), ratings(q2, wave=name, item="q2")]).with_columns(
        response_id=pl.format("{}-{}", pl.lit(name), pl.int_range(pl.len()))
    )


def test_change_and_p_values_against_the_previous_wave() -> None:
    before, after = [3.0, 4.0, 3.0, 2.0, 3.0, 4.0], [5.0, 4.0, 5.0, 4.0, 5.0, 3.0]
    table = trends(scores(pl.concat([wave("2026-Q1", before, before), wave("2026-Q2", after, before)]), CAT))
    rows = table.filter(pl.col("wave") == "2026-Q2").collect().sort("item")
    q1, q2 = rows.row(0, named=True), rows.row(1, named=True)
    assert q1["previous_wave"] == "2026-Q1"
    assert q1["change"] == pytest.approx(100 * (sum(after) - sum(before)) / 6 / 4)
    assert q1["previous_p"] == pytest.approx(stats.ttest_ind(after, before, equal_var=False).pvalue)
    top_p = proportions_ztest([5, 2], [6, 6])[1]
    assert q1["previous_top2_p"] == pytest.approx(top_p)
    assert q2["change"] == 0.0
    # Family: one measure's changes of this group in this wave, across both items (mean tests apart from
    # top-2-box tests). The primary (Welch) test decides `significant`.
    holm = multipletests([q1["previous_p"], q2["previous_p"]], method="holm")[1]
    assert [q1["previous_p_holm"], q2["previous_p_holm"]] == pytest.approx(list(holm))
    top_holm = multipletests([q1["previous_top2_p"], q2["previous_top2_p"]], method="holm")[1]
    assert [q1["previous_top2_p_holm"], q2["previous_top2_p_holm"]] == pytest.approx(list(top_holm))
    assert q1["significant"] is bool(holm[0] < 0.05)
    first = table.filter(pl.col("wave") == "2026-Q1").collect()
    assert first["previous_wave"].null_count() == 2


def test_a_missing_or_suppressed_wave_is_skipped_and_named() -> None:
    five = [4.0, 4.0, 5.0, 3.0, 4.0]
    frames = [wave("2025-Q3", five, five), wave("2025-Q4", five[:3], five[:3]), wave("2026-Q2", five, five)]
    table = trends(scores(pl.concat(frames), CAT)).filter(pl.col("item") == "q1").collect().sort("wave")
    assert table["wave"].to_list() == ["2025-Q3", "2025-Q4", "2026-Q2"]
    # 2025-Q4 is suppressed (n = 3) and 2026-Q1 absent: 2026-Q2 is compared with 2025-Q3.
    assert table["previous_wave"].to_list() == [None, None, "2025-Q3"]
    assert table["change"].to_list() == [None, None, 0.0]


def test_each_group_is_compared_with_its_own_previous_wave() -> None:
    # Items and waves interleaved on purpose: a wrong row lookup would pair q2 with q1's earlier wave.
    q1_before, q2_before = [1.0, 2.0, 1.0, 2.0, 1.0], [5.0, 4.0, 5.0, 4.0, 5.0]
    q1_after, q2_after = [2.0, 2.0, 2.0, 2.0, 2.0], [4.0, 4.0, 4.0, 4.0, 4.0]
    frame = pl.concat([wave("2026-Q2", q1_after, q2_after), wave("2026-Q1", q1_before, q2_before)])
    table = trends(scores(frame, CAT)).filter(pl.col("wave") == "2026-Q2").collect().sort("item")
    assert table["previous_index"].to_list() == [pytest.approx(10.0), pytest.approx(90.0)]
    assert table["change"].to_list() == [pytest.approx(15.0), pytest.approx(-15.0)]
