"""SPSS `.sav` files through pyreadstat: answers one case per response, score tables as they are.

SPSS users want one row per respondent, so answers come wide: the response columns, then one variable per item
in the instrument's order, named by the item id (ids are already valid SPSS names) and labelled with the item's
question in the page's language. Ratings, NPS and yes/no carry value labels for their scale ends and answers;
a single choice is coded 1…k with each choice's text as its label; N/A is the user-missing code 99 labelled
as such; a comment goes into `<item>_comment`; multiple choices and free text stay strings. Pure: no web, no
database; texts come in through `words` (a key → text function) so the caller decides the language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import polars as pl
import pyreadstat

from servicescore.definitions import Instrument
from servicescore.definitions.items import ChoiceItem, Item, NpsItem, RatingItem, TextItem, YesNoItem
from servicescore.definitions.text import Language

NA_CODE: Final[float] = 99.0
# Scale points, yes/no and single choices get the N/A code; numbers and durations have no value to spare.
_CODED_NA: Final[tuple[type[Item], ...]] = (RatingItem, NpsItem, YesNoItem, ChoiceItem)
RESPONSE_VARIABLES: Final[tuple[str, ...]] = (
    "response_id", "wave", "organisation", "unit", "segment", "submitted_at", "weight",
)  # fmt: skip
MAX_NAME: Final[int] = 64
MAX_LABEL: Final[int] = 250

Words = Callable[[str], str]


@dataclass
class SavLabels:
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[int | float, str]] = field(default_factory=dict)
    missing: dict[str, list[float]] = field(default_factory=dict)
    measure: dict[str, str] = field(default_factory=dict)


def _is_string(item: Item) -> bool:
    return isinstance(item, TextItem) or (isinstance(item, ChoiceItem) and item.multiple)


def _has_comment(item: Item) -> bool:
    """A comment beside a number; a choice or text item's `text` is the answer itself."""
    return item.comment and not isinstance(item, ChoiceItem | TextItem)


def _value_labels(item: Item, language: Language, words: Words) -> dict[int | float, str]:
    labels: dict[int | float, str] = {}
    if isinstance(item, RatingItem):
        labels = {float(item.scale.min): item.scale.labels.min.pick(language),
                  float(item.scale.max): item.scale.labels.max.pick(language)}  # fmt: skip
    elif isinstance(item, NpsItem):
        labels = {0.0: item.labels.min.pick(language), 10.0: item.labels.max.pick(language)}
    elif isinstance(item, YesNoItem):
        labels = {0.0: words("no"), 1.0: words("yes")}
    elif isinstance(item, ChoiceItem) and not item.multiple:
        labels = {float(n): choice.text.pick(language)[:MAX_LABEL] for n, choice in enumerate(item.choices, 1)}
    if item.na_allowed and isinstance(item, _CODED_NA):
        labels[NA_CODE] = words("na")
    return labels


def _choice_codes(instrument: Instrument) -> pl.DataFrame:
    singles = [item for _, item in instrument.items() if isinstance(item, ChoiceItem) and not item.multiple]
    rows = [(item.id, choice.value, float(n)) for item in singles for n, choice in enumerate(item.choices, 1)]
    return pl.DataFrame(rows, schema={"item": pl.String, "text": pl.String, "_code": pl.Float64}, orient="row")


def _wide(answers: pl.DataFrame, instrument: Instrument) -> pl.DataFrame:
    items = [item for _, item in instrument.items() if item.type != "photo"]
    coded = [item.id for item in items if item.na_allowed and isinstance(item, _CODED_NA)]
    strings = [item.id for item in items if _is_string(item)]
    number = (
        answers.join(_choice_codes(instrument), on=["item", "text"], how="left")
        .with_columns(
            _cell=pl.when(pl.col("na") & pl.col("item").is_in(coded))
            .then(NA_CODE)
            .otherwise(pl.coalesce("_code", "value"))
        )
        .filter(~pl.col("item").is_in(strings))
    )
    text = answers.filter(pl.col("item").is_in(strings)).with_columns(_cell=pl.col("text"))
    commented = [item.id for item in items if _has_comment(item)]
    comments = answers.filter(pl.col("item").is_in(commented) & pl.col("text").is_not_null()).with_columns(
        pl.col("item") + "_comment", _cell=pl.col("text")
    )
    cases = answers.group_by("response_id", maintain_order=True).agg(
        pl.col(c).first() for c in RESPONSE_VARIABLES if c != "response_id"
    )
    for part in (number, text, comments):
        if part.height:
            cases = cases.join(part.pivot(on="item", index="response_id", values="_cell"), on="response_id", how="left")
    columns: list[pl.Expr] = [pl.col(c) for c in RESPONSE_VARIABLES]
    for item in items:
        dtype = pl.String if _is_string(item) else pl.Float64
        names = [item.id] + ([f"{item.id}_comment"] if _has_comment(item) else [])
        for n, name in enumerate(names):
            kind = dtype if n == 0 else pl.String
            present = pl.col(name) if name in cases.columns else pl.lit(None)
            columns.append(present.cast(kind).alias(name[:MAX_NAME]))
    return cases.select(columns)


def answer_labels(instrument: Instrument, language: Language, words: Words) -> SavLabels:
    labels = SavLabels(columns={c: words(f"column.{c}") for c in RESPONSE_VARIABLES})
    for _, item in instrument.items():
        name = item.id[:MAX_NAME]
        labels.columns[name] = item.text.pick(language)[:MAX_LABEL]
        if _has_comment(item):
            comment = f"{words('comment')}: {item.text.pick(language)}"
            labels.columns[f"{item.id}_comment"[:MAX_NAME]] = comment[:MAX_LABEL]
        if values := _value_labels(item, language, words):
            labels.values[name] = values
        if item.na_allowed and isinstance(item, _CODED_NA):
            labels.missing[name] = [NA_CODE]
        if isinstance(item, RatingItem | NpsItem):
            labels.measure[name] = "ordinal"
        elif isinstance(item, YesNoItem | ChoiceItem):
            labels.measure[name] = "nominal"
        elif not _is_string(item):
            labels.measure[name] = "scale"
    return labels


def answers_sav(
    answers: pl.DataFrame, instrument: Instrument, language: Language, words: Words
) -> tuple[pl.DataFrame, SavLabels]:
    """The wide table and its labels for `write_sav`; `answers` in `ANSWER_SCHEMA` (client dates allowed)."""
    return _wide(answers, instrument), answer_labels(instrument, language, words)


def scores_sav(table: pl.DataFrame, words: Words) -> tuple[pl.DataFrame, SavLabels]:
    """A score table for SPSS: yes/no columns as 0/1 with labels, each column labelled with what it holds."""
    flags = [name for name, dtype in table.schema.items() if dtype == pl.Boolean]
    frame = table.with_columns(pl.col(flags).cast(pl.Int8))
    labels = SavLabels(
        columns={c: words(f"column.{c}") for c in frame.columns},
        values={c: {0: words("no"), 1: words("yes")} for c in flags},  # Int8 columns: int keys
    )
    return frame, labels


def write_sav(frame: pl.DataFrame, labels: SavLabels, path: Path, *, title: str) -> None:
    names = frame.columns
    pyreadstat.write_sav(
        frame,
        str(path),
        file_label=title[:64],
        column_labels={c: labels.columns[c] for c in names if c in labels.columns},
        variable_value_labels={c: v for c, v in labels.values.items() if c in names},
        missing_ranges={c: list(v) for c, v in labels.missing.items() if c in names},
        variable_measure={c: v for c, v in labels.measure.items() if c in names},
    )
