"""The XPath shapes that have a ServiceScore equivalent, and the ones that do not."""

from __future__ import annotations

import pytest

from servicescore.definitions.xlsform import convert_xlsform, workbook
from servicescore.definitions.xlsform.expressions import (
    Bound,
    Literal,
    NumberRange,
    SimpleCondition,
    parse_length_constraint,
    parse_number_constraint,
    parse_relevant,
    references,
)
from tests.support.xlsform_builders import LIKERT, workbook_bytes


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("${a} = 'x'", SimpleCondition("a", equals=[Literal("x", quoted=True)])),
        ('${a}="x"', SimpleCondition("a", equals=[Literal("x", quoted=True)])),
        ("( ${a} = 3 )", SimpleCondition("a", equals=[Literal("3", quoted=False)])),
        (
            "${a} = 'x' or ${a} = 'y'",
            SimpleCondition("a", equals=[Literal("x", quoted=True), Literal("y", quoted=True)]),
        ),
        ("selected(${m}, 'x')", SimpleCondition("m", equals=[Literal("x", quoted=True)])),
        ("${n} >= 3", SimpleCondition("n", lower=Bound(Literal("3", quoted=False), strict=False))),
        ("${n} < 7", SimpleCondition("n", upper=Bound(Literal("7", quoted=False), strict=True))),
        (
            "(${n} >= 1) and (${n} <= 6)",
            SimpleCondition(
                "n",
                lower=Bound(Literal("1", quoted=False), strict=False),
                upper=Bound(Literal("6", quoted=False), strict=False),
            ),
        ),
    ],
)
def test_simple_shapes(expression: str, expected: SimpleCondition) -> None:
    assert parse_relevant(expression) == expected


@pytest.mark.parametrize(
    "expression",
    [
        "${a} != 'x'",
        "${a} = 'x' and ${b} = 'y'",
        "${a} = 'x' or ${b} = 'y'",
        "${a} = 'x' or ${a} = 'y' and ${a} = 'z'",
        "not(selected(${a}, 'x'))",
        "${a} >= 1 or ${a} <= 0",
        "${a} >= 1 and ${a} >= 2",
        "count-selected(${m}) > 1",
        "${a} = ${b}",
        "string-length(${a}) > 0",
    ],
)
def test_other_shapes_are_not_simple(expression: str) -> None:
    assert parse_relevant(expression) is None


def test_references_in_order() -> None:
    assert references("${a} > 1 and selected( ${b} , 'x') or ${a} = 2") == ["a", "b", "a"]


@pytest.mark.parametrize(
    ("expression", "whole", "expected"),
    [
        (". >= 0 and . <= 20", True, NumberRange(0, 20)),
        (". > 0 and . < 10", True, NumberRange(1, 9)),
        (". <= 99.5", False, NumberRange(None, 99.5)),
        (". > 0", False, None),  # a strict bound on decimals has no min/max equivalent
        (". >= 0 or . <= 20", True, None),
        (". >= 0 and . >= 5", True, None),
        (". != 3", True, None),
        ("regex(., '^[0-9]+$')", True, None),
    ],
)
def test_number_constraints(expression: str, whole: bool, expected: NumberRange | None) -> None:
    assert parse_number_constraint(expression, whole=whole) == expected


def test_length_constraints() -> None:
    assert parse_length_constraint("string-length(.) <= 200") == 200
    assert parse_length_constraint("string-length( . ) < 50") == 49
    assert parse_length_constraint("string-length(.) > 3") is None


def test_a_workbook_that_unpacks_too_large_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = workbook_bytes({"survey": [["type", "name", "label"], ["text", "q", "Q"]], "choices": LIKERT})
    assert convert_xlsform(data, "f.xlsx").ok
    monkeypatch.setattr(workbook, "MAX_UNPACKED_BYTES", 1000)
    lines = convert_xlsform(data, "f.xlsx").lines()
    assert len(lines) == 1
    assert lines[0].startswith("f.xlsx: (file): the workbook unpacks to 0 MB, more than a form needs")
