"""The follow-up block of an instrument: what it accepts, what it refuses (pointing home), and when it opens a case."""

from __future__ import annotations

from pathlib import Path

import pytest

from servicescore.definitions import FollowUp, check_paths, json_schema, load_instrument
from tests.support.broken_surveys import BrokenCopy

LOW = "item: overall_satisfaction\n      at_most: 2"
RULES = "  when_any:\n    - item: overall_satisfaction\n      at_most: 2\n    - item: recommend\n      at_most: 6\n"

# (case, replacements in visitor-survey.yaml, path inside the file, message fragment)
CASES: list[tuple[str, list[tuple[str, str]], str, str]] = [
    ("consent is not an item", [("consent: contact_consent", "consent: contact_ok")],
     "follow_up.consent", "there is no item 'contact_ok'"),
    ("consent is a rating", [("consent: contact_consent", "consent: staff_welcome")],
     "follow_up.consent", "is a rating item; consent is asked with a yes_no item"),
    ("rule names a missing item", [("- item: recommend\n      at_most: 6", "- item: recomend\n      at_most: 6")],
     "follow_up.when_any[1].item", "did you mean 'recommend'?"),
    ("rule outside the scale", [(LOW, LOW.replace("2", "7"))],
     "follow_up.when_any[0].at_most", "7 is outside the answers item 'overall_satisfaction' allows (1–5)"),
    ("rule on the consent", [(LOW, "item: contact_consent\n      equals: true")],
     "follow_up.when_any[0].item", "the consent is checked anyway"),
    ("no rule", [(RULES, "")], "follow_up.when_any", "required field 'when_any' is missing"),
    ("empty rule list", [(RULES, "  when_any: []\n")], "follow_up.when_any", "needs at least 1 entry"),
    ("no way to reach", [("contact: [name, email, phone]", "contact: [name]")],
     "follow_up.contact", "needs email or phone"),
    ("field twice", [("contact: [name, email, phone]", "contact: [email, email]")],
     "follow_up.contact", "named twice"),
    ("unknown contact field", [("contact: [name, email, phone]", "contact: [name, fax]")],
     "follow_up.contact[1]", "must be one of 'name', 'email' or 'phone' (got 'fax')"),
    ("due time zero", [("due_hours: 48", "due_hours: 0")], "follow_up.due_hours", "must be 1 or more (got 0)"),
    ("due time far off", [("due_hours: 48", "due_hours: 9999")], "follow_up.due_hours", "must be 2160 or less"),
    ("misspelt field", [("due_hours: 48", "due_hour: 48")], "follow_up.due_hour", "did you mean 'due_hours'?"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "replacements", "path", "fragment"), CASES, ids=[c[0] for c in CASES])
def test_a_broken_follow_up_is_reported_with_file_path_and_fix(
    broken_copy: BrokenCopy, case: str, replacements: list[tuple[str, str]], path: str, fragment: str
) -> None:
    target = broken_copy("visitor-survey", replacements)
    lines = check_paths([target])
    assert len(lines) >= 1, case
    prefix = f"{target}: {path}: "
    assert any(line.startswith(prefix) and fragment in line for line in lines), lines


def test_consent_must_be_asked_on_the_last_page(broken_copy: BrokenCopy) -> None:
    # Moving the consent up a section: contact details would arrive before the response is complete.
    target = broken_copy("visitor-survey", [("consent: contact_consent", "consent: contact_consent_early")])
    text = target.read_text(encoding="utf-8").replace(
        "      - id: staff_welcome\n",
        "      - id: contact_consent_early\n        type: yes_no\n        text: {sv: Får vi, en: May we}\n"
        "      - id: staff_welcome\n",
        1,
    )
    target.write_text(text, encoding="utf-8")
    [line] = check_paths([target])
    assert line.startswith(f"{target}: follow_up.consent: item 'contact_consent_early' must be in the last section")


def test_the_visitor_survey_declares_its_follow_up(surveys_dir: Path) -> None:
    follow_up = load_instrument(surveys_dir / "visitor-survey.yaml").follow_up
    assert follow_up is not None
    assert (follow_up.consent, follow_up.contact, follow_up.due_hours) == (
        "contact_consent",
        ["name", "email", "phone"],
        48,
    )
    assert [(rule.item, rule.at_most) for rule in follow_up.when_any] == [("overall_satisfaction", 2), ("recommend", 6)]


def test_instruments_without_follow_up_keep_their_version(surveys_dir: Path) -> None:
    tour = load_instrument(surveys_dir / "guided-tour.yaml")
    assert tour.follow_up is None
    assert "follow_up" not in tour.canonical_json()
    survey = load_instrument(surveys_dir / "visitor-survey.yaml")
    assert '"follow_up":{"consent":"contact_consent"' in survey.canonical_json()
    assert type(survey).model_validate_json(survey.canonical_json()) == survey


def test_the_schema_describes_the_follow_up() -> None:
    schema = json_schema()
    assert schema["properties"]["follow_up"]["anyOf"][0] == {"$ref": "#/$defs/FollowUp"}
    follow_up = schema["$defs"]["FollowUp"]
    assert follow_up["required"] == ["consent", "when_any"]
    assert follow_up["properties"]["due_hours"]["maximum"] == 2160
    assert follow_up["properties"]["contact"]["items"]["enum"] == ["name", "email", "phone"]


FOLLOW_UP = FollowUp.model_validate(
    {"consent": "ok", "when_any": [{"item": "overall", "at_most": 2}, {"item": "nps", "at_most": 6}]}
)


@pytest.mark.parametrize(
    ("values", "wanted"),
    [
        ({"ok": True, "overall": 2, "nps": 9}, True),  # low overall score
        ({"ok": True, "overall": 5, "nps": 6}, True),  # a detractor
        ({"ok": True, "overall": 3, "nps": 7}, False),  # neither
        ({"ok": False, "overall": 1, "nps": 0}, False),  # no consent
        ({"ok": None, "overall": 1, "nps": 0}, False),  # consent not answered
        ({"ok": 1, "overall": 1, "nps": 0}, False),  # a number is not a yes
        ({"ok": True, "overall": None, "nps": None}, False),  # N/A meets no rule
    ],
)
def test_a_case_is_wanted_with_consent_and_any_rule_met(values: dict[str, object], wanted: bool) -> None:
    assert FOLLOW_UP.wants_case(values) is wanted
