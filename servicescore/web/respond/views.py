"""What a survey page template receives per question: options, current values, hints and the error, in one language.

Documented for template overrides: each ``ItemView`` has ``id``, ``kind`` (the item type), ``text``, ``help``,
``required``, ``options`` (value, label, detail), ``na`` (the N/A option or None), ``values`` (the chosen or typed
values as strings), ``comment``, ``comment_allowed``, ``hint``, ``error``, ``hidden``, ``condition`` (JSON for the
script), ``multiple``, ``max_length``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from servicescore.collections.answers import Answers, StoredAnswer, visible_items
from servicescore.collections.reading import COMMENT_MAX_LENGTH, COMMENT_SUFFIX, NOT_APPLICABLE, FieldError, OfferedItem
from servicescore.definitions import Instrument, Item
from servicescore.definitions.text import Language
from servicescore.formats import plain
from servicescore.texts import translate


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    detail: str = ""


@dataclass(frozen=True)
class ItemView:
    id: str
    kind: str
    text: str
    help: str
    required: bool
    options: list[Option]
    na: Option | None
    values: list[str]
    comment: str
    comment_allowed: bool
    hint: str
    error: str
    hidden: bool
    condition: str
    multiple: bool
    max_length: int


def form_values(instrument: Instrument, answers: Answers) -> dict[str, list[str]]:
    """Stored answers as the form fields that would send them."""
    values: dict[str, list[str]] = {}
    for _, item in instrument.items():
        answer = answers.get(item.id)
        if answer is None:
            continue
        values[item.id] = _field_values(item, answer)
        if item.comment and item.type != "text" and answer.text:
            values[item.id + COMMENT_SUFFIX] = [answer.text]
    return values


def _field_values(item: Item, answer: StoredAnswer) -> list[str]:
    if answer.na:
        return [NOT_APPLICABLE]
    if item.type == "yes_no":
        return [] if answer.value is None else ["yes" if answer.value >= 0.5 else "no"]
    if item.type in ("choice", "text"):
        return [] if not answer.text else (answer.text.split(";") if item.type == "choice" else [answer.text])
    if answer.value is None:
        return []
    return [str(int(answer.value)) if answer.value.is_integer() else str(answer.value)]


def _options(item: Item, language: Language) -> list[Option]:
    if item.type in ("rating", "nps"):
        low, high = (item.scale.min, item.scale.max) if item.type == "rating" else (0, 10)
        labels = item.scale.labels if item.type == "rating" else item.labels
        ends = {low: labels.min.pick(language), high: labels.max.pick(language)}
        return [Option(str(v), str(v), ends.get(v, "")) for v in range(low, high + 1)]
    if item.type == "yes_no":
        return [Option("yes", translate("respond.yes", language)), Option("no", translate("respond.no", language))]
    if item.type == "choice":
        return [Option(choice.value, choice.text.pick(language)) for choice in item.choices]
    return []


def _hint(item: Item, language: Language) -> str:  # noqa: PLR0911 - by item type
    if item.type == "text":
        return translate("respond.hint.text", language, max=plain(item.max_length, language))
    if item.type == "choice" and item.multiple:
        return translate("respond.hint.multiple", language)
    if item.type in ("number", "duration"):
        low = 0 if item.type == "duration" else getattr(item, "min", None)
        high = getattr(item, "max_seconds", None) if item.type == "duration" else getattr(item, "max", None)
        unit = item.unit.pick(language) if item.type == "number" and item.unit else ""
        suffix = f" ({unit})" if unit else ""
        if low is not None and high is not None:
            return (
                translate("respond.hint.between", language, low=plain(low, language), high=plain(high, language))
                + suffix
            )
        if low is not None:
            return translate("respond.hint.at_least", language, low=plain(low, language)) + suffix
        if high is not None:
            return translate("respond.hint.at_most", language, high=plain(high, language)) + suffix
        return unit
    return ""


def error_text(error: FieldError | None, language: Language) -> str:
    if error is None:
        return ""
    values = {k: plain(v, language) if isinstance(v, int | float) else v for k, v in error.values.items()}
    return translate(f"respond.error.{error.key}", language, **values)


def item_views(
    instrument: Instrument,
    *,
    offered: Sequence[OfferedItem],
    answers: Answers,
    values: Mapping[str, list[str]],
    errors: Mapping[str, FieldError],
    language: Language,
) -> list[ItemView]:
    """One view per question the page offers; a follow-up whose condition is not met (yet) is rendered hidden."""
    shown = visible_items(instrument, answers)
    views = []
    for candidate in offered:
        item = candidate.item
        na_allowed = item.na_allowed
        views.append(
            ItemView(
                id=item.id,
                kind=item.type,
                text=item.text.pick(language),
                help=item.help.pick(language) if item.help else "",
                required=item.required,
                options=_options(item, language),
                na=Option(NOT_APPLICABLE, translate("respond.na", language)) if na_allowed else None,
                # A browser never sends more than maxlength; a longer text is not echoed back whole.
                values=[v[: item.max_length] for v in values.get(item.id, [])]
                if item.type == "text"
                else values.get(item.id, []),
                comment=(values.get(item.id + COMMENT_SUFFIX) or [""])[0],
                comment_allowed=item.comment and item.type != "text",
                hint=_hint(item, language),
                error=error_text(errors.get(item.id), language),
                hidden=item.id not in shown,
                condition=json.dumps(item.show_if.model_dump(by_alias=True, exclude_none=True))
                if candidate.live and item.show_if
                else "",
                multiple=item.type == "choice" and item.multiple,
                max_length=item.max_length if item.type == "text" else COMMENT_MAX_LENGTH,
            )
        )
    return views
