"""Reading console forms: values kept for re-display, errors per field as catalogue keys, uploads under a limit.

A handler fills a ``Form`` while it reads; templates show each error next to its field (``console/_form.html``)
and the values the consultant typed, so nothing has to be entered twice. An error keeps its figures as numbers and
the page writes them in its language (`formats`): a limit as set (``−90``, ``4,5``), a count (``1 204``), a file
size (``5 MB``), never Python's ``-90.0`` on a Swedish page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any, Final

from litestar import Request
from litestar.datastructures import FormMultiDict, UploadFile

from servicescore import formats
from servicescore.formats import Lang, from_local
from servicescore.texts import translate

AnyRequest = Request[Any, Any, Any]
SLUG: Final = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?")
COLOUR: Final = re.compile(r"#[0-9a-fA-F]{6}")
TEXT_MAX: Final = 200


@dataclass(frozen=True)
class FileSize:
    """A number of bytes in an error, written as ``5 MB``."""

    n_bytes: int


def _written(value: object, lang: Lang) -> object:
    """An error's value as the page's language writes it: a float as set, an int as a count, a size in MB."""
    if isinstance(value, FileSize):
        return formats.file_size(value.n_bytes, lang)
    if isinstance(value, float):
        return formats.plain(value, lang)
    if isinstance(value, int) and not isinstance(value, bool):
        return formats.integer(value, lang)
    return value


@dataclass
class Form:
    """One form's typed values and its errors (field → catalogue key and values)."""

    prefix: str
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)

    def fail(self, name: str, key: str, **values: Any) -> None:
        self.errors.setdefault(name, (key, values))

    def error(self, name: str, lang: Lang) -> str:
        """The field's error in the page's language, its figures written by `formats`."""
        key, values = self.errors[name]
        return translate(key, lang, **{slot: _written(value, lang) for slot, value in values.items()})

    @property
    def ok(self) -> bool:
        return not self.errors


async def read_form(request: AnyRequest) -> FormMultiDict:
    return await request.form()


def text(data: FormMultiDict, form: Form, name: str, *, required: bool = True, max_length: int = TEXT_MAX) -> str:
    raw = data.get(name)
    value = raw.strip() if isinstance(raw, str) else ""
    form.values[name] = value
    if required and not value:
        form.fail(name, "console.error.required")
    elif len(value) > max_length:
        form.fail(name, "console.error.too_long", n=max_length)
    return value


def slug(data: FormMultiDict, form: Form, name: str = "slug") -> str:
    value = text(data, form, name, max_length=80).lower()
    form.values[name] = value
    if value and not SLUG.fullmatch(value):
        form.fail(name, "console.error.slug")
    return value


def whole_number(data: FormMultiDict, name: str) -> int | None:
    """An id from a select or checkbox; None when it is not a number at all (pages treat that as unknown)."""
    raw = data.get(name)
    return int(raw) if isinstance(raw, str) and raw.isdigit() and len(raw) < 12 else None


def optional_id(data: FormMultiDict, form: Form, name: str) -> tuple[bool, int | None]:
    """(valid, id) for a select whose empty choice means "none"."""
    raw = data.get(name)
    form.values[name] = raw if isinstance(raw, str) else ""
    if raw in (None, ""):
        return True, None
    number = whole_number(data, name)
    return number is not None, number


def coordinate(data: FormMultiDict, form: Form, name: str, limit: float) -> float | None:
    value = text(data, form, name, required=False, max_length=30).replace(",", ".")
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        form.fail(name, "console.error.number")
        return None
    if not -limit <= number <= limit:
        form.fail(name, "console.error.range", low=-limit, high=limit)
        return None
    return number


def _date(data: FormMultiDict, form: Form, name: str, *, required: bool) -> date | None:
    value = text(data, form, name, required=required, max_length=10)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        form.fail(name, "console.error.date")
        return None


def day(data: FormMultiDict, form: Form, name: str, *, required: bool, end: bool = False) -> datetime | None:
    """A date field as a UTC moment: its first instant, or with ``end`` its last (an end date includes its day)."""
    parsed = _date(data, form, name, required=required)
    return None if parsed is None else datetime.combine(parsed, time.max if end else time.min, tzinfo=UTC)


def day_moment(data: FormMultiDict, form: Form, name: str, *, end: bool = False) -> datetime | None:
    """A day typed for a moment (a collection opens or closes), meant in local time as pages show it: the first
    instant of the day in Stockholm, or with ``end`` its last (a closing day includes its day); UTC."""
    parsed = _date(data, form, name, required=True)
    return None if parsed is None else (formats.day_end(parsed) if end else formats.day_start(parsed))


def moment(data: FormMultiDict, form: Form, name: str) -> datetime | None:
    """A ``datetime-local`` field (``2026-10-05T09:00``), meant in local time as every page shows times; UTC."""
    value = text(data, form, name, max_length=30)
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        form.fail(name, "console.error.datetime")
        return None
    return from_local(parsed)


async def upload(data: FormMultiDict, form: Form, name: str, *, max_bytes: int) -> tuple[bytes, str] | None:
    """The uploaded file's bytes and name, or None with the field's error (missing, empty, too large)."""
    file = data.get(name)
    if not isinstance(file, UploadFile) or not file.filename:
        form.fail(name, "console.error.no_file")
        return None
    content = await file.read(max_bytes + 1)
    if not content:
        form.fail(name, "console.error.empty_file")
        return None
    if len(content) > max_bytes:
        form.fail(name, "console.error.file_too_large", size=FileSize(max_bytes))
        return None
    return content, file.filename[:120]
