"""Numbers, dates and times as a page shows them: in the page's language (Babel) and in local time.

Every page uses these, through the functions or the ``when`` template filter, so no page prints UTC or a dot as
the Swedish decimal mark.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

LOCALES = {"sv": "sv_SE", "en": "en_GB"}
LOCAL_TIME = ZoneInfo("Europe/Stockholm")


def number(value: float | int, language: str) -> str:
    return format_decimal(value, locale=LOCALES[language])


def local_date(moment: datetime, language: str) -> str:
    return format_date(moment.astimezone(LOCAL_TIME), format="long", locale=LOCALES[language])


def local_datetime(moment: datetime, language: str) -> str:
    return format_datetime(moment.astimezone(LOCAL_TIME), format="d MMMM y, HH:mm", locale=LOCALES[language])


def duration(taken: timedelta) -> str:
    """A span of time as a page shows it, in whole minutes: "7 min", "1 h 05 min" (the same in Swedish and English);
    empty for a negative span (clocks that disagree), never a number of seconds."""
    if taken < timedelta(0):
        return ""
    minutes = round(taken.total_seconds() / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


def seconds(value: float) -> str:
    """A span answered in seconds (a queue time, a tour): "45 s", "1 min 46 s", "45 min", "1 h 05 min"."""
    whole = round(value)
    if whole < 60:
        return f"{whole} s"
    minutes, rest = divmod(whole, 60)
    return duration(timedelta(seconds=whole)) if minutes >= 60 or rest == 0 else f"{minutes} min {rest:02d} s"


@pass_context
def when(context: Context, moment: datetime | str | None) -> str:
    """``{{ moment | when }}``: local time in the page's words; ISO text (as case notes keep it) is read first."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment) if moment else None
    return local_datetime(moment, context["lang"]) if moment else ""


# JSON inside HTML (a <script> element or an attribute) must not be able to end that element: a comment holding
# "</script><img …>" would otherwise become markup. The escaped text is the same JSON to every JSON parser.
_JSON_IN_HTML = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"})


def embedded_json(text: str) -> Markup:
    """``{{ payload_json | embedded_json }}``: JSON text made safe to place in HTML, the one way every page does."""
    return Markup(text.translate(_JSON_IN_HTML))  # noqa: S704 - every character that can end an element is escaped
