"""``relevant`` → ``show_if``: checking references first (an error), then carrying over the simple shapes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from servicescore.definitions.xlsform.expressions import Literal, SimpleCondition, parse_relevant, references


@dataclass
class Answerable:
    """What a relevant expression needs to know about an imported question it names."""

    id: str
    kind: str  # choice, rating, nps, number
    values: dict[str, Any] = field(default_factory=dict)  # choice name as written → stored value
    numeric: bool = False  # answered with numbers that > and < can compare
    whole: bool = False  # whole numbers only, so > 3 means >= 4
    low: float | None = None  # the answers allowed, so a condition that can never hold is caught here
    high: float | None = None

    def answer(self, literal: Literal) -> Any:
        """The stored answer a literal in an expression stands for, or None."""
        if literal.text in self.values:
            return self.values[literal.text]
        number = literal.number()
        if not self.numeric or number is None or (self.whole and not number.is_integer()):
            return None
        if (self.low is not None and number < self.low) or (self.high is not None and number > self.high):
            return None
        return int(number) if number.is_integer() else number


class Unsupported(Exception):
    """The expression is valid XLSForm but has no ``show_if`` equivalent; the message says why."""


def reference_errors(expression: str, own: str, seen: dict[str, int], everywhere: dict[str, int]) -> list[str]:
    """Why the names in an expression are wrong: the question itself, a later question, a name not in the form."""
    errors: list[str] = []
    for name in dict.fromkeys(references(expression)):
        if name == own:
            errors.append(f'relevant "{expression}" refers to ${{{name}}} itself; a circular condition cannot work')
        elif name not in everywhere:
            errors.append(f'relevant "{expression}" names ${{{name}}}, which is not in the survey sheet')
        elif name not in seen:
            errors.append(
                f'relevant "{expression}" names ${{{name}}}, which comes later (row {everywhere[name]}); '
                "a condition may only name an earlier question"
            )
    return errors


def show_if(expression: str, imported: dict[str, Answerable]) -> dict[str, Any]:
    """The ``show_if`` mapping; Unsupported with the reason when the expression cannot be carried over."""
    condition = parse_relevant(expression)
    if condition is None:
        raise Unsupported("is not one of the simple forms (= , selected(), >=, <= on one earlier question)")
    target = imported.get(condition.item)
    if target is None:
        raise Unsupported(f"names ${{{condition.item}}}, which is not imported as a question")
    if condition.equals:
        return _equals(condition, target)
    return _bounds(condition, target)


def _equals(condition: SimpleCondition, target: Answerable) -> dict[str, Any]:
    values = []
    for literal in condition.equals:
        value = target.answer(literal)
        if value is None:
            raise Unsupported(f"compares ${{{condition.item}}} with {literal.text!r}, which is not one of its answers")
        values.append(value)
    if len(values) == 1:
        return {"item": target.id, "equals": values[0]}
    return {"item": target.id, "in": values}


def _bounds(condition: SimpleCondition, target: Answerable) -> dict[str, Any]:
    if not target.numeric:
        raise Unsupported(f"compares {target.kind} ${{{condition.item}}} with > or <; use = or selected()")
    result: dict[str, Any] = {"item": target.id}
    for key, bound, step in (("at_least", condition.lower, 1), ("at_most", condition.upper, -1)):
        if bound is None:
            continue
        value = target.answer(bound.value)
        if value is None:
            raise Unsupported(f"compares ${{{condition.item}}} with {bound.value.text!r}, which is not a number")
        if bound.strict:
            if not target.whole:
                raise Unsupported(f"uses > or < on ${{{condition.item}}}, which takes decimals; use >= or <=")
            value += step
        result[key] = value
    return result
