"""`Kept`: the least-recently-used store the dashboards keep their frames in, bounded in entries and in weight."""

from __future__ import annotations

from servicescore.reporting.kept import Kept


def test_the_least_recently_used_go_first_when_the_weights_pass_the_budget() -> None:
    kept: Kept[str] = Kept(8, budget=100, weigh=len)
    kept.put("a", "a" * 40)
    kept.put("b", "b" * 40)
    assert kept.get("a", lambda: "made again") == "a" * 40  # used: "b" is now the least recently used
    kept.put("c", "c" * 40)
    assert (kept.peek("a"), kept.peek("b"), kept.peek("c")) == ("a" * 40, None, "c" * 40)
    assert kept.weight == 80


def test_one_entry_heavier_than_the_budget_is_kept_alone() -> None:
    kept: Kept[str] = Kept(8, budget=100, weigh=len)
    kept.put("a", "a" * 10)
    kept.put("big", "x" * 500)
    assert (kept.peek("a"), kept.peek("big")) == (None, "x" * 500)
    assert kept.weight == 500


def test_the_weight_follows_what_is_forgotten_and_cleared() -> None:
    kept: Kept[str] = Kept(2, budget=1_000, weigh=len)
    for key in ("a", "b", "c"):
        kept.put(key, key * 10)
    assert (kept.peek("a"), kept.weight) == (None, 20)  # two entries at most
    kept.forget(lambda key: key == "b")
    assert kept.weight == 10
    kept.clear()
    assert (kept.peek("c"), kept.weight) == (None, 0)


def test_without_a_budget_only_the_count_bounds_it() -> None:
    kept: Kept[str] = Kept(3)
    for key in ("a", "b", "c", "d"):
        kept.put(key, key * 1_000_000)
    assert [kept.peek(key) is not None for key in ("a", "b", "c", "d")] == [False, True, True, True]
