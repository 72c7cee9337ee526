"""The calibration report of a selection of exercises: agreement (`agreement`) and leniency (`leniency`) together,
as the command, the API and the console show them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from servicescore.scoring.agreement import DEFAULT_RESAMPLES, DEFAULT_SEED, agreement
from servicescore.scoring.leniency import leniency, rating_answers


@dataclass(frozen=True, slots=True)
class CalibrationTables:
    agreement: pl.DataFrame  # agreement.AGREEMENT_SCHEMA
    left_out: pl.DataFrame  # agreement.ROSTER_SCHEMA: chosen shoppers who answered nothing
    leniency: pl.DataFrame  # leniency.LENIENCY_SCHEMA, pooled over every exercise given
    leniency_reason: str | None  # why there is no leniency table

    def document(self) -> dict[str, Any]:
        """The JSON document of the command and the API."""
        return {
            "agreement": self.agreement.to_dicts(),
            "left_out": self.left_out.to_dicts(),
            "leniency": self.leniency.to_dicts(),
            "leniency_reason": self.leniency_reason,
        }


def calibration_tables(
    answers: pl.DataFrame,
    roster: pl.DataFrame,
    catalogue: pl.DataFrame,
    *,
    visits: pl.DataFrame | None = None,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> CalibrationTables:
    """α per instrument, wave, section and item of the exercises, and each shopper's leniency over all the exercises
    and `visits` given (`visit_ratings`: ordinary visits of units several shoppers visited in one wave). A shopper's
    leniency is theirs, whichever scorecard they hold: every rating item of every exercise and visit counts."""
    agreed = agreement(answers, roster, catalogue, resamples=resamples, seed=seed)
    observations = rating_answers(answers, catalogue)
    if visits is not None:
        observations = pl.concat([observations, visits.select(observations.columns)])
    offsets = leniency(observations)
    return CalibrationTables(agreed.table, agreed.left_out, offsets.table, offsets.reason)
