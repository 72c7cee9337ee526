"""What an answer to each item may be, as a frame the validation joins onto the answers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

import polars as pl

from servicescore.definitions import (
    ChoiceItem,
    DurationItem,
    Instrument,
    Item,
    NpsItem,
    NumberItem,
    RatingItem,
    TextItem,
    YesNoItem,
)

COMMENT_MAX_LENGTH: Final[int] = 2000

RULES_SCHEMA: Final[dict[str, pl.DataType]] = {
    "instrument": pl.String(),
    "item": pl.String(),
    "type": pl.String(),
    "low": pl.Float64(),
    "high": pl.Float64(),
    "bounds": pl.String(),  # "between 1 and 5", for messages
    "integer": pl.Boolean(),
    "na_allowed": pl.Boolean(),
    "max_length": pl.Int64(),
    "comment": pl.Boolean(),
    "choices": pl.List(pl.String()),
    "multiple": pl.Boolean(),
}


def _number(value: float) -> str:
    return f"{value:g}"


def _bounds(low: float | None, high: float | None) -> str | None:
    if low is not None and high is not None:
        return f"between {_number(low)} and {_number(high)}"
    if low is not None:
        return f"at least {_number(low)}"
    if high is not None:
        return f"at most {_number(high)}"
    return None


def _range(item: Item) -> tuple[float | None, float | None, bool]:
    if isinstance(item, RatingItem):
        return float(item.scale.min), float(item.scale.max), True
    if isinstance(item, NpsItem):
        return 0.0, 10.0, True
    if isinstance(item, YesNoItem):
        return 0.0, 1.0, True
    if isinstance(item, NumberItem):
        return item.min, item.max, item.integer
    if isinstance(item, DurationItem):
        return 0.0, None if item.max_seconds is None else float(item.max_seconds), False
    return None, None, False


def _rule(instrument: Instrument, item: Item) -> dict[str, Any]:
    low, high, integer = _range(item)
    return {
        "instrument": instrument.id,
        "item": item.id,
        "type": item.type,
        "low": low,
        "high": high,
        "bounds": _bounds(low, high),
        "integer": integer,
        "na_allowed": item.na_allowed,
        "max_length": item.max_length if isinstance(item, TextItem) else COMMENT_MAX_LENGTH,
        "comment": item.comment,
        "choices": item.values() if isinstance(item, ChoiceItem) else None,
        "multiple": item.multiple if isinstance(item, ChoiceItem) else False,
    }


def rules_frame(instruments: Iterable[Instrument]) -> pl.DataFrame:
    rows = [_rule(instrument, item) for instrument in instruments for _, item in instrument.items()]
    return pl.DataFrame(rows, schema=RULES_SCHEMA)
