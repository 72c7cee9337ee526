"""Small inline frames for the scoring tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from servicescore.scoring.schema import ANSWER_SCHEMA, CATALOGUE_SCHEMA

RATING = {"type": "rating", "scale_min": 1.0, "scale_max": 5.0}
NPS = {"type": "nps", "scale_min": 0.0, "scale_max": 10.0}
YES_NO = {"type": "yes_no", "scale_min": 0.0, "scale_max": 1.0}


def answers(rows: Sequence[dict[str, Any]]) -> pl.DataFrame:
    """Answers in the input contract; every column not given takes a neutral default."""
    defaults: dict[str, Any] = {
        "instrument": "survey",
        "wave": "2026-Q1",
        "organisation": "Zorngården",
        "unit": "Mora",
        "segment": None,
        "section": "guide",
        "item": "q1",
        "na": False,
        "text": None,
        "submitted_at": None,
        "weight": 1.0,
    }
    filled = [{**defaults, "response_id": f"r{i}", **row} for i, row in enumerate(rows)]
    for row in filled:
        row["na"] = row["na"] or False
    return pl.DataFrame(filled, schema=ANSWER_SCHEMA)


def ratings(values: Sequence[float | None], **common: Any) -> pl.DataFrame:
    """One answer per respondent to one item; None is answered N/A."""
    return answers([{"value": v, "na": v is None, **common} for v in values])


def catalogue(items: Sequence[dict[str, Any]]) -> pl.DataFrame:
    defaults: dict[str, Any] = {
        "instrument": "survey",
        "section": "guide",
        "section_weight": 1.0,
        "item": "q1",
        "weight": 1.0,
        "points": None,
        "role": None,
        **RATING,
    }
    return pl.DataFrame([{**defaults, **item} for item in items], schema=CATALOGUE_SCHEMA)


def one_row(frame: pl.LazyFrame | pl.DataFrame) -> dict[str, Any]:
    df = frame.lazy().collect()
    assert df.height == 1, df
    return df.row(0, named=True)
