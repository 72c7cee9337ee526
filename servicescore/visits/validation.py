"""Checking a visit against its scorecard: every problem names the field, so the phone can show where it is.

A draft may be incomplete; a submitted visit must answer every required item that is shown (``show_if``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from servicescore.definitions import (
    ChoiceItem,
    DurationItem,
    Instrument,
    Item,
    NpsItem,
    NumberItem,
    PhotoItem,
    RatingItem,
    TextItem,
    YesNoItem,
)
from servicescore.visits.payload import ItemAnswer, VisitPayload

# A phone's clock may run a little fast; a visit ending further ahead than this is a wrong clock, not a visit.
CLOCK_SKEW = timedelta(minutes=10)


# What kind of problem, for the shopper's phone and pages to say in the shopper's language (``message`` is the
# English detail the API gives developers). The web layer holds a text for each code.
CODES = (
    "required", "invalid", "out_of_range", "na_not_allowed", "unknown_item", "too_many_photos", "photo_rejected",
    "photo_too_large", "photos_missing", "clock", "times_missing", "conflict",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Problem:
    field: str  # a JSON path into the payload: "answers.pace.value"
    message: str
    code: str = "invalid"  # one of CODES

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def check_visit(payload: VisitPayload, instrument: Instrument, now: datetime) -> list[Problem]:
    problems = _check_times(payload, now)
    known = {item.id: item for _, item in instrument.items()}
    for item_id, answer in payload.answers.items():
        item = known.get(item_id)
        if item is None:
            message = f"is not an item of the scorecard {instrument.id}"
            problems.append(Problem(f"answers.{item_id}", message, "unknown_item"))
            continue
        problems.extend(_check_answer(f"answers.{item_id}", item, answer))
    if payload.status == "submitted":
        problems.extend(_check_complete(payload, instrument))
    return problems


def _check_times(payload: VisitPayload, now: datetime) -> list[Problem]:
    problems = []
    for name in ("started_at", "ended_at"):
        value: datetime | None = getattr(payload, name)
        if value is not None and value > now + CLOCK_SKEW:
            message = f"lies in the future ({value.isoformat()}); check the phone's clock"
            problems.append(Problem(name, message, "clock"))
    if payload.started_at and payload.ended_at and payload.ended_at < payload.started_at:
        problems.append(Problem("ended_at", "is before started_at", "clock"))
    if payload.status == "submitted" and payload.started_at is None:
        problems.append(Problem("started_at", "is needed to submit a visit", "times_missing"))
    if payload.status == "submitted" and payload.ended_at is None:
        problems.append(Problem("ended_at", "is needed to submit a visit", "times_missing"))
    return problems


def _check_answer(path: str, item: Item, answer: ItemAnswer) -> list[Problem]:
    problems = []
    if answer.na:
        if not item.na_allowed:
            problems.append(Problem(f"{path}.na", "this item cannot be answered N/A", "na_not_allowed"))
        if answer.value is not None:
            problems.append(Problem(f"{path}.value", "must be left out when the answer is N/A"))
    elif answer.value is not None and (message := _value_problem(item, answer.value)):
        problems.append(Problem(f"{path}.value", message, _value_code(item, answer.value)))
    if answer.comment is not None and not getattr(item, "comment", False) and not isinstance(item, TextItem):
        problems.append(Problem(f"{path}.comment", "this item takes no comment"))
    if answer.photos and not isinstance(item, PhotoItem):
        problems.append(Problem(f"{path}.photos", "only photo items take photos"))
    if isinstance(item, PhotoItem) and len(answer.photos) > item.max_count:
        message = f"at most {item.max_count} photos (got {len(answer.photos)})"
        problems.append(Problem(f"{path}.photos", message, "too_many_photos"))
    return problems


def _value_problem(item: Item, value: object) -> str | None:  # noqa: PLR0911, PLR0912 - one branch per item type
    number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
    if isinstance(item, RatingItem):
        low, high = item.scale.min, item.scale.max
        if not isinstance(number, int) or not low <= number <= high:
            return f"must be a whole number from {low} to {high} (got {value!r})"
    elif isinstance(item, NpsItem):
        if not isinstance(number, int) or not 0 <= number <= 10:
            return f"must be a whole number from 0 to 10 (got {value!r})"
    elif isinstance(item, YesNoItem):
        if not isinstance(value, bool):
            return f"must be true or false (got {value!r})"
    elif isinstance(item, NumberItem):
        return _number_problem(item, number, value)
    elif isinstance(item, DurationItem):
        top = item.max_seconds
        if not isinstance(number, int) or number < 0 or (top is not None and number > top):
            return f"must be whole seconds from 0 to {top if top is not None else 'any'} (got {value!r})"
    elif isinstance(item, TextItem):
        if not isinstance(value, str) or len(value) > item.max_length:
            return f"must be a text of at most {item.max_length} characters"
    elif isinstance(item, ChoiceItem):
        chosen = value if isinstance(value, list) else [value]
        if not item.multiple and isinstance(value, list):
            return "takes one choice, not a list"
        if unknown := [choice for choice in chosen if choice not in item.values()]:
            return f"{unknown[0]!r} is not one of {', '.join(item.values())}"
    elif isinstance(item, PhotoItem):
        return "photo items take photos, not a value"
    return None


def _value_code(item: Item, value: object) -> str:
    """A number given where a number belongs is out of range; anything else has the wrong form."""
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    scaled = isinstance(item, RatingItem | NpsItem | NumberItem | DurationItem)
    return "out_of_range" if numeric and scaled else "invalid"


def _number_problem(item: NumberItem, number: float | None, value: object) -> str | None:
    if number is None or (item.integer and not isinstance(number, int)):
        return f"must be a {'whole ' if item.integer else ''}number (got {value!r})"
    if (item.min is not None and number < item.min) or (item.max is not None and number > item.max):
        return (
            f"must lie from {item.min:g} to {item.max:g} (got {number:g})"
            if item.min is not None and item.max is not None
            else f"is out of range (got {number:g})"
        )
    return None


def _check_complete(payload: VisitPayload, instrument: Instrument) -> list[Problem]:
    values = {item_id: (None if answer.na else answer.value) for item_id, answer in payload.answers.items()}
    problems = []
    for _, item in instrument.items():
        if not item.required or (item.show_if is not None and not item.show_if.holds(values)):
            continue
        answer = payload.answers.get(item.id)
        answered = answer is not None and (answer.na or answer.value is not None or bool(answer.photos))
        if not answered:
            problems.append(Problem(f"answers.{item.id}", "is required to submit the visit", "required"))
    return problems
