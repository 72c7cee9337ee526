"""Numbers, dates and times as a page shows them: in the page's language (Babel) and in local time.

Every page uses these, through the functions or the ``when`` template filter, so no page prints UTC or a dot as
the Swedish decimal mark.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from jinja2 import pass_context
from jinja2.runtime import Context

LOCALES = {"sv": "sv_SE", "en": "en_GB"}
LOCAL_TIME = ZoneInfo("Europe/Stockholm")


def number(value: float | int, language: str) -> str:
    return format_decimal(value, locale=LOCALES[language])


def local_date(moment: datetime, language: str) -> str:
    return format_date(moment.astimezone(LOCAL_TIME), format="long", locale=LOCALES[language])


def local_datetime(moment: datetime, language: str) -> str:
    return format_datetime(moment.astimezone(LOCAL_TIME), format="d MMMM y, HH:mm", locale=LOCALES[language])


@pass_context
def when(context: Context, moment: datetime | str | None) -> str:
    """``{{ moment | when }}``: local time in the page's words; ISO text (as case notes keep it) is read first."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment) if moment else None
    return local_datetime(moment, context["lang"]) if moment else ""
