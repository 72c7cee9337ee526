"""A respondent's contact details for a follow-up: read from the page that asks for consent, never stored as answers.

The fields are named ``_contact.name``, ``_contact.email`` and ``_contact.phone`` so the page reader (which refuses
any field that is not a question) never sees them. They are checked here, and kept only when the response completes
with consent and the instrument's rule met; otherwise they are dropped with the request.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from servicescore.collections.answers import Answers, condition_value
from servicescore.collections.reading import FieldError, TamperedForm, clean_text
from servicescore.definitions import Instrument

PREFIX: Final = "_contact."
NAME_MAX: Final = 200
EMAIL_MAX: Final = 320
PHONE_MAX: Final = 40
# Deliberately plain: one @, something on each side, a dot in the domain, no spaces. A typo like "anna@mora"
# is caught; an address that merely looks odd is the respondent's own.
_EMAIL: Final = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
_PHONE_CHARACTERS: Final = re.compile(r"\+?[0-9 ()\-./]+")
PHONE_DIGITS: Final = (7, 15)  # E.164 has at most 15 digits; Swedish numbers have 8 to 10 with the leading 0


@dataclass(frozen=True)
class ContactDetails:
    name: str = ""
    email: str = ""
    phone: str = ""

    @property
    def reachable(self) -> bool:
        return bool(self.email or self.phone)


@dataclass(frozen=True)
class ContactReading:
    details: ContactDetails
    errors: dict[str, FieldError] = field(default_factory=dict)  # by field: "name", "email", "phone"
    raw: dict[str, str] = field(default_factory=dict)  # what was typed, to fill the form in again


def split_contact(fields: Sequence[tuple[str, str]]) -> tuple[list[tuple[str, str]], dict[str, list[str]]]:
    """The form's fields without the contact fields, and the contact fields by name (``name``, ``email``, ``phone``)."""
    rest: list[tuple[str, str]] = []
    contact: dict[str, list[str]] = {}
    for name, value in fields:
        if name.startswith(PREFIX):
            contact.setdefault(name.removeprefix(PREFIX), []).append(value)
        else:
            rest.append((name, value))
    return rest, contact


def asks_contact(instrument: Instrument, page: int) -> bool:
    """Whether page ``page`` carries the contact fields: it holds the follow-up's consent question."""
    follow_up = instrument.follow_up
    return follow_up is not None and any(item.id == follow_up.consent for item in instrument.sections[page].items)


def read_contact(instrument: Instrument, page: int, posted: Mapping[str, list[str]]) -> ContactReading:
    """Check the posted contact fields of page ``page``; TamperedForm if the page does not ask for them."""
    follow_up = instrument.follow_up
    if not posted:
        return ContactReading(ContactDetails())
    if follow_up is None or not asks_contact(instrument, page):
        raise TamperedForm("contact details were sent with a page that does not ask for them")
    allowed = set(follow_up.contact)
    raw: dict[str, str] = {}
    for name, values in posted.items():
        if name not in allowed:
            raise TamperedForm(f"the field {PREFIX + name[:40]!r} is not asked on this page")
        if len(values) > 1:
            raise TamperedForm(f"the field {PREFIX + name} was sent {len(values)} times")
        raw[name] = values[0]
    errors: dict[str, FieldError] = {}
    name = clean_text(raw.get("name", "")).replace("\n", " ")
    if len(name) > NAME_MAX:
        errors["name"] = FieldError("too_long", {"max": NAME_MAX, "length": len(name)})
    email = raw.get("email", "").strip()
    if email and (len(email) > EMAIL_MAX or not _EMAIL.fullmatch(email)):
        errors["email"] = FieldError("email")
    phone = " ".join(raw.get("phone", "").split())
    if phone and not plausible_phone(phone):
        errors["phone"] = FieldError("phone")
    details = ContactDetails(name=name, email=email, phone=phone)
    return ContactReading(details, errors, raw)


def plausible_phone(phone: str) -> bool:
    """Digits with the usual separators, an optional leading +, and 7 to 15 digits in all."""
    if len(phone) > PHONE_MAX or not _PHONE_CHARACTERS.fullmatch(phone):
        return False
    digits = sum(character.isdigit() for character in phone)
    return PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]


def consent_given(instrument: Instrument, answers: Answers) -> bool:
    """Whether the answers say yes to the follow-up's consent question."""
    follow_up = instrument.follow_up
    if follow_up is None:
        return False
    return condition_value(instrument.item(follow_up.consent), answers.get(follow_up.consent)) is True


def case_wanted(instrument: Instrument, answers: Answers) -> bool:
    """Whether a complete response with these answers opens a case: consent given and any of the rules met."""
    if instrument.follow_up is None:
        return False
    values = {item.id: condition_value(item, answers.get(item.id)) for _, item in instrument.items()}
    return instrument.follow_up.wants_case(values)
