"""What the case templates receive: the response's answers as question and answer text, times in local time.

Documented for template overrides: ``AnswerGroup`` (``title``, ``rows``: ``AnswerRow`` with ``item``, ``question``,
``answer``) and ``TimeRow`` (one organisation of the summary: counts and hours as display text).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from servicescore.collections.answers import Answers, StoredAnswer
from servicescore.definitions import Instrument, Item
from servicescore.definitions.text import Language
from servicescore.formats import number, plain
from servicescore.texts import translate


@dataclass(frozen=True)
class AnswerRow:
    item: str
    question: str
    answer: str


@dataclass(frozen=True)
class AnswerGroup:
    title: str
    rows: list[AnswerRow]


@dataclass(frozen=True)
class TimeRow:
    organisation: str
    cases: int
    open: int
    overdue: int
    first_contact_median: str
    first_contact_mean: str
    close_median: str
    close_mean: str


def answer_text(item: Item, answer: StoredAnswer, language: Language) -> str:  # noqa: PLR0911 - by item type
    if answer.na:
        return translate("section.na", language)
    if item.type == "yes_no" and answer.value is not None:
        return translate("section.yes" if answer.value >= 0.5 else "section.no", language)
    if item.type == "choice" and answer.text:
        labels = {choice.value: choice.text.pick(language) for choice in item.choices}
        return ", ".join(labels.get(value, value) for value in answer.text.split(";"))
    if item.type == "rating" and answer.value is not None:
        return f"{plain(answer.value, language)} / {item.scale.max}"
    if item.type == "nps" and answer.value is not None:
        return f"{plain(answer.value, language)} / 10"
    if answer.value is not None:
        return plain(answer.value, language)
    return answer.text or ""


def answer_groups(instrument: Instrument, answers: Answers, language: Language) -> list[AnswerGroup]:
    """The answered items, section by section, in the order the respondent met them."""
    groups = []
    for section in instrument.sections:
        rows = [
            AnswerRow(item.id, item.text.pick(language), answer_text(item, answers[item.id], language))
            for item in section.items
            if item.id in answers
        ]
        if rows:
            groups.append(AnswerGroup(section.title.pick(language), rows))
    return groups


def hours(value: float | None, language: Language) -> str:
    return "–" if value is None else translate("cases.hours", language, hours=number(value, language, 1, trim=True))


def time_rows(summary: list[dict[str, Any]], language: Language) -> list[TimeRow]:
    return [
        TimeRow(
            organisation=row["organisation"],
            cases=row["cases"],
            open=row["open"],
            overdue=row["overdue"],
            first_contact_median=hours(row["first_contact_median_h"], language),
            first_contact_mean=hours(row["first_contact_mean_h"], language),
            close_median=hours(row["close_median_h"], language),
            close_mean=hours(row["close_mean_h"], language),
        )
        for row in summary
    ]
