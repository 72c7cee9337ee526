"""Moving through the visitor survey (4 pages: your visit, experience, overall, follow-up) without a server: what
sending a page leads to, and which page a returning respondent is shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from servicescore.collections.answers import StoredAnswer, next_version
from servicescore.collections.contact import read_contact
from servicescore.collections.navigation import Nav, Outcome, Stored, missing_required, page_to_show, submit_page
from servicescore.collections.reading import FieldError, read_page
from servicescore.definitions import Instrument, load_instruments

SURVEYS = Path(__file__).resolve().parents[3] / "surveys"
V0 = "0" * 32  # the version the stored answers are at
FIRST_PAGE = {"visit_type": StoredAnswer(text="returning")}
OVERALL = {"overall_satisfaction": StoredAnswer(value=2.0), "recommend": StoredAnswer(value=5.0)}


@pytest.fixture(scope="module")
def survey() -> Instrument:
    (visitor,) = [i for i in load_instruments(SURVEYS) if i.id == "visitor-survey"]
    return visitor


def send(
    survey: Instrument,
    page: int,
    fields: list[tuple[str, str]],
    *,
    nav: Nav = "next",
    stored: Stored | None = None,
    contact: dict[str, list[str]] | None = None,
    seen: tuple[str, ...] = (),
) -> Outcome:
    held = stored or Stored({}, V0)
    reading = read_page(survey, page, held.answers, fields, seen=seen, lenient=nav == "back")
    posted = read_contact(survey, page, contact or {})
    return submit_page(survey, page, nav, reading, posted, sent_version=V0, stored=held)


def test_next_saves_the_page_and_goes_to_the_following_one(survey: Instrument) -> None:
    outcome = send(survey, 0, [("visit_type", "returning")])
    assert (outcome.kind, outcome.page, outcome.check, outcome.complete) == ("save", 1, False, False)
    assert outcome.answers == FIRST_PAGE
    assert outcome.after == next_version(V0, 0, FIRST_PAGE)


def test_back_saves_what_was_given_without_requiring_anything(survey: Instrument) -> None:
    outcome = send(survey, 2, [("overall_satisfaction", "4")], nav="back", stored=Stored(FIRST_PAGE, V0))
    assert (outcome.kind, outcome.page) == ("save", 1)
    assert outcome.answers == {**FIRST_PAGE, "overall_satisfaction": StoredAnswer(value=4.0)}
    assert send(survey, 0, [], nav="back").page == 0  # nothing before the first page: stay


def test_a_page_replaces_its_own_stored_answers_and_keeps_the_others(survey: Instrument) -> None:
    stored = Stored({**FIRST_PAGE, "staff_welcome": StoredAnswer(value=1.0)}, V0)
    outcome = send(survey, 1, [("guide_rating", "5")], stored=stored)
    assert outcome.answers == {**FIRST_PAGE, "guide_rating": StoredAnswer(value=5.0)}


def test_the_last_page_completes_only_when_nothing_required_is_missing(survey: Instrument) -> None:
    overall = [("overall_satisfaction", "2"), ("recommend", "5")]
    missing_first = send(survey, 3, [("contact_consent", "no")], stored=Stored(OVERALL, V0))
    assert (missing_first.kind, missing_first.page, missing_first.check, missing_first.complete) == (
        "save", 0, True, False
    )  # fmt: skip
    on_last = send(survey, 2, overall, stored=Stored(FIRST_PAGE, V0), seen=("what_would_improve",))
    assert (on_last.page, on_last.complete) == (3, False)
    done = send(survey, 3, [("contact_consent", "no")], stored=Stored({**FIRST_PAGE, **OVERALL}, V0))
    assert (done.kind, done.page, done.complete) == ("save", None, True)


def test_errors_show_the_page_again_with_status_422_and_save_nothing(survey: Instrument) -> None:
    outcome = send(survey, 2, [("overall_satisfaction", "9")], stored=Stored(FIRST_PAGE, V0))
    assert (outcome.kind, outcome.invalid) == ("show_again", True)
    assert outcome.answers == {}


def test_revealed_follow_ups_are_asked_before_going_on_but_not_before_going_back(survey: Instrument) -> None:
    fields = [("overall_satisfaction", "2"), ("recommend", "3")]  # reveals what_would_improve
    on = send(survey, 2, fields, stored=Stored(FIRST_PAGE, V0))
    assert (on.kind, on.invalid) == ("show_again", False)
    seen = send(survey, 2, fields, stored=Stored(FIRST_PAGE, V0), seen=("what_would_improve",))
    assert (seen.kind, seen.page) == ("save", 3)
    assert send(survey, 2, fields, nav="back", stored=Stored(FIRST_PAGE, V0)).kind == "save"


def test_contact_details_are_checked_only_when_consent_is_given(survey: Instrument) -> None:
    stored = Stored({**FIRST_PAGE, **OVERALL}, V0)
    bad = {"email": ["not an address"]}
    refused = send(survey, 3, [("contact_consent", "yes")], stored=stored, contact=bad)
    assert (refused.kind, refused.invalid) == ("show_again", True)
    assert send(survey, 3, [("contact_consent", "no")], stored=stored, contact=bad).complete
    assert send(survey, 3, [("contact_consent", "yes")], stored=stored, contact=bad, nav="back").kind == "save"


def test_a_page_sent_twice_from_one_version_is_a_repeat_that_goes_where_the_first_went(survey: Instrument) -> None:
    first = send(survey, 0, [("visit_type", "returning")])
    again = send(survey, 0, [("visit_type", "returning")], stored=Stored(FIRST_PAGE, first.after))
    assert (again.kind, again.page, again.after, again.complete) == ("repeat", 1, first.after, False)
    answers = {**FIRST_PAGE, **OVERALL}
    last = send(survey, 3, [("contact_consent", "no")], stored=Stored(answers, V0))
    completed = Stored({**answers, "contact_consent": StoredAnswer(value=0.0)}, last.after, complete=True)
    repeat = send(survey, 3, [("contact_consent", "no")], stored=completed)
    assert (repeat.kind, repeat.page, repeat.complete) == ("repeat", None, True)


def test_a_page_from_answers_that_changed_since_is_not_kept(survey: Instrument) -> None:
    elsewhere = "1" * 32
    changed = send(survey, 1, [("guide_rating", "5")], stored=Stored(FIRST_PAGE, elsewhere))
    assert (changed.kind, changed.page, changed.answers) == ("changed", 0, {})
    answered = send(survey, 1, [("guide_rating", "5")], stored=Stored(FIRST_PAGE, elsewhere, complete=True))
    assert (answered.kind, answered.complete) == ("answered", False)
    # Completed from this very version but with other answers: still someone else's completion.
    assert send(survey, 1, [("guide_rating", "4")], stored=Stored(FIRST_PAGE, V0, complete=True)).kind == "answered"


def test_the_page_shown_is_the_one_asked_for_unless_it_skips_a_required_answer(survey: Instrument) -> None:
    assert page_to_show(survey, None, FIRST_PAGE) == 1
    assert page_to_show(survey, 0, FIRST_PAGE) == 0
    assert page_to_show(survey, 2, FIRST_PAGE) == 2  # the page lacking required answers may be shown
    assert page_to_show(survey, 3, FIRST_PAGE) == 1  # but not one past it: where the respondent stopped
    assert page_to_show(survey, 3, {**FIRST_PAGE, **OVERALL}) == 3
    assert page_to_show(survey, 1, {}) == 0  # visit_type (page 0) is required
    assert page_to_show(survey, 7, FIRST_PAGE, sent_through=1) == 2  # no such page: where the respondent stopped


def test_missing_required_marks_only_the_asked_required_questions_without_an_answer(survey: Instrument) -> None:
    assert missing_required(survey, 2, FIRST_PAGE) == {
        "overall_satisfaction": FieldError("required"),
        "recommend": FieldError("required"),
    }
    assert missing_required(survey, 2, {**FIRST_PAGE, **OVERALL}) == {}
    assert missing_required(survey, 1, {}) == {}
