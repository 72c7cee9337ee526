"""Agreement and leniency of mystery shoppers as the command, the API and the console show them, and scores adjusted
for leniency: one reading of calibration exercises and ordinary visits for every output. Consultants only (the
callers check); the database must be open."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import polars as pl
from anyio import to_thread

from servicescore.db.calibration import calibration_inputs, visit_shoppers
from servicescore.scoring import scores
from servicescore.scoring.calibration import CalibrationTables, calibration_tables
from servicescore.scoring.leniency import adjusted_answers, beside, leniency, rating_answers, visit_ratings
from servicescore.scoring.schema import SCORE_STATISTICS, Level
from servicescore.settings import Settings
from servicescore.snapshot import catalogue, load_answers


def _visits(
    settings: Settings, instruments: Sequence[str], waves: Sequence[str] | None, shoppers: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The item catalogue, and the ordinary visits' rating answers as leniency observations."""
    items = catalogue(settings, instruments)
    frames = [visit_ratings(load_answers(settings, instrument, waves), shoppers, items) for instrument in instruments]
    return items, pl.concat(frames)


async def calibration_report(
    settings: Settings, instruments: Sequence[str], waves: Sequence[str] | None
) -> CalibrationTables:
    """α of the calibration exercises of `instruments` (in `waves`; default all) and each shopper's leniency from
    those exercises and the ordinary visits of the same scorecards and waves."""
    answers, roster = await calibration_inputs(instruments, waves)
    shoppers = await visit_shoppers(instruments, waves)
    items, visits = await to_thread.run_sync(_visits, settings, instruments, waves, shoppers)
    return await to_thread.run_sync(partial(calibration_tables, answers, roster, items, visits=visits))


@dataclass(frozen=True, slots=True)
class Adjustment:
    shoppers: pl.DataFrame  # response_id, shopper: who made each visit
    offsets: pl.DataFrame  # leniency.LENIENCY_SCHEMA
    reason: str | None  # why there are no offsets (then nothing moves)


async def shopper_adjustment(settings: Settings, instrument: str) -> Adjustment:
    """Each shopper's offset on `instrument`, from every calibration exercise and visit of it, all waves."""
    answers, _ = await calibration_inputs([instrument])
    shoppers = await visit_shoppers([instrument])
    items, visits = await to_thread.run_sync(_visits, settings, [instrument], None, shoppers)
    observations = pl.concat([rating_answers(answers, items), visits.select("shopper", "target", "cell", "value")])
    fitted = await to_thread.run_sync(leniency, observations)
    return Adjustment(shoppers, fitted.table, fitted.reason)


async def shopper_adjustments(settings: Settings, instruments: Sequence[str]) -> dict[str, Adjustment]:
    """`shopper_adjustment` of each scorecard in `instruments` (a report's: `reporting.request.scorecards`)."""
    return {instrument: await shopper_adjustment(settings, instrument) for instrument in instruments}


def adjusted_scores(
    answers: pl.LazyFrame,
    items: pl.DataFrame,
    adjustment: Adjustment,
    *,
    by: Sequence[str],
    level: Level,
    min_n: int,
) -> pl.DataFrame:
    """The score table with `mean_adjusted` and `index_adjusted` beside the unadjusted statistics."""
    unadjusted = scores(answers, items, by, level, min_n).collect()
    moved = adjusted_answers(answers, adjustment.shoppers, adjustment.offsets, items)
    return beside(unadjusted, scores(moved, items, by, level, min_n).collect(), SCORE_STATISTICS)
