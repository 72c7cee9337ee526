from __future__ import annotations

import pytest

from servicescore.definitions import Condition


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        ({"item": "recommend", "at_most": 6}, {"recommend": 6}, True),
        ({"item": "recommend", "at_most": 6}, {"recommend": 7}, False),
        ({"item": "recommend", "at_most": 6}, {"recommend": 0}, True),
        ({"item": "recommend", "at_least": 9}, {"recommend": 9}, True),
        ({"item": "recommend", "at_least": 9}, {"recommend": 8.5}, False),
        ({"item": "score", "at_least": 2, "at_most": 3}, {"score": 3}, True),
        ({"item": "score", "at_least": 2, "at_most": 3}, {"score": 4}, False),
        ({"item": "solved", "equals": False}, {"solved": False}, True),
        ({"item": "solved", "equals": False}, {"solved": True}, False),
        # True == 1 in Python; a yes/no answer must not meet a numeric condition.
        ({"item": "score", "equals": 1}, {"score": True}, False),
        ({"item": "solved", "equals": True}, {"solved": 1}, False),
        ({"item": "score", "at_most": 5}, {"score": True}, False),
        ({"item": "visit", "equals": "returning"}, {"visit": "returning"}, True),
        ({"item": "visit", "in": ["first_visit", "returning"]}, {"visit": "first_visit"}, True),
        ({"item": "visit", "in": ["returning"]}, {"visit": "first_visit"}, False),
        # Multiple choice: any chosen value counts.
        ({"item": "heard", "equals": "silence"}, {"heard": ["music", "silence"]}, True),
        ({"item": "heard", "in": ["silence", "repeated_advertising"]}, {"heard": ["music"]}, False),
        # Unanswered, N/A (None) and a non-number under a bound never meet a condition.
        ({"item": "recommend", "at_most": 6}, {}, False),
        ({"item": "recommend", "at_most": 6}, {"recommend": None}, False),
        ({"item": "recommend", "at_most": 6}, {"recommend": "3"}, False),
    ],
)
def test_holds(condition: dict[str, object], answers: dict[str, object], expected: bool) -> None:
    assert Condition.model_validate(condition).holds(answers) is expected


@pytest.mark.parametrize(
    ("condition", "fragment"),
    [
        ({"item": "x"}, "needs one of equals, in, at_most or at_least"),
        ({"item": "x", "equals": 1, "at_most": 3}, "use only one of"),
        ({"item": "x", "at_least": 4, "at_most": 3}, "must not be above at_most"),
    ],
)
def test_a_condition_needs_exactly_one_test(condition: dict[str, object], fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        Condition.model_validate(condition)
