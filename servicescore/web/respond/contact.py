"""The contact fields beside a survey's consent question, and the case a completed response may open.

Documented for template overrides (``respond/_contact.html``): ``contact`` is a ``ContactView`` with ``after`` (the
consent item's id: the block follows it), ``legend``, ``intro``, ``condition`` (JSON for the page script: shown
while consent is yes), ``fields`` (``ContactFieldView``: ``id``, ``name``, ``label``, ``type``, ``inputmode``,
``autocomplete``, ``maxlength``, ``value``, ``hint``, ``error``) and ``problems`` for the error summary.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.response import Template

from servicescore.collections.answers import Answers
from servicescore.collections.contact import (
    EMAIL_MAX,
    NAME_MAX,
    PHONE_MAX,
    PREFIX,
    ContactReading,
    asks_contact,
    case_wanted,
)
from servicescore.collections.reading import FieldError
from servicescore.db.cases import open_case
from servicescore.definitions import Instrument
from servicescore.definitions.text import Language
from servicescore.formats import plain
from servicescore.texts import translate

AnyRequest = Request[Any, Any, Any]
# name → (input type, inputmode, autocomplete token, max length)
_KINDS = {
    "name": ("text", "text", "name", NAME_MAX),
    "email": ("email", "email", "email", EMAIL_MAX),
    "phone": ("text", "tel", "tel", PHONE_MAX),
}


@dataclass(frozen=True)
class ContactFieldView:
    id: str
    name: str
    label: str
    type: str
    inputmode: str
    autocomplete: str
    maxlength: int
    value: str
    hint: str
    error: str


@dataclass(frozen=True)
class ContactView:
    after: str
    legend: str
    intro: str
    condition: str
    fields: list[ContactFieldView]
    problems: list[tuple[str, str, str]]


def _error(error: FieldError | None, language: Language) -> str:
    if error is None:
        return ""
    values = {k: plain(v, language) if isinstance(v, int | float) else v for k, v in error.values.items()}
    return translate(f"cases.contact.error.{error.key}", language, **values)


def contact_view(instrument: Instrument, language: Language, reading: ContactReading | None) -> ContactView:
    follow_up = instrument.follow_up
    assert follow_up is not None
    fields = []
    for name in follow_up.contact:
        kind, inputmode, autocomplete, maxlength = _KINDS[name]
        hint_key = f"cases.contact.hint.{name}"
        fields.append(
            ContactFieldView(
                id=f"contact-{name}",
                name=PREFIX + name,
                label=translate(f"cases.contact.{name}", language),
                type=kind,
                inputmode=inputmode,
                autocomplete=autocomplete,
                maxlength=maxlength,
                value=(reading.raw.get(name, "") if reading else "")[:maxlength],
                hint=translate(hint_key, language) if name != "name" else "",
                error=_error(reading.errors.get(name) if reading else None, language),
            )
        )
    intro = follow_up.intro.pick(language) if follow_up.intro else translate("cases.contact.intro", language)
    return ContactView(
        after=follow_up.consent,
        legend=translate("cases.contact.legend", language),
        intro=intro,
        condition=json.dumps({"item": follow_up.consent, "equals": True}),
        fields=fields,
        problems=[(f.id, f.label, f.error) for f in fields if f.error],
    )


def with_contact(
    template: Template, instrument: Instrument, page: int, language: Language, reading: ContactReading | None
) -> Template:
    """The survey page ``template`` with the contact fields, when page ``page`` asks for consent."""
    if asks_contact(instrument, page):
        template.context["contact"] = contact_view(instrument, language, reading)
    return template


async def open_case_if_wanted(
    request: AnyRequest, instrument: Instrument, response_id: uuid.UUID, answers: Answers, contact: ContactReading
) -> int | None:
    """After the response committed: open its case when consent was given, a rule is met and the respondent can
    be reached. Safe to call again for the same response (a resend): it never opens a second case."""
    follow_up = instrument.follow_up
    if follow_up is None or contact.errors or not contact.details.reachable or not case_wanted(instrument, answers):
        return None
    return await open_case(request.app.state.engine, response_id, contact.details, follow_up.due_hours)
