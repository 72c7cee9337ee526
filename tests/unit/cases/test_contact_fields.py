"""Reading the contact fields beside the consent question: what passes, what is shown as a problem, what is refused."""

from __future__ import annotations

import pytest

from servicescore.collections.answers import StoredAnswer
from servicescore.collections.contact import (
    ContactDetails,
    asks_contact,
    case_wanted,
    consent_given,
    plausible_phone,
    read_contact,
    split_contact,
)
from servicescore.collections.reading import TamperedForm
from servicescore.definitions import Instrument, load_instruments
from servicescore.settings import CHECKOUT_DIR

SURVEY: Instrument = next(i for i in load_instruments(CHECKOUT_DIR / "surveys") if i.id == "visitor-survey")
LAST = len(SURVEY.sections) - 1


def test_contact_fields_are_taken_out_of_the_form() -> None:
    rest, contact = split_contact([("_page", "3"), ("_contact.email", "a@b.se"), ("contact_consent", "yes")])
    assert rest == [("_page", "3"), ("contact_consent", "yes")]
    assert contact == {"email": ["a@b.se"]}


def test_only_the_consent_page_asks() -> None:
    assert [asks_contact(SURVEY, page) for page in range(len(SURVEY.sections))] == [False, False, False, True]


@pytest.mark.parametrize(
    "phone",
    ["070-123 45 67", "+46 70 123 45 67", "08-123 456 78", "(08) 123 45", "0701234567", "+4670123456789"],
)
def test_plausible_phone_numbers(phone: str) -> None:
    assert plausible_phone(phone)


@pytest.mark.parametrize(
    "phone", ["123456", "ring mig", "070 123 45 67 89 01 23", "46+70 123 45 67", "070-123 45 67 ankn. 2", "1" * 41]
)
def test_implausible_phone_numbers(phone: str) -> None:
    assert not plausible_phone(phone)


@pytest.mark.parametrize(
    ("posted", "errors", "details"),
    [
        ({"name": [" Anna  Berg "], "email": ["anna@example.se"]}, {}, ContactDetails("Anna  Berg", "anna@example.se")),
        ({"email": ["anna@example"]}, {"email": "email"}, None),
        ({"email": ["anna berg@example.se"]}, {"email": "email"}, None),
        ({"email": ["@example.se"]}, {"email": "email"}, None),
        ({"email": ["a" * 310 + "@example.se"]}, {"email": "email"}, None),
        ({"phone": ["070 - 12"]}, {"phone": "phone"}, None),
        ({"name": ["x" * 201]}, {"name": "too_long"}, None),
        ({"phone": ["  070-123  45 67 "]}, {}, ContactDetails(phone="070-123 45 67")),
        ({"name": ["Anna\nBerg\x00"]}, {}, ContactDetails(name="Anna Berg")),
    ],
)
def test_fields_are_checked(
    posted: dict[str, list[str]], errors: dict[str, str], details: ContactDetails | None
) -> None:
    reading = read_contact(SURVEY, LAST, posted)
    assert {name: error.key for name, error in reading.errors.items()} == errors
    if details is not None:
        assert reading.details == details
    assert reading.raw == {name: values[0] for name, values in posted.items()}, "typed text is kept for the form"


@pytest.mark.parametrize(
    ("page", "posted"),
    [(0, {"email": ["a@b.se"]}), (LAST, {"fax": ["08-1234567"]}), (LAST, {"email": ["a@b.se", "c@d.se"]})],
)
def test_fields_the_page_does_not_ask_are_tampering(page: int, posted: dict[str, list[str]]) -> None:
    with pytest.raises(TamperedForm):
        read_contact(SURVEY, page, posted)


def test_nothing_posted_is_nothing_to_read() -> None:
    reading = read_contact(SURVEY, 0, {})
    assert (reading.details, reading.errors) == (ContactDetails(), {})
    assert not reading.details.reachable


def test_consent_and_rule_from_stored_answers() -> None:
    low = {
        "contact_consent": StoredAnswer(1.0),
        "overall_satisfaction": StoredAnswer(2.0),
        "recommend": StoredAnswer(7.0),
    }
    assert consent_given(SURVEY, low)
    assert case_wanted(SURVEY, low)
    assert not case_wanted(SURVEY, {**low, "overall_satisfaction": StoredAnswer(3.0)})
    assert case_wanted(SURVEY, {**low, "overall_satisfaction": StoredAnswer(na=True), "recommend": StoredAnswer(6.0)})
    assert not case_wanted(SURVEY, {**low, "contact_consent": StoredAnswer(0.0)})
    assert not consent_given(SURVEY, {})
