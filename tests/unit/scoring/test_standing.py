"""Strengths and areas to improve (`scoring.standing`) on constructed items: one rule, never a contradiction."""

from __future__ import annotations

import itertools
import random

import polars as pl

from servicescore.scoring.standing import standing


def _items(rows: list[tuple[str, float, float | None, float | None, float | None, bool | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={"item": pl.String, "index": pl.Float64, "index_ci_low": pl.Float64, "index_ci_high": pl.Float64,
                "peer_diff": pl.Float64, "peer_significant": pl.Boolean},
        orient="row",
    )  # fmt: skip


def _verdicts(table: pl.DataFrame) -> dict[str, str]:
    return dict(table.select("item", pl.col("standing").cast(pl.String)).iter_rows())


def test_the_demo_contradiction_is_level_not_both() -> None:
    """The demo's six Zorngården items: +21 to +23 above the peers and all within 2 points of each other, so none
    lies clearly above or below the organisation's own level (the old summary called them strengths and areas to
    improve at once)."""
    table = standing(_items([
        ("guide", 88.5, 86.2, 90.7, 22.9, True), ("cafe", 88.3, 86.1, 90.5, 22.7, True),
        ("info", 88.4, 86.0, 90.8, 22.2, True), ("waiting", 87.8, 85.6, 89.9, 21.3, True),
        ("staff", 90.1, 88.1, 92.1, 22.0, True), ("value", 90.7, 88.8, 92.7, 22.2, True),
    ]))  # fmt: skip
    assert set(_verdicts(table).values()) == {"level"}
    assert table.item(0, "own_mean") == (88.5 + 88.3 + 88.4 + 87.8 + 90.1 + 90.7) / 6


def test_a_strength_needs_both_references_and_an_area_to_improve_too() -> None:
    table = standing(_items([
        ("high_and_above_peers", 90, 85, 95, 10, True),
        ("high_but_level_with_peers", 90, 85, 95, 2, False),
        ("high_but_below_peers", 90, 85, 95, -8, True),
        ("middle", 60, 50, 70, 0, False),
        ("low_and_below_peers", 30, 25, 35, -10, True),
        ("low_but_above_peers", 30, 25, 35, 5, True),
    ]))  # fmt: skip
    assert _verdicts(table) == {
        "high_and_above_peers": "strength",
        "high_but_level_with_peers": "level",
        "high_but_below_peers": "level",
        "middle": "level",
        "low_and_below_peers": "improve",
        "low_but_above_peers": "level",
    }


def test_without_peers_the_own_level_decides_and_an_interval_crossing_it_is_level() -> None:
    table = standing(_items([
        ("above", 85, 80, 90, None, None), ("crossing", 75, 40, 95, None, None), ("below", 40, 30, 49, None, None),
        ("no_variance", 100, None, None, None, None),  # every answer 5: no interval, its index compared
    ]))  # fmt: skip
    own = (85 + 75 + 40 + 100) / 4
    assert table.item(0, "own_mean") == own
    assert _verdicts(table) == {"above": "strength", "crossing": "level", "below": "improve", "no_variance": "strength"}
    no_columns = standing(_items([("a", 80, 71, 89, None, None)]).drop("peer_diff", "peer_significant"))
    assert _verdicts(no_columns) == {"a": "level"}


def test_on_random_items_an_area_to_improve_never_outscores_a_strength_on_either_basis() -> None:
    generator = random.Random(17)
    for _ in range(300):
        rows = []
        for k in range(generator.randint(2, 12)):
            index = generator.uniform(0, 100)
            half = generator.choice([0.0, generator.uniform(0.5, 20)])
            diff = generator.choice([None, generator.uniform(-30, 30)])
            rows.append((f"i{k}", index, index - half if half else None, index + half if half else None, diff,
                         None if diff is None else generator.random() < 0.6))  # fmt: skip
        table = standing(_items(rows))
        strengths = table.filter(pl.col("standing") == "strength").iter_rows(named=True)
        improve = table.filter(pl.col("standing") == "improve").iter_rows(named=True)
        for good, bad in itertools.product(list(strengths), list(improve)):
            assert bad["index"] < good["index"]
            if good["peer_diff"] is not None and bad["peer_diff"] is not None:
                assert bad["peer_diff"] < good["peer_diff"]
