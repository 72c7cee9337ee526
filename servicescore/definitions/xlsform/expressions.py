"""The small part of XPath that has a ServiceScore equivalent: simple ``relevant`` and ``constraint`` forms.

``relevant`` → ``show_if``: ``${x} = 'a'``, ``${x} = 'a' or ${x} = 'b'``, ``selected(${x}, 'a')`` (and ``or``-ed
``selected``), ``${x} >= 3``, ``${x} <= 6``, ``>``/``<`` on whole-number answers, and one lower with one upper
bound joined by ``and``. ``constraint`` on numbers → min/max: ``. >= 0 and . <= 20``; on text →
``string-length(.) <= 200``. Anything else returns None and the caller lists it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_LITERAL = r"'[^']*'|\"[^\"]*\"|-?\d+(?:\.\d+)?"
_COMPARISON = re.compile(rf"\$\{{\s*(?P<name>[^}}\s]+)\s*\}}\s*(?P<op>!=|>=|<=|=|>|<)\s*(?P<value>{_LITERAL})")
_SELECTED = re.compile(rf"selected\(\s*\$\{{\s*(?P<name>[^}}\s]+)\s*\}}\s*,\s*(?P<value>{_LITERAL})\s*\)")
_REFERENCE = re.compile(r"\$\{\s*([^}\s]+)\s*\}")
_JOINER = re.compile(r"\s+(and|or)\s+")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_SELF_BOUND = re.compile(r"\.\s*(?P<op>>=|<=|>|<)\s*(?P<value>-?\d+(?:\.\d+)?)")
_LENGTH_BOUND = re.compile(r"string-length\(\s*\.\s*\)\s*(?P<op><=|<)\s*(?P<value>\d+)")


@dataclass(frozen=True)
class Literal:
    text: str
    quoted: bool

    def number(self) -> float | None:
        return float(self.text) if _NUMBER.fullmatch(self.text) else None


@dataclass(frozen=True)
class Bound:
    value: Literal
    strict: bool  # > or < rather than >= or <=


@dataclass
class SimpleCondition:
    """A relevant expression in one of the supported shapes, values still as written."""

    item: str
    equals: list[Literal] = field(default_factory=list)  # one value: equals; several: in
    lower: Bound | None = None
    upper: Bound | None = None


def references(expression: str) -> list[str]:
    """Every ``${name}`` in an expression, in order."""
    return _REFERENCE.findall(expression)


def parse_relevant(expression: str) -> SimpleCondition | None:
    """The condition, or None when the expression is not one of the simple shapes."""
    text = _unwrap(expression.strip())
    parts = _JOINER.split(text)
    clauses, joiners = [_unwrap(part) for part in parts[0::2]], set(parts[1::2])
    if len(joiners) > 1:
        return None
    parsed = [_clause(clause) for clause in clauses]
    if any(part is None for part in parsed) or len({part[0] for part in parsed if part}) != 1:
        return None
    name = parsed[0][0] if parsed[0] else ""
    condition = SimpleCondition(item=name)
    for part in parsed:
        assert part is not None
        _, operator, value = part
        if operator == "=" and joiners <= {"or"}:
            condition.equals.append(value)
        elif operator in (">", ">=") and joiners <= {"and"} and condition.lower is None:
            condition.lower = Bound(value, strict=operator == ">")
        elif operator in ("<", "<=") and joiners <= {"and"} and condition.upper is None:
            condition.upper = Bound(value, strict=operator == "<")
        else:
            return None
    if condition.equals and (condition.lower or condition.upper):
        return None
    return condition


def _clause(text: str) -> tuple[str, str, Literal] | None:
    for pattern in (_COMPARISON, _SELECTED):
        match = pattern.fullmatch(text)
        if match:
            operator = match.groupdict().get("op") or "="
            return match.group("name"), operator, _literal(match.group("value"))
    return None


def _literal(text: str) -> Literal:
    if text[:1] in ("'", '"'):
        return Literal(text[1:-1], quoted=True)
    return Literal(text, quoted=False)


def _unwrap(text: str) -> str:
    """``(x)`` → ``x`` while the parentheses enclose the whole text."""
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


@dataclass(frozen=True)
class NumberRange:
    min: float | None
    max: float | None


def parse_number_constraint(expression: str, *, whole: bool) -> NumberRange | None:
    """``. >= 0 and . <= 20`` → 0..20. Strict bounds shift by one on whole numbers; on decimals they fail."""
    low: float | None = None
    high: float | None = None
    parts = _JOINER.split(_unwrap(expression.strip()))
    if set(parts[1::2]) - {"and"}:
        return None
    for part in parts[0::2]:
        match = _SELF_BOUND.fullmatch(_unwrap(part))
        if match is None:
            return None
        value, operator = float(match.group("value")), match.group("op")
        if operator in (">", "<"):
            if not whole or not value.is_integer():
                return None
            value += 1 if operator == ">" else -1
        if operator.startswith(">"):
            if low is not None:
                return None
            low = value
        else:
            if high is not None:
                return None
            high = value
    return NumberRange(low, high)


def parse_length_constraint(expression: str) -> int | None:
    """``string-length(.) <= 200`` → 200."""
    match = _LENGTH_BOUND.fullmatch(_unwrap(expression.strip()))
    if match is None:
        return None
    limit = int(match.group("value"))
    return limit - 1 if match.group("op") == "<" else limit
