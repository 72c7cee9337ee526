"""Numbers and dates as a reader of each language expects them (Babel): "4,8" in Swedish, "4.8" in English.

Every figure a report prints goes through these functions, so a test can format the scoring core's value the
same way and find it in the PDF's text.
"""

from __future__ import annotations

from datetime import date
from typing import Final, Literal

from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal

Lang = Literal["sv", "en"]
LANGUAGES: Final[tuple[Lang, ...]] = ("sv", "en")
DASH: Final[str] = "–"  # what a suppressed or missing figure prints: never 0, never a blank that reads as 0
MINUS: Final[str] = "−"  # the typographic minus; a hyphen next to digits reads as a dash in running text
NBSP: Final[str] = "\u00a0"


def _pattern(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def number(value: float | None, lang: Lang, decimals: int = 1) -> str:
    """``71.43`` → ``"71,4"`` (sv) / ``"71.4"`` (en); None → an en dash."""
    if value is None:
        return DASH
    text = format_decimal(value, _pattern(decimals), locale=lang)
    # Babel's group separator in Swedish is a narrow no-break space in some CLDR versions; the shipped
    # font has the ordinary no-break space only, and both read the same in print.
    return text.replace("\u202f", NBSP).replace("-", MINUS)


def signed(value: float | None, lang: Lang, decimals: int = 1) -> str:
    """A change: ``+2,3`` / ``−1,0``; zero after rounding prints ``±0,0``."""
    if value is None:
        return DASH
    text = number(value, lang, decimals)
    if text.lstrip(MINUS).strip("0,.") == "":
        return "±" + text.lstrip(MINUS)
    return text if text.startswith(MINUS) else "+" + text


def percent(value: float | None, lang: Lang, decimals: int = 0) -> str:
    """A share already on 0–100: ``48.2`` → ``"48 %"`` (sv, with a no-break space) / ``"48%"`` (en)."""
    if value is None:
        return DASH
    return number(value, lang, decimals) + (NBSP + "%" if lang == "sv" else "%")


def interval(low: float | None, high: float | None, lang: Lang, decimals: int = 1) -> str:
    """A 95 % interval: ``68,2–74,6``; a dash when either end is missing."""
    if low is None or high is None:
        return DASH
    return f"{number(low, lang, decimals)}{DASH}{number(high, lang, decimals)}"


def integer(value: int | float | None, lang: Lang) -> str:
    """A count: ``1 204`` (sv) / ``1,204`` (en)."""
    return number(value, lang, 0)


def long_date(day: date, lang: Lang) -> str:
    """``22 november 2026`` / ``November 22, 2026``."""
    return _babel_date(day, format="long", locale=lang)


def duration(seconds: float | None) -> str:
    """A queue or call time: ``2:05`` (minutes:seconds); the same in both languages."""
    if seconds is None:
        return DASH
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"
