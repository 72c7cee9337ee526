"""``show_if``: an item is asked only when an earlier answer meets a condition."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr, model_validator

# Strict types so YAML's `true`, `3` and `"3"` stay what they were written as.
ConditionValue = StrictBool | StrictInt | StrictFloat | StrictStr

_OPERATORS = ("equals", "in", "at_most", "at_least")


class Condition(BaseModel):
    """``{item, equals}``, ``{item, in}``, ``{item, at_most}`` and/or ``{item, at_least}`` on an earlier item."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    item: str
    equals: ConditionValue | None = None
    in_: list[ConditionValue] | None = Field(default=None, alias="in", min_length=1)
    at_most: StrictInt | StrictFloat | None = None
    at_least: StrictInt | StrictFloat | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Self:
        given = [name for name in _OPERATORS if self.operand(name) is not None]
        bounds = {"at_most", "at_least"}
        if not given:
            raise ValueError("needs one of equals, in, at_most or at_least besides item")
        if len(given) > 1 and not set(given) <= bounds:
            raise ValueError(f"use only one of equals, in, at_most or at_least (got {', '.join(given)})")
        if self.at_most is not None and self.at_least is not None and self.at_least > self.at_most:
            raise ValueError(f"at_least ({self.at_least}) must not be above at_most ({self.at_most})")
        return self

    def operand(self, name: str) -> object:
        """The value given for operator ``name`` (``equals``, ``in``, ``at_most``, ``at_least``), or None."""
        return self.in_ if name == "in" else getattr(self, name)

    def values(self) -> list[ConditionValue]:
        """Every value the condition compares with, for checking them against the item they name."""
        if self.equals is not None:
            return [self.equals]
        if self.in_ is not None:
            return list(self.in_)
        return [bound for bound in (self.at_least, self.at_most) if bound is not None]

    def holds(self, answers: Mapping[str, object]) -> bool:
        """Whether the condition is met. A missing, None (unanswered or N/A) answer never meets it.

        A multiple-choice answer (a list) meets ``equals``/``in`` when any chosen value matches.
        """
        answer = answers.get(self.item)
        if answer is None:
            return False
        if self.equals is not None:
            return _matches(answer, self.equals)
        if self.in_ is not None:
            return any(_matches(answer, expected) for expected in self.in_)
        number = _as_number(answer)
        if number is None:
            return False
        if self.at_most is not None and number > self.at_most:
            return False
        return not (self.at_least is not None and number < self.at_least)


def _matches(answer: object, expected: ConditionValue) -> bool:
    if isinstance(answer, list | tuple | set | frozenset):
        return any(_matches(chosen, expected) for chosen in answer)
    # True == 1 in Python; a yes/no answer must not satisfy a numeric condition or the reverse.
    if isinstance(answer, bool) != isinstance(expected, bool):
        return False
    return answer == expected


def _as_number(answer: object) -> float | None:
    if isinstance(answer, bool) or not isinstance(answer, int | float):
        return None
    return float(answer)
