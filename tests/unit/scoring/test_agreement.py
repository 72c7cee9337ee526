"""Krippendorff's α between shoppers: Krippendorff's own worked example, levels by item type, sections and overall,
the bootstrap interval, and bad input said rather than scored 0."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import krippendorff
import numpy as np
import polars as pl
import pytest

from servicescore.scoring.agreement import CALIBRATION_ANSWER_SCHEMA, ROSTER_SCHEMA, agreement, consensus, reading
from tests.support.scoring_frames import RATING, YES_NO, catalogue

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers × 12 units with
# missing values (None). His results: nominal 0.743, ordinal 0.815, interval 0.849.
KRIPPENDORFF_2011 = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}
NUMBER = {"type": "number", "scale_min": None, "scale_max": None}
CHOICE = {"type": "choice", "scale_min": None, "scale_max": None}


def calibration(rows: list[dict[str, Any]]) -> pl.DataFrame:
    defaults = {"instrument": "survey", "wave": "2026-Q1", "na": False, "text": None, "value": None}
    return pl.DataFrame([{**defaults, **row} for row in rows], schema=CALIBRATION_ANSWER_SCHEMA)


def roster_of(answers: pl.DataFrame, extra: Sequence[tuple[str, str]] = ()) -> pl.DataFrame:
    pairs = answers.select(list(ROSTER_SCHEMA)).unique()
    more = pl.DataFrame(
        [{"instrument": "survey", "wave": "2026-Q1", "exercise": e, "shopper": s} for e, s in extra],
        schema=ROSTER_SCHEMA,
    )
    return pl.concat([pairs, more])


def example_answers(item: str) -> pl.DataFrame:
    """Each of the 12 units is one exercise (one reference) that scored `item`; N/A where the observer gave none."""
    rows = []
    for shopper, values in KRIPPENDORFF_2011.items():
        for unit, value in enumerate(values, start=1):
            if item == "pick":
                rows.append({"exercise": f"e{unit:02}", "shopper": shopper, "item": item, "text": str(value)})
            else:
                rows.append({"exercise": f"e{unit:02}", "shopper": shopper, "item": item, "value": value})
            if value is None:
                rows[-1] |= {"na": True, "value": None, "text": None}
    return calibration(rows)


def item_row(table: pl.DataFrame, item: str) -> dict[str, Any]:
    rows = table.filter((pl.col("scope") == "item") & (pl.col("item") == item))
    assert rows.height == 1, rows
    return rows.row(0, named=True)


@pytest.mark.parametrize(
    ("item", "kind", "measurement", "expected"),
    [
        ("pick", CHOICE, "nominal", 0.743),
        ("rating", RATING, "ordinal", 0.815),
        ("count", NUMBER, "interval", 0.849),
    ],
)
def test_krippendorff_worked_example_at_the_level_of_the_item_type(
    item: str, kind: dict[str, Any], measurement: str, expected: float
) -> None:
    answers = example_answers(item)
    result = agreement(answers, roster_of(answers), catalogue([{"item": item, **kind}]), resamples=200)
    row = item_row(result.table, item)
    assert row["measurement"] == measurement
    assert round(row["alpha"], 3) == expected
    # 11 of 12 units have two or more values (unit 12 has only B's 3); 40 values in them; all 4 observers
    assert (row["units"], row["pairable_values"], row["shoppers"], row["exercises"]) == (11, 40, 4, 12)
    assert row["ci_low"] < row["alpha"] < row["ci_high"] <= 1.0
    assert row["reason"] is None
    assert row["reading"] == reading(row["alpha"])


def test_the_reading_bands() -> None:
    assert [reading(a) for a in (None, 0.8, 0.7999, 0.667, 0.6669, -0.2)] == [
        None,
        "reliable",
        "tentative",
        "tentative",
        "not reliable",
        "not reliable",
    ]


def scorecard(rng: np.random.Generator, shoppers: int, exercises: int, noise: float) -> pl.DataFrame:
    """Two sections: `tour` with two ratings and a yes/no item, `end` with one rating. Every shopper scores
    every exercise around the exercise's true value."""
    rows = []
    for e in range(exercises):
        truth = {"warmth": rng.integers(1, 6), "knowledge": rng.integers(1, 6), "end": rng.integers(1, 6)}
        on_time = rng.integers(0, 2)
        for s in range(shoppers):
            for item, true in truth.items():
                value = float(np.clip(true + round(rng.normal(0, noise)), 1, 5))
                rows.append({"exercise": f"e{e}", "shopper": f"s{s}", "item": item, "value": value})
            flipped = on_time if rng.random() > min(noise / 8, 0.5) else 1 - on_time
            rows.append({"exercise": f"e{e}", "shopper": f"s{s}", "item": "on_time", "value": float(flipped)})
    return calibration(rows)


SCORECARD = catalogue(
    [
        {"section": "tour", "item": "warmth", **RATING},
        {"section": "tour", "item": "knowledge", **RATING},
        {"section": "tour", "item": "on_time", **YES_NO},
        {"section": "end", "item": "end", **RATING},
    ]
)


def reliability_matrix(answers: pl.DataFrame, items: list[str]) -> np.ndarray:
    """Shoppers × (exercise, item) units, NaN where missing: the package's plain input, built independently."""
    wide = (
        answers.filter(pl.col("item").is_in(items))
        .with_columns(unit=pl.col("exercise") + "/" + pl.col("item"))
        .pivot(on="unit", index="shopper", values="value", sort_columns=True)
        .sort("shopper")
    )
    return wide.drop("shopper").to_numpy().astype(float)


def test_sections_and_overall_pool_items_by_level_of_measurement() -> None:
    answers = scorecard(np.random.default_rng(7), shoppers=5, exercises=4, noise=0.7)
    table = agreement(answers, roster_of(answers), SCORECARD, resamples=300).table
    keyed = {(r["scope"], r["section"], r["measurement"]): r for r in table.iter_rows(named=True)}
    expected = {
        ("section", "tour", "ordinal"): ["warmth", "knowledge"],
        ("section", "tour", "nominal"): ["on_time"],
        ("section", "end", "ordinal"): ["end"],
        ("overall", None, "ordinal"): ["warmth", "knowledge", "end"],
        ("overall", None, "nominal"): ["on_time"],
    }
    for key, items in expected.items():
        matrix = reliability_matrix(answers, items)
        alpha = krippendorff.alpha(reliability_data=matrix, level_of_measurement=key[2])
        assert keyed[key]["alpha"] == pytest.approx(alpha, abs=1e-12), key
        assert keyed[key]["units"] == 4 * len(items)
        if keyed[key]["units"] >= 10:
            assert keyed[key]["ci_low"] <= keyed[key]["alpha"] <= keyed[key]["ci_high"]
        else:
            assert keyed[key]["ci_low"] is keyed[key]["ci_high"] is None
    assert table.filter(pl.col("scope") == "item").height == 4
    assert table.get_column("scope").to_list() == ["item"] * 4 + ["section"] * 3 + ["overall"] * 2


def test_same_answers_same_bytes_and_the_seed_is_the_only_randomness() -> None:
    answers = scorecard(np.random.default_rng(3), shoppers=4, exercises=5, noise=1.0)
    first = agreement(answers, roster_of(answers), SCORECARD, resamples=200)
    again = agreement(answers.sample(fraction=1.0, shuffle=True, seed=1), roster_of(answers), SCORECARD, resamples=200)
    assert first.table.write_csv() == again.table.write_csv()
    other = agreement(answers, roster_of(answers), SCORECARD, resamples=200, seed=1).table
    assert other.get_column("alpha").to_list() == first.table.get_column("alpha").to_list()
    assert other.get_column("ci_low").to_list() != first.table.get_column("ci_low").to_list()


def test_agreement_is_high_when_shoppers_agree_and_low_when_they_guess() -> None:
    close = scorecard(np.random.default_rng(11), shoppers=6, exercises=8, noise=0.3)
    noisy = scorecard(np.random.default_rng(11), shoppers=6, exercises=8, noise=3.0)
    overall = pl.col("scope") == "overall"
    high = agreement(close, roster_of(close), SCORECARD, resamples=200).table.filter(overall)
    low = agreement(noisy, roster_of(noisy), SCORECARD, resamples=200).table.filter(overall)
    # rows: nominal (the yes/no item), then ordinal (three ratings)
    assert high.get_column("reading").to_list() == ["tentative", "reliable"]
    assert low.get_column("reading").to_list() == ["not reliable", "not reliable"]
    assert high.get_column("ci_low")[1] > 0.9
    assert low.get_column("ci_high")[1] < 0.2


def test_fewer_than_two_shoppers_have_no_alpha_and_silent_shoppers_are_listed() -> None:
    answers = calibration(
        [{"exercise": f"e{e}", "shopper": "s1", "item": "warmth", "value": float(e % 5 + 1)} for e in range(4)]
        + [{"exercise": "e0", "shopper": "s2", "item": "warmth", "na": True}]
    )
    result = agreement(answers, roster_of(answers, [("e1", "s3")]), SCORECARD, resamples=50)
    row = item_row(result.table, "warmth")
    assert row["alpha"] is None
    assert row["reason"] == "fewer than two shoppers answered: no α"
    assert (row["shoppers"], row["units"], row["pairable_values"]) == (1, 0, 0)
    # s2 answered only N/A, s3 nothing at all: both left out and named, s1 is not
    assert result.left_out.select("exercise", "shopper").rows() == [("e0", "s2"), ("e1", "s3")]


def test_an_item_every_shopper_scored_the_same_has_alpha_undefined_not_one() -> None:
    answers = calibration(
        [
            {"exercise": f"e{e}", "shopper": f"s{s}", "item": item, "value": value}
            for e in range(3)
            for s in range(3)
            for item, value in (("warmth", 4.0), ("knowledge", float(e + s % 2 + 1)))
        ]
    )
    table = agreement(answers, roster_of(answers), SCORECARD, resamples=50).table
    same = item_row(table, "warmth")
    assert same["alpha"] is None
    assert same["reason"] == "every shopper gave the same value: α undefined"
    assert same["reading"] is None
    assert item_row(table, "knowledge")["alpha"] is not None


def test_one_exercise_gives_no_item_alpha_but_a_section_alpha() -> None:
    answers = scorecard(np.random.default_rng(5), shoppers=6, exercises=1, noise=0.8)
    table = agreement(answers, roster_of(answers), SCORECARD, resamples=100).table
    item = item_row(table, "warmth")
    assert item["alpha"] is None
    assert item["reason"] == "scored on one exercise only: α needs two or more units"
    tour = table.filter((pl.col("scope") == "section") & (pl.col("section") == "tour"))
    ordinal = tour.filter(pl.col("measurement") == "ordinal").row(0, named=True)
    assert ordinal["units"] == 2
    assert math.isfinite(ordinal["alpha"])
    # two units resample into three distinct draws: no interval (it once read [-0.1, α])
    assert (ordinal["ci_low"], ordinal["ci_high"], ordinal["reason"]) == (None, None, None)


def test_text_items_and_na_answers_are_not_compared() -> None:
    answers = calibration(
        [{"exercise": "e0", "shopper": f"s{s}", "item": "notes", "text": "fine"} for s in range(3)]
        + [{"exercise": "e0", "shopper": f"s{s}", "item": "warmth", "na": True} for s in range(3)]
    )
    items = catalogue([{"item": "notes", "type": "text", "scale_min": None, "scale_max": None}, {"item": "warmth"}])
    result = agreement(answers, roster_of(answers), items, resamples=10)
    assert result.table.height == 0
    assert result.left_out.height == 3


def test_resamples_must_be_positive() -> None:
    empty = calibration([])
    with pytest.raises(ValueError, match="resamples: must be at least 1"):
        agreement(empty, roster_of(empty), SCORECARD, resamples=0)


def test_consensus_is_the_median_or_the_one_most_common_value() -> None:
    answers = calibration(
        [
            *({"shopper": s, "item": "warmth", "value": v} for s, v in zip("abcd", (2.0, 4.0, 5.0, 3.0), strict=True)),
            *({"shopper": s, "item": "on_time", "value": v} for s, v in zip("abcd", (1.0, 1.0, 0.0, 1.0), strict=True)),
            *({"shopper": s, "item": "end", "value": v} for s, v in zip("abcd", (1.0, 1.0, 0.0, 0.0), strict=True)),
            {"shopper": "a", "item": "knowledge", "na": True},
        ]
    ).drop("instrument", "wave", "exercise")
    items = catalogue(
        [
            {"item": "warmth", **RATING},
            {"item": "on_time", **YES_NO},
            {"item": "end", **YES_NO},
            {"item": "knowledge", **RATING},
        ]
    )
    table = consensus(answers, items)
    assert table.rows() == [
        ("end", None, None, 4),  # two against two: no majority
        ("on_time", 1.0, None, 4),
        ("warmth", 3.5, None, 4),
    ]
