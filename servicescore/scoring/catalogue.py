"""From instrument definitions to the item catalogue the scoring core reads (`CATALOGUE_SCHEMA`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl

from servicescore.definitions import (
    DurationItem,
    Instrument,
    Item,
    NpsItem,
    NumberItem,
    RatingItem,
    YesNoItem,
)
from servicescore.scoring.schema import CATALOGUE_SCHEMA


def _scale(item: Item) -> tuple[float | None, float | None]:
    """The range an item's values lie in; scoring maps rating, NPS and yes/no items onto 0–100 with it."""
    if isinstance(item, RatingItem):
        return float(item.scale.min), float(item.scale.max)
    if isinstance(item, NpsItem):
        return 0.0, 10.0
    if isinstance(item, YesNoItem):
        return 0.0, 1.0
    if isinstance(item, NumberItem):
        return item.min, item.max
    if isinstance(item, DurationItem):
        return 0.0, None if item.max_seconds is None else float(item.max_seconds)
    return None, None


def _row(instrument: Instrument, section_id: str, section_weight: float, item: Item) -> dict[str, Any]:
    low, high = _scale(item)
    return {
        "instrument": instrument.id,
        "section": section_id,
        "section_weight": section_weight,
        "item": item.id,
        "type": item.type,
        "weight": item.weight,
        "scale_min": low,
        "scale_max": high,
        "points": item.points if isinstance(item, YesNoItem) else None,
        "role": item.role,
        "scored": item.scored,
    }


def items_frame(instruments: Iterable[Instrument]) -> pl.DataFrame:
    """One row per item in `CATALOGUE_SCHEMA`. When several versions of one instrument are given, the first
    mention of an item wins: pass the current version first and older ones after, for items since removed."""
    rows = [
        _row(instrument, section.id, section.weight, item)
        for instrument in instruments
        for section, item in instrument.items()
    ]
    frame = pl.DataFrame(rows, schema=CATALOGUE_SCHEMA)
    return frame.unique(["instrument", "item"], keep="first", maintain_order=True)
