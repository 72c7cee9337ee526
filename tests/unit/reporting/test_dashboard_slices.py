"""The dashboard's slices and filters, and the kept-tables store, on small inline frames."""

from __future__ import annotations

import polars as pl
import pytest

from servicescore.reporting.dashboard import Choices, FilterRefused, Filters, Slice, slice_answers
from servicescore.reporting.live import Kept

ANSWERS = pl.DataFrame(
    {
        "organisation": ["a", "a", "a", "b", "b"],
        "unit": ["a1", "a2", "a1", "b1", "b1"],
        "segment": ["new", "new", "back", "new", None],
        "value": [1.0, 2.0, 3.0, 4.0, 5.0],
    }
)


def values(part: Slice, *, segmented: bool = True) -> list[float]:
    return slice_answers(ANSWERS.lazy(), part, segmented=segmented).collect().get_column("value").to_list()


def test_a_unit_narrows_the_focus_organisation_only_and_a_segment_everyone() -> None:
    assert values(Slice("a")) == [1.0, 2.0, 3.0, 4.0, 5.0]
    assert values(Slice("a", unit="a1")) == [1.0, 3.0, 4.0, 5.0]  # the peers stay whole organisations
    assert values(Slice("a", segment="new")) == [1.0, 2.0, 4.0]
    assert values(Slice("a", unit="a1", segment="new")) == [1.0, 4.0]
    # An instrument that records no segments is not emptied by a segment filter.
    assert values(Slice("a", segment="new"), segmented=False) == [1.0, 2.0, 3.0, 4.0, 5.0]


OFFERED = Choices("visitor-survey", ["2026-Q2", "2026-Q3"], [("a1", "Unit one")], [("new", "First visit")])


@pytest.mark.parametrize(
    ("filters", "field", "choices"),
    [
        (Filters(wave="1999"), "wave", ["2026-Q2", "2026-Q3"]),
        # A unit and a segment by what the form shows and what the address takes: the page listed "a1" alone.
        (Filters(unit="b1"), "unit", ["Unit one (a1)"]),
        (Filters(segment="vip"), "segment", ["First visit (new)"]),
    ],
)
def test_a_filter_not_offered_is_refused_with_the_choices(filters: Filters, field: str, choices: list[str]) -> None:
    with pytest.raises(FilterRefused) as refused:
        filters.check(OFFERED)
    assert (refused.value.field, refused.value.choices) == (field, choices)


def test_filters_offered_pass() -> None:
    Filters(wave="2026-Q2", unit="a1", segment="new").check(OFFERED)
    Filters().check(OFFERED)


def test_kept_makes_once_and_forgets_the_least_recently_used() -> None:
    made: list[str] = []
    kept: Kept[str] = Kept(2)

    def make(key: str) -> str:
        made.append(key)
        return key.upper()

    assert kept.get("x", lambda: make("x")) == "X"
    assert kept.get("y", lambda: make("y")) == "Y"
    assert kept.get("x", lambda: make("x")) == "X"  # kept; now the most recently used
    kept.get("z", lambda: make("z"))  # y goes
    assert kept.peek("y") is None
    assert kept.peek("x") == "X"
    assert made == ["x", "y", "z"]
    assert (kept.hits, kept.misses) == (1, 3)
