"""Answers as a survey page sees them: what is stored per item, the value ``show_if`` conditions compare, and the
version of a response's answers that a page was shown from."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from servicescore.definitions import Instrument, Item


@dataclass(frozen=True)
class StoredAnswer:
    """One row of the answer table: numbers in ``value``, choices and text in ``text``, N/A as ``na``."""

    value: float | None = None
    na: bool = False
    text: str | None = None


Answers = Mapping[str, StoredAnswer]

NUMERIC_TYPES = frozenset({"rating", "nps", "number", "duration"})
VERSION_PATTERN = re.compile(r"[0-9a-f]{32}")


def askable(item: Item) -> bool:
    """Photos belong to scorecards on the shoppers' side; a respondent's web form does not ask for them."""
    return item.type != "photo"


def condition_value(item: Item, answer: StoredAnswer | None) -> object:
    """The answer in the shape ``Condition.holds`` expects: a number, a bool (yes/no), a choice or a list."""
    if answer is None or answer.na:
        return None
    if item.type in NUMERIC_TYPES:
        value = answer.value
        return int(value) if value is not None and value.is_integer() else value
    if item.type == "yes_no":
        return None if answer.value is None else answer.value >= 0.5
    if item.type == "choice":
        if not answer.text:
            return None
        chosen = answer.text.split(";")
        return chosen if item.multiple else chosen[0]
    return answer.text


def visible_items(instrument: Instrument, answers: Answers) -> set[str]:
    """Items a respondent is asked given these answers. An answer to a hidden item never shows another one."""
    values: dict[str, object] = {}
    shown: set[str] = set()
    for _, item in instrument.items():
        if not askable(item):
            continue
        if item.show_if is None or item.show_if.holds(values):
            shown.add(item.id)
            values[item.id] = condition_value(item, answers.get(item.id))
    return shown


def next_version(before: str, page: int, answers: Answers) -> str:
    """The version of a response's answers after page ``page`` was saved with ``answers`` on top of version
    ``before`` ("" for a new response): a digest of the chain of writes, so two sends of one page from the same
    version (a double tap, a retry) make the same version, and any other write another one. A page carries the
    version it was shown from; a save is applied only on that version (`db.survey_responses.save_page`)."""
    page_answers = sorted((item, a.value, a.na, a.text) for item, a in answers.items())
    text = json.dumps([before, page, page_answers], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]
