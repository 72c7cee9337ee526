"""A value out of range is told with the range the scorecard allows, in the shopper's language, on the pages and in
what the phone's script is given to explain a refusal."""

from __future__ import annotations

import pytest

from servicescore.definitions import Instrument
from servicescore.visits.validation import Problem
from servicescore.web.visits.problems import phone_checks, said

SCORECARD = Instrument.model_validate(
    {
        "id": "ranges",
        "kind": "scorecard",
        "title": {"sv": "Gränser", "en": "Ranges"},
        "sections": [
            {
                "id": "s",
                "title": {"sv": "Del", "en": "Part"},
                "items": [
                    {"id": "rating", "type": "rating", "text": {"sv": "Betyg", "en": "Rating"}},
                    {"id": "nps", "type": "nps", "text": {"sv": "Rekommendera", "en": "Recommend"}},
                    {"id": "wait", "type": "number", "min": 0.5, "text": {"sv": "Kö", "en": "Queue"}},
                    {"id": "both", "type": "number", "min": 1, "max": 1500.5, "text": {"sv": "Tal", "en": "Figure"}},
                    {"id": "call", "type": "duration", "max_seconds": 5400, "text": {"sv": "Samtal", "en": "Call"}},
                    {"id": "free", "type": "duration", "text": {"sv": "Fritt", "en": "Free"}},
                ],
            }
        ],
    }
)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "sv",
            {
                "rating": "Värdet ligger utanför det som protokollet tillåter: 1 till 5.",
                "nps": "Värdet ligger utanför det som protokollet tillåter: 0 till 10.",
                "wait": "Värdet ligger utanför det som protokollet tillåter: minst 0,5.",
                "both": "Värdet ligger utanför det som protokollet tillåter: 1 till 1\u00a0500,5.",
                "call": "Värdet ligger utanför det som protokollet tillåter: högst 1 h 30 min.",
                "free": "Värdet ligger utanför det som protokollet tillåter.",
            },
        ),
        ("en", {"both": "The value lies outside what the scorecard allows: 1 to 1,500.5."}),
    ],
)
def test_an_out_of_range_value_is_told_with_its_range(language: str, expected: dict[str, str]) -> None:
    problems = [Problem(f"answers.{item}.value", "out of range", "out_of_range") for item in expected]
    assert said(problems, SCORECARD, language) == {f"answers.{k}.value": v for k, v in expected.items()}
    ranges = {item["id"]: item["out_of_range"] for item in phone_checks(SCORECARD, language, 1)["items"]}
    assert {item: ranges[item] for item in expected} == expected


def test_other_problems_keep_their_message() -> None:
    problems = [Problem("answers.rating.value", "not a number", "invalid"), Problem("ended_at", "clock", "clock")]
    assert said(problems, SCORECARD, "sv") == {
        "answers.rating.value": "Svaret har en form som protokollet inte tar emot. Svara på frågan igen.",
        "ended_at": "Telefonens klocka verkar gå fel. Ställ in rätt datum och tid och skicka in igen.",
    }
