"""The columns of answer files (DESIGN.md, "Contracts"): the long layout, and what a wide row starts with."""

from __future__ import annotations

from typing import Final

# One row per answer, in this order when we write.
LONG_COLUMNS: Final[tuple[str, ...]] = (
    "response_id",
    "instrument",
    "wave",
    "organisation",
    "unit",
    "item",
    "value",
    "na",
    "text",
    "submitted_at",
    "segment",
)
# One row per response: these, then one column per item id.
RESPONSE_COLUMNS: Final[tuple[str, ...]] = (
    "response_id",
    "instrument",
    "wave",
    "organisation",
    "unit",
    "submitted_at",
    "segment",
)
REQUIRED: Final[tuple[str, ...]] = ("response_id", "wave", "organisation", "unit")
# Optional in both layouts: a respondent weight (sampling weight, default 1).
OPTIONAL: Final[tuple[str, ...]] = ("weight",)
# What a wide cell may say for "not applicable".
NA_WORDS: Final[tuple[str, ...]] = ("na", "n/a", "n.a.", "ej aktuellt", "vet ej")
FORMATS: Final[tuple[str, ...]] = ("csv", "xlsx", "parquet")
