"""A visit's answers as the long rows the answer table keeps: value (float), na, text.

Conventions shared with the demo and the import: yes/no is 1.0 or 0.0, durations are seconds, a comment goes in
``text`` beside its item's value, choice values are joined with ";".
"""

from __future__ import annotations

from dataclasses import dataclass

from servicescore.visits.payload import VisitPayload


@dataclass(frozen=True, slots=True)
class AnswerRow:
    item: str
    value: float | None
    na: bool
    text: str | None


def answer_rows(payload: VisitPayload) -> list[AnswerRow]:
    rows = []
    for item_id, answer in sorted(payload.answers.items()):
        value, text = answer.value, answer.comment
        if isinstance(value, bool):
            number: float | None = 1.0 if value else 0.0
        elif isinstance(value, int | float):
            number = float(value)
        else:
            number = None
            if isinstance(value, str):
                text = value if text is None else f"{value}\n{text}"
            elif isinstance(value, list):
                text = ";".join(value)
        if number is None and text is None and not answer.na:
            continue  # a photo item or an item left empty: nothing to count
        rows.append(AnswerRow(item_id, None if answer.na else number, answer.na, text or None))
    return rows
