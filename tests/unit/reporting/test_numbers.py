"""Numbers per language: what a Swedish and an English reader expect."""

from __future__ import annotations

from datetime import date

import pytest

from servicescore.reporting import numbers


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [
        (4.8, "sv", 1, "4,8"),
        (4.8, "en", 1, "4.8"),
        (71.428571, "sv", 1, "71,4"),
        (12345.67, "sv", 1, "12\u00a0345,7"),
        (12345.67, "en", 1, "12,345.7"),
        (-3.26, "sv", 1, "−3,3"),
        (None, "sv", 1, "–"),
        (0.4567, "en", 2, "0.46"),
    ],
)
def test_number(value: float | None, lang: numbers.Lang, decimals: int, expected: str) -> None:
    assert numbers.number(value, lang, decimals) == expected


def test_signed_change_shows_plus_minus_and_zero() -> None:
    assert numbers.signed(2.34, "sv") == "+2,3"
    assert numbers.signed(-1.0, "en") == "−1.0"
    assert numbers.signed(0.04, "sv") == "±0,0"
    assert numbers.signed(-0.04, "sv") == "±0,0"


def test_percent_interval_integer_duration_date() -> None:
    assert numbers.percent(48.2, "sv") == "48\u00a0%"
    assert numbers.percent(48.6, "en") == "49%"
    assert numbers.interval(62.76793, 84.22348, "sv") == "62,8–84,2"
    assert numbers.interval(None, 84.2, "sv") == "–"
    assert numbers.integer(1204, "en") == "1,204"
    assert numbers.duration(125.4) == "2:05"
    assert numbers.long_date(date(2026, 11, 22), "sv") == "22 november 2026"
    assert numbers.long_date(date(2026, 11, 22), "en") == "November 22, 2026"
