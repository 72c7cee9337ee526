"""Numbers, dates, times and durations as a reader of each language expects them: the one formatter of every page,
PDF and e-mail (Babel), so a dashboard, its PDF twin and a test that formats the scoring core's value agree.

One locale map: Swedish is ``sv_SE`` ("1 234,5", "6 december 2026"), English is British English ``en_GB``
("1,234.5", "6 December 2026"), the English of a Swedish consultancy's reports.

One time-zone rule: every stored time is UTC and is shown in the organisation's local time. Organisations have no
time zone of their own (yet), so local time is ``Europe/Stockholm`` everywhere. A moment shows its local day
(``local_day``: a collection closing at 00:30 in Stockholm closes that day, not the UTC day before), and a day typed
for a moment is the local day's first or last instant (``day_start``, ``day_end``). A date field (a wave's first
and last day) is stored as its first or last UTC instant, so ``long_date`` shows the UTC calendar day: the day that
was entered, not the next one when 23:59 UTC is already tomorrow in Stockholm.

This module is a leaf (Babel and the standard library only), so ``web/``, ``reporting/``, ``mail/`` and the
commands all import it downwards; ``template_filters`` makes the same functions Jinja filters.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Final, Literal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

Lang = Literal["sv", "en"]
LOCALES: Final[dict[Lang, str]] = {"sv": "sv_SE", "en": "en_GB"}
LOCAL_TIME: Final = ZoneInfo("Europe/Stockholm")
DASH: Final[str] = "–"  # what a suppressed or missing figure prints: never 0, never a blank that reads as 0
MINUS: Final[str] = "−"  # the typographic minus; a hyphen next to digits reads as a dash in running text
NBSP: Final[str] = "\u00a0"


def number(value: float | None, lang: Lang, decimals: int = 1, *, trim: bool = False) -> str:
    """``71.43`` → ``"71,4"`` (sv) / ``"71.4"`` (en), ``1234.5`` → ``"1 234,5"`` / ``"1,234.5"``; None → a dash.

    A figure of a table keeps its decimals (``3,0``); with ``trim`` trailing zeros go (``3``, ``2,5``), for a value
    in running text such as a number of hours."""
    if value is None:
        return DASH
    pattern = "#,##0" + ("." + ("#" if trim else "0") * decimals if decimals else "")
    text = format_decimal(value, pattern, locale=LOCALES[lang])
    # Babel's group separator in Swedish is a narrow no-break space in some CLDR versions; the shipped
    # font has the ordinary no-break space only, and both read the same in print.
    return text.replace("\u202f", NBSP).replace("-", MINUS)


def plain(value: float, lang: Lang) -> str:
    """A value as it was answered or set (an answer, a limit): ``3``, ``4,5``, ``1 000``, up to three decimals."""
    return number(value, lang, 3, trim=True)


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


def integer(value: float | None, lang: Lang) -> str:
    """A count: ``1 204`` (sv) / ``1,204`` (en)."""
    return number(value, lang, 0)


def file_size(n_bytes: int, lang: Lang) -> str:
    """A size in decimal units, as both languages write them: ``2 MB``, ``500 kB``, ``1,5 MB`` / ``1.5 MB``."""
    for unit, size in (("MB", 1_000_000), ("kB", 1_000)):
        if n_bytes >= size:
            return number(n_bytes / size, lang, 1, trim=True) + NBSP + unit
    return integer(n_bytes, lang) + NBSP + "B"


def duration(seconds: float | timedelta | None) -> str:
    """A span of time, the same in both languages: ``45 s``, ``1 min 46 s``, ``7 min``, ``1 h 05 min`` (an hour or
    more in whole minutes); a dash for none or for a negative span (clocks that disagree), never a bare number."""
    if isinstance(seconds, timedelta):
        seconds = seconds.total_seconds()
    if seconds is None or seconds < 0:
        return DASH
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, rest = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min" if rest == 0 else f"{minutes} min {rest:02d} s"
    minutes = round(whole / 60)
    return f"{minutes // 60} h {minutes % 60:02d} min"


def fact(value: float | None, kind: str, lang: Lang) -> str:
    """A mystery-call fact by its kind: a ``duration`` (seconds), a ``pct`` share, else a number."""
    if kind == "duration":
        return duration(value)
    return percent(value, lang) if kind == "pct" else number(value, lang)


def _utc(moment: datetime) -> datetime:
    """A stored time; one without a zone is UTC, like every stored time (never the machine's own zone)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def local(moment: datetime) -> datetime:
    """A stored (UTC) time in local time."""
    return _utc(moment).astimezone(LOCAL_TIME)


def from_local(moment: datetime) -> datetime:
    """A time typed in local time (a form's ``datetime-local`` field, as every page shows times) as the UTC time it
    is stored as; one that names its zone keeps it."""
    return (moment.replace(tzinfo=LOCAL_TIME) if moment.tzinfo is None else moment).astimezone(UTC)


def long_date(day: date | datetime, lang: Lang) -> str:
    """A calendar day: ``6 december 2026`` / ``6 December 2026``; a date field's stored instant shows its UTC day."""
    if isinstance(day, datetime):
        day = _utc(day).astimezone(UTC).date()
    return format_date(day, format="long", locale=LOCALES[lang])


def local_day(moment: datetime, lang: Lang) -> str:
    """The day in local time of a moment (a collection opens or closes): ``1 november 2026`` for 00:30 in Stockholm
    on 1 November, which is still 31 October in UTC."""
    return format_date(local(moment).date(), format="long", locale=LOCALES[lang])


def day_start(day: date) -> datetime:
    """The first instant of a local day (a typed opening day), in UTC."""
    return datetime.combine(day, time.min, tzinfo=LOCAL_TIME).astimezone(UTC)


def day_end(day: date) -> datetime:
    """The last instant of a local day (a typed closing day: the whole day included), in UTC."""
    return datetime.combine(day, time.max, tzinfo=LOCAL_TIME).astimezone(UTC)


def when(moment: datetime, lang: Lang) -> str:
    """A moment in local time: ``1 oktober 2026, 02:00`` / ``1 October 2026, 02:00``."""
    return format_datetime(local(moment), format="d MMMM y, HH:mm", locale=LOCALES[lang])


def clock(moment: datetime, lang: Lang) -> str:
    """The local time of day of a moment: ``14:05`` (24 hours in both languages)."""
    return format_datetime(local(moment), format="HH:mm", locale=LOCALES[lang])
