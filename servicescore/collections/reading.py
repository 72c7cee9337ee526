"""Reading one posted survey page: every field parsed and checked against its item, nothing trusted.

A field that no item on the page offers is tampering (``TamperedForm``, a 400). A value that does not fit its
item (outside the scale, too long, not a number) is a ``FieldError`` shown next to the field, with the other
answers kept. ``show_if`` is decided here, on the server, from the stored answers and this page's answers.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from servicescore.collections.answers import Answers, StoredAnswer, askable, visible_items
from servicescore.definitions import Instrument, Item

RESERVED: Final = frozenset({"_csrf_token", "_response", "_page", "_nav", "_seen", "_version"})
COMMENT_SUFFIX: Final = ".comment"
COMMENT_MAX_LENGTH: Final = 2000
SHORT_FIELD_MAX: Final = 64  # a radio value or a number never needs more
NOT_APPLICABLE: Final = "na"
_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class TamperedForm(ValueError):
    """The form was not one this server rendered: an unknown field, an item not asked, two values for one."""


@dataclass(frozen=True)
class FieldError:
    """A problem with one answer; ``key`` names catalogue text ``respond.error.<key>`` filled with ``values``."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class OfferedItem:
    item: Item
    live: bool  # its show_if depends on an answer on the same page: the browser shows and hides it


@dataclass
class PageReading:
    answers: dict[str, StoredAnswer]  # this page's answers to store
    remove: set[str]  # items anywhere whose stored answers must go: cleared here, or hidden by show_if now
    errors: dict[str, FieldError]
    revealed: list[str]  # follow-up questions that appeared with this page's answers and were not yet seen
    raw: dict[str, list[str]]  # what was posted, to fill the form in again

    @property
    def ok(self) -> bool:
        return not self.errors and not self.revealed


def offered_items(instrument: Instrument, page: int, answers: Answers) -> list[OfferedItem]:
    """Items the page may carry: those asked given the other pages' answers, and those whose condition hangs on
    this page (rendered hidden or shown; a script or the next submit decides)."""
    section = instrument.sections[page]
    on_page = {item.id for item in section.items}
    shown = visible_items(instrument, answers)
    offered = []
    for item in section.items:
        if not askable(item):
            continue
        live = item.show_if is not None and item.show_if.item in on_page
        if live or item.id in shown:
            offered.append(OfferedItem(item, live))
    return offered


def clean_text(text: str) -> str:
    """Line breaks made uniform, control characters (NUL breaks PostgreSQL text) dropped, ends trimmed."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def _number(text: str) -> float | None:
    compact = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    try:
        number = float(compact)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _one(values: list[str], name: str) -> str:
    if len(values) > 1:
        raise TamperedForm(f"the field {name} was sent {len(values)} times")
    return values[0] if values else ""


def _scale_value(item: Item, text: str, low: int, high: int) -> StoredAnswer | FieldError | None:
    if text == "":
        return None
    if text == NOT_APPLICABLE:
        return StoredAnswer(na=True) if item.na_allowed else FieldError("choose", {"low": low, "high": high})
    if len(text) <= 3 and text.isdigit() and low <= int(text) <= high:
        return StoredAnswer(value=float(int(text)))
    return FieldError("scale", {"low": low, "high": high})


def _number_value(item: Item, text: str) -> StoredAnswer | FieldError | None:  # noqa: PLR0911 - one per check
    if text == "":
        return None
    if text.lower() == NOT_APPLICABLE and item.na_allowed:
        return StoredAnswer(na=True)
    number = _number(text) if len(text) <= SHORT_FIELD_MAX else None
    if number is None:
        return FieldError("number")
    low = getattr(item, "min", None)
    high = getattr(item, "max", None)
    if item.type == "duration":
        low, high = 0, getattr(item, "max_seconds", None)
    if (getattr(item, "integer", False) or item.type == "duration") and not number.is_integer():
        return FieldError("integer")
    if (low is not None and number < low) or (high is not None and number > high):
        if low is not None and high is not None:
            return FieldError("between", {"low": low, "high": high})
        return FieldError("at_least", {"low": low}) if low is not None else FieldError("at_most", {"high": high})
    return StoredAnswer(value=number)


def parse_item(item: Item, values: list[str]) -> StoredAnswer | FieldError | None:  # noqa: PLR0911 - by item type
    """One item's posted values as an answer, a problem, or None when left unanswered."""
    if item.type == "choice" and item.multiple:
        allowed = item.values()
        if any(value not in allowed for value in values):
            return FieldError("choose_listed")
        chosen = [value for value in allowed if value in values]
        return StoredAnswer(text=";".join(chosen)) if chosen else None
    text = _one(values, item.id).strip()
    if item.type == "rating":
        return _scale_value(item, text, item.scale.min, item.scale.max)
    if item.type == "nps":
        return _scale_value(item, text, 0, 10)
    if item.type == "yes_no":
        answers = {"yes": StoredAnswer(value=1.0), "no": StoredAnswer(value=0.0)}
        if item.na_allowed:
            answers[NOT_APPLICABLE] = StoredAnswer(na=True)
        return None if text == "" else answers.get(text, FieldError("choose_listed"))
    if item.type == "choice":
        if text == "":
            return None
        if text == NOT_APPLICABLE and item.na_allowed:
            return StoredAnswer(na=True)
        return StoredAnswer(text=text) if text in item.values() else FieldError("choose_listed")
    if item.type == "text":
        cleaned = clean_text(_one(values, item.id))
        if len(cleaned) > item.max_length:
            return FieldError("too_long", {"max": item.max_length, "length": len(cleaned)})
        return StoredAnswer(text=cleaned) if cleaned else None
    return _number_value(item, text)


def _grouped(form: Iterable[tuple[str, str]], offered: Mapping[str, OfferedItem]) -> dict[str, list[str]]:
    raw: dict[str, list[str]] = defaultdict(list)
    for name, value in form:
        if name in RESERVED:
            continue
        item_id = name.removesuffix(COMMENT_SUFFIX)
        known = item_id in offered and (name == item_id or offered[item_id].item.comment)
        if not known:
            shown = name if len(name) <= 60 else name[:60] + "…"
            raise TamperedForm(f"the field {shown!r} is not a question on this page")
        raw[name].append(value)
    return dict(raw)


def read_page(
    instrument: Instrument,
    page: int,
    stored: Answers,
    form: Sequence[tuple[str, str]],
    *,
    seen: Iterable[str] = (),
    lenient: bool = False,
) -> PageReading:
    """Read page ``page`` of ``form`` against the ``stored`` answers of the other pages.

    ``seen`` lists the follow-up questions the respondent could see when sending (the browser's script marks
    them). ``lenient`` (going back) skips the check for required answers, not the check of values.
    """
    section_ids = {item.id for item in instrument.sections[page].items}
    others = {item: answer for item, answer in stored.items() if item not in section_ids}
    offered = {o.item.id: o for o in offered_items(instrument, page, others)}
    raw = _grouped(form, offered)
    answers: dict[str, StoredAnswer] = {}
    errors: dict[str, FieldError] = {}
    for item_id, candidate in offered.items():
        item = candidate.item
        parsed = parse_item(item, raw.get(item_id, []))
        comment = clean_text(_one(raw.get(item_id + COMMENT_SUFFIX, []), item_id))
        if isinstance(parsed, FieldError):
            errors[item_id] = parsed
        elif len(comment) > COMMENT_MAX_LENGTH:
            errors[item_id] = FieldError("too_long", {"max": COMMENT_MAX_LENGTH, "length": len(comment)})
        elif parsed is not None or comment:
            base = parsed or StoredAnswer()
            answers[item_id] = StoredAnswer(value=base.value, na=base.na, text=base.text or comment or None)
    shown = visible_items(instrument, {**others, **answers})
    seen_ids = set(seen)
    revealed: list[str] = []
    for item_id, candidate in offered.items():
        if item_id not in shown:
            if item_id not in seen_ids and any(v.strip() for v in raw.get(item_id, [])):
                # Rendered hidden and disabled, so no browser sends it: the form was made up.
                raise TamperedForm(f"the question {item_id!r} is not asked with these answers")
            # Seen, then hidden by a changed answer on this page: neither stored nor held against the respondent.
            answers.pop(item_id, None)
            errors.pop(item_id, None)
        elif candidate.live and item_id not in seen_ids and item_id not in answers and item_id not in errors:
            revealed.append(item_id)
        elif candidate.item.required and item_id not in answers and item_id not in errors and not lenient:
            errors[item_id] = FieldError("required")
    remove = {item for item in section_ids if item not in answers}
    remove |= {item for item in others if item not in shown}
    return PageReading(answers=answers, remove=remove, errors=errors, revealed=revealed, raw=raw)
