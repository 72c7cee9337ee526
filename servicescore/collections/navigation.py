"""Moving through a survey: which page a respondent is shown, and what sending a page leads to (pure rules; the
respondent's controller parses the request, calls these and renders).

A page carries the version of the answers it was shown from, and is saved only on that version
(`answers.next_version`): the first save wins, a page sent twice from one version is a repeat, and a page sent from
answers that changed since is not kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from servicescore.collections.answers import Answers, next_version, visible_items
from servicescore.collections.contact import ContactReading, consent_given
from servicescore.collections.pages import (
    first_incomplete_page,
    next_page,
    pages_with_questions,
    previous_page,
    resume_page,
)
from servicescore.collections.reading import FieldError, PageReading
from servicescore.definitions import Instrument

Nav = Literal["next", "back"]
Kind = Literal["show_again", "save", "repeat", "changed", "answered"]


@dataclass(frozen=True)
class Stored:
    """What the response holds when a page arrives: its answers, their version, and whether it is complete."""

    answers: Answers
    version: str
    complete: bool = False


@dataclass(frozen=True)
class Outcome:
    """What sending one page leads to, by ``kind``:

    - ``show_again``: nothing is saved, the page is shown again with what was sent: with its errors (``invalid``,
      status 422), or with the follow-up questions its answers revealed;
    - ``save``: the page's answers are saved on version ``version`` of the answers (making ``after``), and the response
      then holds ``answers``;
    - ``repeat``: the same page sent twice from one version (a double tap, a retry): the stored answers are already
      what this save makes, so it is a success and nothing is written;
    - ``changed``: the answers changed since the page was shown (in another browser): nothing of it is kept, and the
      respondent checks them from ``page``, the first page that asks something;
    - ``answered``: the response was completed from other answers: nothing of it is kept.

    After ``save`` and ``repeat`` the browser goes to ``page`` (``check``: with its missing required answers marked),
    or, when ``page`` is None, to the thank-you page; ``complete``: the response is (``repeat``) or becomes
    (``save``) complete, which is when a follow-up case may open."""

    kind: Kind
    after: str
    answers: Answers = field(default_factory=dict)
    page: int | None = None
    check: bool = False
    invalid: bool = False
    complete: bool = False


def submit_page(
    instrument: Instrument,
    page: int,
    nav: Nav,
    reading: PageReading,
    contact: ContactReading,
    *,
    sent_version: str,
    stored: Stored,
) -> Outcome:
    """What sending page ``page`` (read as ``reading`` and ``contact``, going ``nav``) from version ``sent_version``
    of the answers leads to, given what the response holds (``stored``)."""
    after = next_version(sent_version, page, reading.answers)
    if stored.complete or stored.version != sent_version:
        if after != stored.version:
            if stored.complete:
                return Outcome("answered", after)
            return Outcome("changed", after, page=min(pages_with_questions(instrument, stored.answers), default=0))
        if stored.complete:
            return Outcome("repeat", after, stored.answers, complete=True)
        return _going(instrument, "repeat", after, stored.answers, page=page, nav=nav)
    contact_errors = nav == "next" and bool(contact.errors) and consent_given(instrument, reading.answers)
    if reading.errors or contact_errors or (nav == "next" and reading.revealed):
        return Outcome("show_again", after, invalid=bool(reading.errors) or contact_errors)
    section = {item.id for item in instrument.sections[page].items}
    merged = {**{k: v for k, v in stored.answers.items() if k not in section}, **reading.answers}
    return _going(instrument, "save", after, merged, page=page, nav=nav)


def _going(instrument: Instrument, kind: Kind, after: str, answers: Answers, *, page: int, nav: Nav) -> Outcome:
    """Where the browser goes once page ``page`` is sent with ``nav`` and the response holds ``answers``: back, on,
    to the first page still lacking a required answer, or to the thank-you page."""
    if nav == "back":
        return Outcome(kind, after, answers, page=previous_page(instrument, page, answers) or 0)
    if (following := next_page(instrument, page, answers)) is not None:
        return Outcome(kind, after, answers, page=following)
    if (incomplete := first_incomplete_page(instrument, answers)) is not None:
        return Outcome(kind, after, answers, page=incomplete, check=True)
    return Outcome(kind, after, answers, complete=kind == "save")


def page_to_show(instrument: Instrument, requested: int | None, answers: Answers, sent_through: int = -1) -> int:
    """The requested page, unless it lies past a page still lacking a required answer (or there is no such page,
    or it asks nothing now); else where the respondent stopped (after the furthest page sent)."""
    resume = resume_page(instrument, answers, sent_through)
    if requested is None or requested not in pages_with_questions(instrument, answers):
        return resume
    incomplete = first_incomplete_page(instrument, answers)
    return requested if incomplete is None or requested <= incomplete else resume


def missing_required(instrument: Instrument, page: int, answers: Answers) -> dict[str, FieldError]:
    """The required questions page ``page`` asks that have no answer, each with the error "required"."""
    shown = visible_items(instrument, answers)
    return {
        item.id: FieldError("required")
        for item in instrument.sections[page].items
        if item.required and item.id in shown and item.id not in answers
    }
