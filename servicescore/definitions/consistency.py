"""Checks that span several items: unique ids, and ``show_if`` conditions that point to earlier answers."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from servicescore.definitions.conditions import Condition
from servicescore.definitions.items import (
    ChoiceItem,
    DurationItem,
    Item,
    NpsItem,
    NumberItem,
    RatingItem,
    YesNoItem,
)

if TYPE_CHECKING:
    from servicescore.definitions.instrument import Section

Loc = tuple[str | int, ...]
Problem = tuple[Loc, str]


class InstrumentProblems(ValueError):
    """Raised by Instrument validation; carries every problem with its path so the loader can report each."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(f"{'.'.join(map(str, loc))}: {message}" for loc, message in self.problems))


def find_problems(sections: Sequence[Section]) -> list[Problem]:
    return [*_duplicate_sections(sections), *_duplicate_items(sections), *_conditions(sections)]


def _duplicate_sections(sections: Sequence[Section]) -> Iterator[Problem]:
    first: dict[str, int] = {}
    for index, section in enumerate(sections):
        if section.id in first:
            yield (
                ("sections", index, "id"),
                (
                    f"duplicate section id {section.id!r} (also sections[{first[section.id]}]); "
                    "give each section its own id"
                ),
            )
        first.setdefault(section.id, index)


def _duplicate_items(sections: Sequence[Section]) -> Iterator[Problem]:
    first: dict[str, str] = {}
    for s, section in enumerate(sections):
        for i, item in enumerate(section.items):
            here = f"sections[{s}].items[{i}]"
            if item.id in first:
                message = f"duplicate item id {item.id!r} (also {first[item.id]}); item ids must be unique"
                yield ("sections", s, "items", i, "id"), message
            first.setdefault(item.id, here)
            if isinstance(item, ChoiceItem):
                yield from _duplicate_choices(item, ("sections", s, "items", i))


def _duplicate_choices(item: ChoiceItem, loc: Loc) -> Iterator[Problem]:
    seen: set[str] = set()
    for index, choice in enumerate(item.choices):
        if choice.value in seen:
            message = f"duplicate choice value {choice.value!r}; give each choice its own value"
            yield (*loc, "choices", index, "value"), message
        seen.add(choice.value)


def _conditions(sections: Sequence[Section]) -> Iterator[Problem]:
    everything = {item.id for section in sections for item in section.items}
    earlier: dict[str, Item] = {}
    for s, section in enumerate(sections):
        for i, item in enumerate(section.items):
            if item.show_if is not None:
                loc: Loc = ("sections", s, "items", i, "show_if")
                yield from _condition(item.id, item.show_if, earlier, everything, loc)
            earlier.setdefault(item.id, item)


def _condition(
    own_id: str, condition: Condition, earlier: dict[str, Item], everything: set[str], loc: Loc
) -> Iterator[Problem]:
    name = condition.item
    if name == own_id:
        yield (*loc, "item"), "an item cannot depend on its own answer; name an earlier item"
    elif name in everything and name not in earlier:
        yield (*loc, "item"), f"item {name!r} comes later in the instrument; show_if may only name an earlier item"
    elif name not in everything:
        close = difflib.get_close_matches(name, sorted(earlier), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else "; name an earlier item's id"
        yield (*loc, "item"), f"there is no item {name!r} in this instrument{hint}"
    else:
        yield from _condition_fits(condition, earlier[name], loc)


def condition_problems(condition: Condition, items: Mapping[str, Item], loc: Loc) -> Iterator[Problem]:
    """Problems of a condition that may name any of ``items`` (a follow-up rule, read once the response is sent)."""
    yield from _condition("", condition, dict(items), set(items), loc)


def _operands(condition: Condition, loc: Loc) -> Iterator[tuple[Loc, str, object]]:
    if condition.equals is not None:
        yield (*loc, "equals"), "equals", condition.equals
    for index, member in enumerate(condition.in_ or ()):
        yield (*loc, "in", index), "in", member
    for bound in ("at_least", "at_most"):
        limit = condition.operand(bound)
        if limit is not None:
            yield (*loc, bound), bound, limit


def _condition_fits(condition: Condition, target: Item, loc: Loc) -> Iterator[Problem]:
    for where, operator, value in _operands(condition, loc):
        message = _misfit(target, operator, value)
        if message:
            yield where, message


def _misfit(target: Item, operator: str, value: object) -> str | None:  # noqa: PLR0911 - one answer per item type
    bound = operator in ("at_least", "at_most")
    if isinstance(target, ChoiceItem):
        if bound:
            return f"choice item {target.id!r} is compared with equals or in, not {operator}"
        if value not in target.values():
            return f"{value!r} is not a choice of item {target.id!r}; use one of: {', '.join(target.values())}"
        return None
    if isinstance(target, YesNoItem):
        if bound or not isinstance(value, bool):
            return f"yes_no item {target.id!r} is compared with equals: true or equals: false (got {value!r})"
        return None
    if isinstance(target, RatingItem | NpsItem):
        low, high = (target.scale.min, target.scale.max) if isinstance(target, RatingItem) else (0, 10)
        return _in_range(target, value, low, high, whole=not bound)
    if isinstance(target, NumberItem):
        return _in_range(target, value, target.min, target.max, whole=False)
    if isinstance(target, DurationItem):
        return _in_range(target, value, 0, target.max_seconds, whole=False)
    return (
        f"{target.type} item {target.id!r} cannot be used in show_if; "
        "name a rating, nps, yes_no, choice, number or duration item"
    )


def _in_range(target: Item, value: object, low: float | None, high: float | None, *, whole: bool) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{target.type} item {target.id!r} is compared with a number (got {value!r})"
    if whole and value != int(value):
        return f"{target.type} item {target.id!r} is answered in whole points (got {value!r})"
    if (low is not None and value < low) or (high is not None and value > high):
        span = f"{'' if low is None else f'{low:g}'}–{'' if high is None else f'{high:g}'}"
        return f"{value!r} is outside the answers item {target.id!r} allows ({span})"
    return None
