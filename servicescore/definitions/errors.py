"""Turning validation failures into ``path.inside.file: message`` lines that say what to fix."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from servicescore.definitions.consistency import InstrumentProblems, Loc, Problem
from servicescore.definitions.items import ITEM_TYPES

_LANGUAGES = {"sv": "Swedish", "en": "English"}
# Smart unions add the member's type to the path; readers wrote one value, so the member is cut off.
_UNION_MEMBERS = {"bool", "int", "float", "str"}
_CONDITION_VALUES = {"equals", "at_most", "at_least"}


class DefinitionError(Exception):
    """One or more problems in definition files, each line ``file: path.inside.file: message``."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = list(lines)
        super().__init__("\n".join(self.lines))


def format_loc(loc: Loc) -> str:
    """``('sections', 2, 'items', 0, 'scale', 'max')`` → ``sections[2].items[0].scale.max``."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def problems_of(error: ValidationError, models: Iterable[type[BaseModel]]) -> list[Problem]:
    """Every problem in ``error``, with paths as the author wrote them and messages that say the fix."""
    known = _field_names(models)
    problems: list[Problem] = []
    for detail in error.errors(include_url=False):
        cause = detail.get("ctx", {}).get("error")
        if isinstance(cause, InstrumentProblems):
            problems += [((*_author_loc(detail["loc"]), *loc), message) for loc, message in cause.problems]
            continue
        problem = _problem(detail, known)
        if problem not in problems:
            problems.append(problem)
    return problems


def _author_loc(loc: tuple[int | str, ...]) -> Loc:
    kept: list[int | str] = []
    for index, part in enumerate(loc):
        # The discriminated union inserts the item type after the item's index: items[0].rating.scale.
        if part in ITEM_TYPES and index >= 2 and isinstance(loc[index - 1], int) and loc[index - 2] == "items":
            continue
        kept.append(part)
    return tuple(kept)


def _problem(detail: ErrorDetails, known: set[str]) -> Problem:
    loc = _author_loc(detail["loc"])
    kind, value = detail["type"], detail["input"]
    ctx: dict[str, Any] = dict(detail.get("ctx", {}))
    if loc and loc[-1] in _UNION_MEMBERS and _is_condition_value(loc[:-1]):
        return loc[:-1], f"must be one value: true/false, a number or a text (got {_shown(value)})"
    if kind == "missing":
        return loc, _missing(loc)
    if kind == "extra_forbidden":
        name = str(loc[-1])
        close = difflib.get_close_matches(name, sorted(known), n=1)
        hint = f"did you mean {close[0]!r}?" if close else "remove it or check the spelling"
        return loc, f"unknown field {name!r}; {hint}"
    if kind == "union_tag_invalid":
        return (*loc, "type"), f"unknown item type {ctx['tag']!r}; use one of: {', '.join(ITEM_TYPES)}"
    if kind == "union_tag_not_found":
        return (*loc, "type"), f"item has no type; add type: one of {', '.join(ITEM_TYPES)}"
    return loc, _message(kind, value, ctx, detail["msg"])


def _is_condition_value(loc: Loc) -> bool:
    if len(loc) >= 2 and isinstance(loc[-1], int) and loc[-2] == "in":
        return True
    return bool(loc) and loc[-1] in _CONDITION_VALUES


def _missing(loc: Loc) -> str:
    name = str(loc[-1]) if loc else "?"
    if name in _LANGUAGES:
        return f"missing {_LANGUAGES[name]} text ({name}); every text needs both sv and en"
    return f"required field {name!r} is missing; add it"


# What a value must be, by pydantic error type: "must be a whole number (got 'x')".
_EXPECTED = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "a text",
    "model_type": "a mapping of fields (key: value)",
    "model_attributes_type": "a mapping of fields (key: value)",
    "dict_type": "a mapping of fields (key: value)",
    "list_type": "a list (lines starting with '- ')",
}


def _message(kind: str, value: object, ctx: dict[str, Any], fallback: str) -> str:  # noqa: PLR0911 - a lookup
    got = f"(got {_shown(value)})"
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error", fallback))
    if kind == "string_type" and isinstance(value, bool | int | float):
        # YAML reads yes/no/on/off as booleans and bare digits as numbers.
        return f"must be a text {got}; YAML reads bare yes/no/on/off and numbers as values, so put it in quotes"
    if kind in _EXPECTED:
        return f"must be {_EXPECTED[kind]} {got}"
    if kind == "greater_than":
        return f"must be greater than {_number(ctx['gt'])} {got}"
    if kind == "greater_than_equal":
        return f"must be {_number(ctx['ge'])} or more {got}"
    if kind == "less_than_equal":
        return f"must be {_number(ctx['le'])} or less {got}"
    if kind == "too_short":
        return f"needs at least {ctx['min_length']} {'entry' if ctx['min_length'] == 1 else 'entries'} {got}"
    if kind == "literal_error":
        return f"must be one of {ctx['expected']} {got}"
    return f"{fallback} {got}"


def _number(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _shown(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _field_names(models: Iterable[type[BaseModel]]) -> set[str]:
    names: set[str] = set()
    for model in models:
        for name, field in model.model_fields.items():
            names.add(field.alias or name)
    return names
