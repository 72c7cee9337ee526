"""A section's plain HTML form read as answers, the way phones without JavaScript send it."""

from __future__ import annotations

from servicescore.definitions import load_instrument
from servicescore.settings import Settings
from servicescore.visits.forms import section_answers

CALL = load_instrument(Settings().surveys_dir / "mystery-call.yaml")
TOUR = load_instrument(Settings().surveys_dir / "guided-tour.yaml")


def test_choices_numbers_durations_and_comments() -> None:
    getting_through = CALL.sections[0]
    form = {"queue_time.min": "4", "queue_time.sec": "30", "phone_menu": "na", "queue_information": "no",
            "queue_information.comment": "Ingen information alls.", "callback_offered": ""}  # fmt: skip
    answers, problems = section_answers(getting_through, form, {})
    assert problems == []
    assert answers == {
        "queue_time": {"value": 270},
        "phone_menu": {"na": True},
        "queue_information": {"value": False, "comment": "Ingen information alls."},
    }
    resolution = CALL.sections[2]
    answers, problems = section_answers(resolution, {"transfers": "4", "agent_knowledge": "2"}, {})
    assert answers == {"transfers": {"value": 4}, "agent_knowledge": {"value": 2}}


def test_bad_input_and_kept_photos() -> None:
    welcome = TOUR.sections[0]
    earlier = {"entrance_photo": {"photos": ["a" * 64]}}
    answers, problems = section_answers(welcome, {"welcome_warmth": "bra", "started_on_time": "kanske"}, earlier)
    assert [(p.field, p.message) for p in problems] == [
        ("answers.started_on_time.value", "choose yes or no"),
        ("answers.welcome_warmth.value", "choose one of the numbers"),
    ]
    assert answers == {"entrance_photo": {"photos": ["a" * 64]}}
