"""A visit's answers as the reviewer reads them: choices by their text, durations in minutes and seconds, numbers
with the page's decimal mark (the review page showed "['silence']" and "106")."""

from __future__ import annotations

import pytest

from servicescore.web.review.pages import answer_text
from tests.support.instruments import shipped_instruments


def item(instrument: str, item_id: str) -> object:
    return next(found for _, found in shipped_instruments()[instrument].items() if found.id == item_id)


@pytest.mark.parametrize(
    ("instrument", "item_id", "value", "language", "shown"),
    [
        ("channel-audit", "waiting_experience", ["silence"], "sv", "Tystnad"),
        ("channel-audit", "waiting_experience", ["music", "silence"], "en", "Music, Silence"),
        ("mystery-call", "queue_time", 106, "sv", "1 min 46 s"),
        ("mystery-call", "queue_time", 45, "en", "45 s"),
        ("guided-tour", "tour_duration", 2700, "sv", "45 min"),
        ("guided-tour", "tour_duration", 4500, "en", "1 h 15 min"),
        ("guided-tour", "guide_engagement", 2, "sv", "2"),
    ],
)
def test_an_answer_is_shown_in_words(instrument: str, item_id: str, value: object, language: str, shown: str) -> None:
    assert answer_text(item(instrument, item_id), value, language) == shown  # type: ignore[arg-type]  # test values
