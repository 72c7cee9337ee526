"""What is wrong with a visit, said to the shopper: each problem as the question's text, a message in the
shopper's language and a link to the question; and the same knowledge as data, for the phone to check a visit
before it sends it and to explain the server's refusal when it comes (``static/shopper/visits.js``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from servicescore import formats
from servicescore.definitions import DurationItem, Instrument, Item, NpsItem, NumberItem, RatingItem
from servicescore.definitions.text import Language
from servicescore.texts import translate
from servicescore.visits.validation import CODES, Problem

# Fields of a visit that are not answers, by the label the shopper sees; anything else is "the visit".
FIELDS = ("started_at", "ended_at", "photos")


@dataclass(frozen=True, slots=True)
class Explained:
    label: str  # the question's text, with its part of the scorecard, or the part of the visit
    message: str
    href: str | None  # the question in its section, when the problem is an answer's


def question_href(assignment_id: int, section: int, item_id: str) -> str:
    return f"/visits/{assignment_id}/section/{section}#q-{item_id}"


def _bounds(item: Item, language: str) -> tuple[str | None, str | None]:
    """The least and the most a number item takes, as the page writes them (None: no bound on that side)."""
    lang: formats.Lang = "en" if language == "en" else "sv"
    if isinstance(item, RatingItem):
        return str(item.scale.min), str(item.scale.max)
    if isinstance(item, NpsItem):
        return "0", "10"
    if isinstance(item, NumberItem):
        low = None if item.min is None else formats.number(item.min, lang, trim=True)
        return low, None if item.max is None else formats.number(item.max, lang, trim=True)
    if isinstance(item, DurationItem) and item.max_seconds is not None:
        return None, formats.duration(item.max_seconds)
    return None, None


def _message(code: str, item: Item | None, language: str) -> str:
    """What is wrong, in the shopper's language; a value out of range says the range the scorecard allows."""
    low, high = _bounds(item, language) if code == "out_of_range" and item is not None else (None, None)
    if low is not None and high is not None:
        return translate("visits.problem.out_of_range_between", language, low=low, high=high)
    if high is not None:
        return translate("visits.problem.out_of_range_at_most", language, high=high)
    if low is not None:
        return translate("visits.problem.out_of_range_at_least", language, low=low)
    return translate(f"visits.problem.{code if code in CODES else 'invalid'}", language)


def said(problems: list[Problem], definition: Instrument, language: str) -> dict[str, str]:
    """Each field's problem in the shopper's language (the first, when a field has several), as the visit and the
    calibration pages show it next to the field."""
    by_id = {item.id: item for _, item in definition.items()}
    found: dict[str, str] = {}
    for problem in problems:
        parts = problem.field.split(".")
        item = by_id.get(parts[1]) if parts[0] == "answers" and len(parts) > 1 else None
        found.setdefault(problem.field, _message(problem.code, item, language))
    return found


def explain(problems: list[Problem], definition: Instrument, language: str, assignment_id: int) -> list[Explained]:
    """One line per item and kind of problem, in the scorecard's order for answers, the others first."""
    where = _questions(definition, language, assignment_id)
    by_id = {item.id: item for _, item in definition.items()}
    order = {item_id: index for index, item_id in enumerate(where)}
    seen: set[tuple[str, str]] = set()
    lines: list[tuple[int, Explained]] = []
    for problem in problems:
        code = problem.code if problem.code in CODES else "invalid"
        parts = problem.field.split(".")
        item_id = parts[1] if parts[0] == "answers" and len(parts) > 1 and parts[1] in where else ""
        if (item_id or problem.field, code) in seen:
            continue
        seen.add((item_id or problem.field, code))
        message = _message(code, by_id.get(item_id), language)
        if item_id:
            label, href = where[item_id]
            lines.append((order[item_id], Explained(label, message, href)))
        else:
            field = parts[0] if parts[0] in FIELDS else "visit"
            lines.append((-1, Explained(translate(f"visits.field.{field}", language), message, None)))
    return [line for _, line in sorted(lines, key=lambda pair: pair[0])]


def _questions(definition: Instrument, language: str, assignment_id: int) -> dict[str, tuple[str, str]]:
    total = len(definition.sections)
    pick: Language = "en" if language == "en" else "sv"
    return {
        item.id: (
            translate("section.progress", language, n=number, total=total) + ": " + item.text.pick(pick),
            question_href(assignment_id, number, item.id),
        )
        for number, section in enumerate(definition.sections, start=1)
        for item in section.items
    }


def phone_checks(definition: Instrument, language: str, assignment_id: int) -> dict[str, Any]:
    """What the phone needs to check a visit and explain problems: every item's label, link, whether it is
    required and its ``show_if``; the messages by code and the labels of the visit's other fields."""
    where = _questions(definition, language, assignment_id)
    return {
        "items": [
            {
                "id": item.id,
                "label": where[item.id][0],
                "href": where[item.id][1],
                "required": item.required,
                "show_if": item.show_if.model_dump(by_alias=True, exclude_none=True) if item.show_if else None,
                "out_of_range": _message("out_of_range", item, language),
            }
            for _, item in definition.items()
        ],
        "messages": {code: translate(f"visits.problem.{code}", language) for code in CODES},
        "fields": {field: translate(f"visits.field.{field}", language) for field in (*FIELDS, "visit")},
    }
