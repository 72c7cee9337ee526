"""The trend chart: each point labelled in the report's number format, the axis in whole numbers."""

from __future__ import annotations

import re

import polars as pl

from servicescore import formats
from servicescore.reporting import charts


def _labels(svg: str) -> list[str]:
    return re.findall(r"<text [^>]*>([^<]*)</text>", svg)


def test_points_carry_their_values_and_the_axis_whole_numbers() -> None:
    frame = pl.DataFrame(
        {
            "wave": ["2026-Q1", "2026-Q2", "2026-Q1", "2026-Q2"],
            "series": ["Zorngården", "Zorngården", "Carl Larssons gård", "Carl Larssons gård"],
            "index": [88.9, 90.5, 47.2, None],
        }
    )
    labels = _labels(charts.trend_chart(frame, name="trend", fmt=lambda v: formats.number(v, "sv")))
    # the axis: the lowest value's ten less ten (30), the highest's plus ten (100, at most 100), and their middle
    assert labels[:3] == ["30", "65", "100"]
    assert labels[3:5] == ["2026-Q1", "2026-Q2"]
    assert sorted(labels[5:]) == ["47,2", "88,9", "90,5"]  # the missing point is neither drawn nor labelled
