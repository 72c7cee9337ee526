"""A survey is answered one section per page: which pages are shown, where to go next, and where to resume."""

from __future__ import annotations

from servicescore.collections.answers import Answers, visible_items
from servicescore.definitions import Instrument


def page_count(instrument: Instrument) -> int:
    return len(instrument.sections)


def pages_with_questions(instrument: Instrument, answers: Answers) -> list[int]:
    """Pages that ask something given these answers; a page whose items are all hidden is skipped."""
    shown = visible_items(instrument, answers)
    return [index for index, section in enumerate(instrument.sections) if any(i.id in shown for i in section.items)]


def next_page(instrument: Instrument, page: int, answers: Answers) -> int | None:
    return next((p for p in pages_with_questions(instrument, answers) if p > page), None)


def previous_page(instrument: Instrument, page: int, answers: Answers) -> int | None:
    return next((p for p in reversed(pages_with_questions(instrument, answers)) if p < page), None)


def first_incomplete_page(instrument: Instrument, answers: Answers) -> int | None:
    """The first page with a required question that is asked but not answered."""
    shown = visible_items(instrument, answers)
    for index, section in enumerate(instrument.sections):
        if any(item.required and item.id in shown and item.id not in answers for item in section.items):
            return index
    return None


def resume_page(instrument: Instrument, answers: Answers, sent_through: int = -1) -> int:
    """Where a returning respondent continues: after the last page with an answer or, when known, the furthest page
    the respondent sent (``sent_through``: an optional page sent without answers was passed, and is not asked
    again), but never past a page that still lacks a required answer."""
    shown_pages = pages_with_questions(instrument, answers) or [0]
    answered = [p for p, s in enumerate(instrument.sections) if any(item.id in answers for item in s.items)]
    passed = max(max(answered, default=-1), sent_through)
    after_last = next((p for p in shown_pages if p > passed), shown_pages[-1])
    incomplete = first_incomplete_page(instrument, answers)
    return after_last if incomplete is None else min(after_last, incomplete)


def progress(instrument: Instrument, page: int, answers: Answers) -> tuple[int, int]:
    """(this page's number, pages in all), counting only pages that ask something."""
    shown = pages_with_questions(instrument, answers)
    number = sum(1 for p in shown if p <= page)
    return max(number, 1), max(len(shown), 1)
