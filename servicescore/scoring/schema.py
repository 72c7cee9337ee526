"""The frames the scoring core reads and the names of the columns it writes.

The snapshot and the importer produce answers in exactly `ANSWER_SCHEMA`; the definitions produce the item
catalogue in `CATALOGUE_SCHEMA`. Output column names are a public contract (README, "Commands" and "Methods").
"""

from __future__ import annotations

from typing import Final, Literal

import polars as pl

ANSWER_SCHEMA: Final[dict[str, pl.DataType]] = {
    "response_id": pl.String(),
    "instrument": pl.String(),
    "wave": pl.String(),
    "organisation": pl.String(),
    "unit": pl.String(),
    "segment": pl.String(),
    "section": pl.String(),
    "item": pl.String(),
    "value": pl.Float64(),
    "na": pl.Boolean(),
    "text": pl.String(),
    "submitted_at": pl.Datetime("us", "UTC"),
    "weight": pl.Float64(),
}

ITEM_TYPES: Final[tuple[str, ...]] = ("rating", "nps", "yes_no", "choice", "text", "number", "duration", "photo")

CATALOGUE_SCHEMA: Final[dict[str, pl.DataType]] = {
    "instrument": pl.String(),
    "section": pl.String(),
    "section_weight": pl.Float64(),
    "item": pl.String(),
    "type": pl.String(),
    "weight": pl.Float64(),
    "scale_min": pl.Float64(),
    "scale_max": pl.Float64(),
    "points": pl.Float64(),
    "role": pl.String(),
    "scored": pl.Boolean(),
}

ORGANISATION_SCHEMA: Final[dict[str, pl.DataType]] = {"organisation": pl.String(), "peer_group": pl.String()}

# Items whose answers are numbers a mean makes sense of; choice, text and photo answers are not scored.
NUMERIC_TYPES: Final[tuple[str, ...]] = ("rating", "nps", "yes_no", "number", "duration")
# Items that enter section and overall scores: they have a scale, so they map onto 0–100.
SCALED_TYPES: Final[tuple[str, ...]] = ("rating", "nps", "yes_no")

GROUPABLE: Final[tuple[str, ...]] = ("organisation", "unit", "section", "item", "segment")
# Of those, the columns a response has one value of: what a table of respondents (drivers) can be grouped by.
RESPONDENT_GROUPABLE: Final[tuple[str, ...]] = ("organisation", "unit", "segment")
Level = Literal["item", "section", "overall"]

SCORE_STATISTICS: Final[tuple[str, ...]] = (
    "n",
    "n_eff",
    "weight_total",
    "mean",
    "sd",
    "ci_low",
    "ci_high",
    "index",
    "index_ci_low",
    "index_ci_high",
    "top2_pct",
    "top2_ci_low",
    "top2_ci_high",
    "bottom_pct",
    "nps",
    "nps_ci_low",
    "nps_ci_high",
    "promoters_pct",
    "detractors_pct",
    "suppressed",
    "uncertain",
)

# README "Methods": peers appear only when the peer group has at least this many shown organisations (a floor).
MIN_PEERS: Final[int] = 5

# README "Methods": a group under this many respondents is suppressed; configurable, never below the floor.
DEFAULT_MIN_N: Final[int] = 5
MIN_N_FLOOR: Final[int] = 3
UNCERTAIN_BELOW: Final[int] = 30
# 97.5 % quantile of the standard normal, for 95 % two-sided intervals.
Z95: Final[float] = 1.959963984540054
# Ties are ties: ranks, percentiles, Spearman ρ and driver order compare values rounded to this many decimals
# (of the 0–100 index, of a correlation, of a relative weight), so last-bit noise never breaks or makes a tie.
TIE_DECIMALS: Final[int] = 6
