"""The one formatter: numbers, dates, local times and durations as a Swedish and a British-English reader expect them,
and the same strings through the Jinja filters that pages and reports share."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from jinja2 import Environment

from servicescore import formats
from servicescore.formats import NBSP, Lang
from servicescore.template_filters import FILTERS, add_format_filters


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [
        (1234.5, "sv", 1, f"1{NBSP}234,5"),
        (1234.5, "en", 1, "1,234.5"),
        (4.8, "sv", 1, "4,8"),
        (71.428571, "sv", 1, "71,4"),
        (12345.67, "sv", 1, f"12{NBSP}345,7"),
        (-3.26, "sv", 1, "−3,3"),
        (None, "sv", 1, "–"),
        (0.4567, "en", 2, "0.46"),
    ],
)
def test_number(value: float | None, lang: Lang, decimals: int, expected: str) -> None:
    assert formats.number(value, lang, decimals) == expected


def test_trimmed_and_plain_numbers_drop_trailing_zeros() -> None:
    assert formats.number(3.0, "sv", 1) == "3,0"
    assert formats.number(3.04, "sv", 1, trim=True) == "3"
    assert formats.number(2.46, "en", 1, trim=True) == "2.5"
    assert [formats.plain(v, "sv") for v in (3, 4.5, 1000)] == ["3", "4,5", f"1{NBSP}000"]


def test_signed_percent_interval_integer() -> None:
    assert formats.signed(2.34, "sv") == "+2,3"
    assert formats.signed(-1.0, "en") == "−1.0"
    assert formats.signed(-0.04, "sv") == "±0,0"
    assert formats.percent(48.2, "sv") == f"48{NBSP}%"
    assert formats.percent(48.6, "en") == "49%"
    assert formats.interval(62.76793, 84.22348, "sv") == "62,8–84,2"
    assert formats.interval(None, 84.2, "sv") == "–"
    assert formats.integer(1204, "en") == "1,204"


def test_file_sizes_in_decimal_units_alike_in_both_languages() -> None:
    sizes = (5_000_000, 1_500_000, 500_000, 999)
    assert [formats.file_size(n, "sv") for n in sizes] == [f"5{NBSP}MB", f"1,5{NBSP}MB", f"500{NBSP}kB", f"999{NBSP}B"]
    assert [formats.file_size(n, "en") for n in sizes] == [f"5{NBSP}MB", f"1.5{NBSP}MB", f"500{NBSP}kB", f"999{NBSP}B"]


def test_dates_are_in_british_english_and_swedish() -> None:
    assert formats.long_date(date(2026, 12, 6), "sv") == "6 december 2026"
    assert formats.long_date(date(2026, 12, 6), "en") == "6 December 2026"  # en_GB, never "December 6, 2026"


def test_a_date_field_shows_the_day_entered() -> None:
    # A closing day is stored as its last UTC instant, already the next day in Stockholm.
    closes = datetime(2026, 10, 1, 23, 59, 59, 999999, tzinfo=UTC)
    assert formats.long_date(closes, "sv") == "1 oktober 2026"


def test_a_moment_shows_its_local_day_and_a_typed_day_is_a_local_day() -> None:
    half_past_midnight = datetime(2026, 10, 31, 23, 30, tzinfo=UTC)  # 00:30 on 1 November in Stockholm (CET)
    assert formats.local_day(half_past_midnight, "sv") == "1 november 2026"
    assert formats.local_day(half_past_midnight, "en") == "1 November 2026"
    assert formats.day_start(date(2026, 7, 1)) == datetime(2026, 6, 30, 22, 0, tzinfo=UTC)  # CEST
    assert formats.day_end(date(2026, 12, 31)) == datetime(2026, 12, 31, 22, 59, 59, 999999, tzinfo=UTC)  # CET
    assert formats.local_day(formats.day_end(date(2026, 12, 31)), "sv") == "31 december 2026"


@pytest.mark.parametrize(
    ("moment", "lang", "expected"),
    [
        (datetime(2026, 1, 10, 23, 30, tzinfo=UTC), "sv", "11 januari 2026, 00:30"),  # CET, UTC+1
        (datetime(2026, 7, 10, 23, 30, tzinfo=UTC), "en", "11 July 2026, 01:30"),  # CEST, UTC+2
        (datetime(2026, 7, 10, 23, 30, tzinfo=UTC).replace(tzinfo=None), "sv", "11 juli 2026, 01:30"),  # no zone: UTC
    ],
)
def test_a_utc_time_is_shown_in_local_time(moment: datetime, lang: Lang, expected: str) -> None:
    assert formats.when(moment, lang) == expected
    assert formats.clock(moment, lang) == expected[-5:]


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (45, "45 s"),
        (106, "1 min 46 s"),
        (125.4, "2 min 05 s"),
        (420, "7 min"),
        (4500, "1 h 15 min"),
        (7200, "2 h 00 min"),
        (timedelta(minutes=7), "7 min"),
        (-5, "–"),
        (None, "–"),
    ],
)
def test_one_duration_form(seconds: float | timedelta | None, expected: str) -> None:
    assert formats.duration(seconds) == expected


def test_a_mystery_call_fact_by_its_kind() -> None:
    assert [formats.fact(v, kind, "sv") for v, kind in ((106, "duration"), (62.5, "pct"), (1.26, "number"))] == [
        "1 min 46 s",
        f"62{NBSP}%",
        "1,3",
    ]


def test_the_filters_read_the_language_of_the_template() -> None:
    environment = Environment(autoescape=True)
    add_format_filters(environment)
    template = environment.from_string(
        "{{ v | num }}|{{ v | num(2) }}|{{ c | signed }}|{{ p | pct }}|{{ lo | ci(hi) }}|{{ n | integer }}"
        "|{{ s | dur }}|{{ s | fact('duration') }}|{{ d | date }}|{{ none | date }}|{{ m | when }}|{{ m | clock }}"
        "|{{ none | when }}"
    )
    values = {"v": 1234.567, "c": -0.5, "p": 48.2, "lo": 1.25, "hi": 2.5, "n": 1204, "s": 106,
              "d": date(2026, 12, 6), "m": datetime(2026, 1, 10, 23, 30, tzinfo=UTC)}  # fmt: skip
    assert template.render(lang="sv", **values).split("|") == [
        f"1{NBSP}234,6", f"1{NBSP}234,57", "−0,5", f"48{NBSP}%", "1,2–2,5", f"1{NBSP}204", "1 min 46 s",
        "1 min 46 s", "6 december 2026", "–", "11 januari 2026, 00:30", "00:30", "",
    ]  # fmt: skip
    assert template.render(lang="en", **values).split("|") == [
        "1,234.6", "1,234.57", "−0.5", "48%", "1.2–2.5", "1,204", "1 min 46 s",
        "1 min 46 s", "6 December 2026", "–", "11 January 2026, 00:30", "00:30", "",
    ]  # fmt: skip


def test_no_filter_hides_a_jinja_built_in() -> None:
    # A formatting `int` replaced Jinja's own: a page's `added | int` (query text to a count) got the string "3".
    assert set(FILTERS) & set(Environment().filters) == set()
