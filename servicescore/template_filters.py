"""The formatter (`formats`) as Jinja filters, the same in the web pages' and the PDF reports' environments, so a
dashboard partial and its report twin write ``{{ r.index | num }}`` alike and print the same strings.

Each filter reads the language from the template's ``lang`` variable (every page and every report has one). None
shadows a Jinja built-in (a count is ``integer``, so ``x | int`` still converts text to a number):

====================================  ==========================================  ==========================
filter                                prints                                      `formats` function
====================================  ==========================================  ==========================
``v | num`` / ``v | num(2)``          ``71,4`` / ``0,46``                         ``number``
``v | signed``                        ``+2,3``, ``−1,0``, ``±0,0``                 ``signed``
``v | pct``                           ``48 %`` / ``48%``                          ``percent``
``low | ci(high)``                    ``68,2–74,6``                               ``interval``
``n | integer``                       ``1 204`` / ``1,204``                       ``integer``
``seconds | dur``                     ``1 min 46 s``                              ``duration``
``n_bytes | size``                    ``5 MB``, ``500 kB``                        ``file_size``
``v | fact(kind)``                    a duration, share or number by its kind    ``fact``
``day | date``                        ``6 december 2026``; a dash for none        ``long_date``
``moment | day``                      its local day, ``1 november 2026``          ``local_day``
``moment | when``                     ``1 oktober 2026, 02:00`` (local time)      ``when``
``moment | clock``                    ``02:00`` (local time)                      ``clock``
====================================  ==========================================  ==========================
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from jinja2 import Environment, pass_context
from jinja2.runtime import Context

from servicescore import formats
from servicescore.formats import Lang


def _lang(context: Context) -> Lang:
    lang: Lang = context["lang"]
    return lang


@pass_context
def num(context: Context, value: float | None, decimals: int = 1) -> str:
    return formats.number(value, _lang(context), decimals)


@pass_context
def signed(context: Context, value: float | None, decimals: int = 1) -> str:
    return formats.signed(value, _lang(context), decimals)


@pass_context
def pct(context: Context, value: float | None, decimals: int = 0) -> str:
    return formats.percent(value, _lang(context), decimals)


@pass_context
def ci(context: Context, low: float | None, high: float | None, decimals: int = 1) -> str:
    return formats.interval(low, high, _lang(context), decimals)


@pass_context
def integer(context: Context, value: float | None) -> str:
    return formats.integer(value, _lang(context))


@pass_context
def size(context: Context, n_bytes: int) -> str:
    return formats.file_size(n_bytes, _lang(context))


@pass_context
def fact(context: Context, value: float | None, kind: str) -> str:
    return formats.fact(value, kind, _lang(context))


@pass_context
def long_date(context: Context, day: date | None) -> str:
    return formats.long_date(day, _lang(context)) if day else formats.DASH


@pass_context
def day(context: Context, moment: datetime | None) -> str:
    return formats.local_day(moment, _lang(context)) if moment else formats.DASH


@pass_context
def when(context: Context, moment: datetime | str | None) -> str:
    """Empty for none (a page then says "not yet" in its own words); ISO text (as case notes keep it) is read first."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment) if moment else None
    return formats.when(moment, _lang(context)) if moment else ""


@pass_context
def clock(context: Context, moment: datetime) -> str:
    return formats.clock(moment, _lang(context))


FILTERS: dict[str, Callable[..., Any]] = {
    "num": num,
    "signed": signed,
    "pct": pct,
    "ci": ci,
    "integer": integer,
    "dur": formats.duration,
    "size": size,
    "fact": fact,
    "date": long_date,
    "day": day,
    "when": when,
    "clock": clock,
}


def add_format_filters(environment: Environment) -> None:
    """Register the formatter's filters: the one call both the web and the report environments make."""
    environment.filters.update(FILTERS)
