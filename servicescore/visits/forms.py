"""A section's HTML form as answers, for phones without JavaScript (the offline script builds the same shape).

Field names: ``<item>`` holds the choice (``1``–``5``, ``yes``, ``no``, ``na``, a number or text),
``<item>.comment`` the comment, ``<item>.min`` and ``<item>.sec`` a duration, ``<item>.remove.<sha256>`` a photo
to drop. Photos arrive as files and are added by the web layer after re-encoding.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from servicescore.definitions import (
    ChoiceItem,
    DurationItem,
    Item,
    NpsItem,
    NumberItem,
    PhotoItem,
    RatingItem,
    Section,
    TextItem,
    YesNoItem,
)
from servicescore.visits.validation import Problem


def section_answers(
    section: Section, form: Mapping[str, str], earlier: Mapping[str, dict[str, Any]]
) -> tuple[dict[str, dict[str, Any]], list[Problem]]:
    """The section's answers from the form, keeping photos already taken unless ticked for removal; items left
    empty are left out."""
    answers: dict[str, dict[str, Any]] = {}
    problems: list[Problem] = []
    for item in section.items:
        answer: dict[str, Any] = {}
        raw = form.get(item.id, "").strip()
        try:
            answer.update(_value(item, raw, form))
        except ValueError as error:
            problems.append(Problem(f"answers.{item.id}.value", str(error)))
        comment = form.get(f"{item.id}.comment", "").strip()
        if comment:
            answer["comment"] = comment
        kept = [sha for sha in earlier.get(item.id, {}).get("photos", []) if not form.get(f"{item.id}.remove.{sha}")]
        if isinstance(item, PhotoItem) and kept:
            answer["photos"] = kept
        if answer:
            answers[item.id] = answer
    return answers, problems


def _value(item: Item, raw: str, form: Mapping[str, str]) -> dict[str, Any]:  # noqa: PLR0911 - one per item type
    if raw == "na":
        return {"na": True}
    if isinstance(item, DurationItem):
        minutes, seconds = form.get(f"{item.id}.min", "").strip(), form.get(f"{item.id}.sec", "").strip()
        if not minutes and not seconds:
            return {}
        if not (minutes or "0").isdigit() or not (seconds or "0").isdigit():
            raise ValueError("write whole minutes and seconds")
        return {"value": int(minutes or 0) * 60 + int(seconds or 0)}
    if not raw:
        return {}
    if isinstance(item, YesNoItem):
        if raw not in {"yes", "no"}:
            raise ValueError("choose yes or no")
        return {"value": raw == "yes"}
    if isinstance(item, RatingItem | NpsItem):
        if not raw.isdigit():
            raise ValueError("choose one of the numbers")
        return {"value": int(raw)}
    if isinstance(item, NumberItem):
        try:
            number = float(raw.replace(",", "."))
        except ValueError:
            raise ValueError(f"write a number (got {raw!r})") from None
        return {"value": int(number) if number.is_integer() else number}
    if isinstance(item, TextItem | ChoiceItem):
        return {"value": raw}
    return {}
