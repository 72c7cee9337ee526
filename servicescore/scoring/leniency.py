"""Leniency: how far each mystery shopper's ratings sit above or below what the other shoppers give the same thing.

The model (a linear mixed model, statsmodels ``MixedLM``, fitted by REML) of every applicable rating answer:

    value = β[target × item] + b[shopper] + ε,   b ~ N(0, τ²),  ε ~ N(0, σ²)

A *target* is what several shoppers judged: a calibration exercise (one shared reference), or one unit in one
wave when shoppers rotate over units. Its fixed effect per item carries the panel's consensus of that item, so a
shopper's offset ``b`` is in scale points relative to the panel, and a cell only one shopper scored says nothing
about anyone's leniency. ``offset`` is the shopper's predicted random effect (BLUP); its 95 % interval is
``offset ± 1.96 √v`` with ``v`` the conditional variance of the random effect given the data and the estimated
fixed effects (statsmodels ``random_effects_cov``; for a random intercept ``τ²σ²/(σ² + nτ²)`` with the
shopper's n answers). The BLUP is shrunk towards 0 by ``nτ²/(σ² + nτ²)``, so a shopper with few answers is not
flagged on them alone; ``raw_offset`` is the unshrunk mean of the shopper's deviations from each cell's mean.

A shopper is flagged ``lenient`` when the whole interval lies above +0.5 scale points, ``harsh`` when it lies
below −0.5. Only rating items enter (yes/no, numbers and durations have no common scale to be lenient on).
There is no table with fewer than three shoppers, with no cell two shoppers scored, when REML does not
converge, when the ratings have no residual variation, or when the shopper variance is estimated at 0 (the
shoppers differ no more than chance: nobody is lenient or harsh); `reason` says which.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Final

import numpy as np
import polars as pl

from servicescore.scoring.schema import Z95

FLAG_BEYOND: Final[float] = 0.5
MIN_SHOPPERS: Final[int] = 3
# A standard deviation this small (scale points) is REML's rounding of none at all.
NO_VARIANCE_BELOW: Final[float] = 1e-4

LENIENCY_SCHEMA: Final[dict[str, pl.DataType]] = {
    "shopper": pl.String(),
    "answers": pl.Int64(),
    "targets": pl.Int64(),
    "offset": pl.Float64(),
    "ci_low": pl.Float64(),
    "ci_high": pl.Float64(),
    "raw_offset": pl.Float64(),
    "flag": pl.String(),
    "shopper_sd": pl.Float64(),
    "residual_sd": pl.Float64(),
}


@dataclass(frozen=True, slots=True)
class Leniency:
    table: pl.DataFrame  # LENIENCY_SCHEMA, one row per shopper, sorted by shopper
    reason: str | None  # why there is no model (then `table` has no rows)


def rating_answers(answers: pl.DataFrame, catalogue: pl.DataFrame) -> pl.DataFrame:
    """Applicable rating answers of calibration answers (`CALIBRATION_ANSWER_SCHEMA`) as shopper, target, cell,
    value: the exercise is the target, and a cell is one item of one target."""
    ratings = catalogue.filter(pl.col("type") == "rating").select("instrument", "item")
    return (
        answers.join(ratings, on=["instrument", "item"], how="inner")
        .filter(~pl.col("na").fill_null(False) & pl.col("value").is_not_null())
        .select(
            "shopper",
            target=pl.col("exercise"),
            cell=pl.concat_str("instrument", "exercise", "item", separator="\x1f"),
            value="value",
        )
    )


def visit_ratings(
    answers: pl.DataFrame | pl.LazyFrame, shoppers: pl.DataFrame, catalogue: pl.DataFrame
) -> pl.DataFrame:
    """Applicable rating answers of ordinary visits (`ANSWER_SCHEMA` rows; `shoppers` maps `response_id` to the
    `shopper` who made the visit) as shopper, target, cell, value: the target is one unit of one organisation in one
    wave, so shoppers who rotate over units meet in its cells. A unit only one shopper visited says nothing."""
    ratings = catalogue.filter(pl.col("type") == "rating").select("instrument", "item")
    target = pl.concat_str("instrument", "wave", "organisation", "unit", separator="\x1f")
    return (
        answers.lazy()
        .join(shoppers.lazy(), on="response_id", how="inner")
        .join(ratings.lazy(), on=["instrument", "item"], how="inner")
        .filter(~pl.col("na").fill_null(False) & pl.col("value").is_not_null())
        .select("shopper", target=target, cell=pl.concat_str(target, "item", separator="\x1f"), value="value")
        .collect()
    )


def adjusted_answers(
    answers: pl.LazyFrame, shoppers: pl.DataFrame, offsets: pl.DataFrame, catalogue: pl.DataFrame
) -> pl.LazyFrame:
    """`answers` with each rating of a visit moved by minus its shopper's offset (`LENIENCY_SCHEMA`), clipped to the
    item's scale (a lenient shopper's lowest mark stays the lowest). Answers of shoppers without an estimate, of
    respondents and of other item types are unchanged."""
    ratings = catalogue.filter(pl.col("type") == "rating").select("instrument", "item", "scale_min", "scale_max")
    moved = (pl.col("value") - pl.col("offset")).clip(pl.col("scale_min"), pl.col("scale_max"))
    return (
        answers.join(shoppers.lazy().join(offsets.lazy().select("shopper", "offset"), on="shopper"), on="response_id",
                     how="left", maintain_order="left")
        .join(ratings.lazy(), on=["instrument", "item"], how="left", maintain_order="left")
        .with_columns(value=pl.when(pl.col("offset").is_not_null() & pl.col("scale_min").is_not_null())
                      .then(moved).otherwise(pl.col("value")))
        .select(answers.collect_schema().names())
    )  # fmt: skip


def beside(unadjusted: pl.DataFrame, adjusted: pl.DataFrame, statistics: tuple[str, ...]) -> pl.DataFrame:
    """The score table `unadjusted` with `mean_adjusted` and `index_adjusted` from `adjusted` (the same table over
    `adjusted_answers`) on the same rows: adjusted figures are never shown alone."""
    keys = [column for column in unadjusted.columns if column not in statistics]
    extra = adjusted.select(*keys, mean_adjusted="mean", index_adjusted="index")
    return unadjusted.join(extra, on=keys, how="left", nulls_equal=True, maintain_order="left")


def _flag(low: pl.Expr, high: pl.Expr) -> pl.Expr:
    return pl.when(low > FLAG_BEYOND).then(pl.lit("lenient")).when(high < -FLAG_BEYOND).then(pl.lit("harsh"))


def _why_not(informative: pl.DataFrame) -> str | None:
    if informative.get_column("shopper").n_unique() < MIN_SHOPPERS:
        return f"fewer than {MIN_SHOPPERS} shoppers scored a rating item another shopper scored too: no model"
    return None


def _fit(observations: pl.DataFrame) -> tuple[dict[str, tuple[float, float]], float, float] | str:
    """BLUP and conditional variance per shopper, τ and σ; or why the model has no fit."""
    # statsmodels (with pandas and scipy.stats, seconds of imports) loads here, when a model is fitted, not with
    # the scoring package: `scores` never fits one.
    from statsmodels.regression.mixed_linear_model import MixedLM  # type: ignore[import-untyped]  # no type hints
    from statsmodels.tools.sm_exceptions import (  # type: ignore[import-untyped]  # no type hints
        ConvergenceWarning,
        SingularMatrixWarning,
    )

    cells = observations.get_column("cell").rank("dense").cast(pl.Int64).to_numpy() - 1
    exog = np.zeros((observations.height, int(cells.max()) + 1))
    exog[np.arange(observations.height), cells] = 1.0
    model = MixedLM(
        observations.get_column("value").to_numpy(),
        exog,
        groups=observations.get_column("shopper").to_numpy(),
        exog_re=np.ones((observations.height, 1)),
    )
    with warnings.catch_warnings():
        # statsmodels warns on a variance at the boundary (0), a singular covariance and on retries; the result
        # is judged below instead.
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", SingularMatrixWarning)
        try:
            result = model.fit(reml=True)
        except (np.linalg.LinAlgError, ValueError) as error:
            return f"the mixed model has no fit ({str(error).splitlines()[0]}): no estimates"
    if not result.converged:
        return "the mixed model did not converge: no estimates"
    if np.asarray(result.cov_re)[0, 0] < NO_VARIANCE_BELOW**2:
        return "the shoppers differ no more than chance (shopper variance estimated at 0): nobody is flagged"
    effects = {
        str(shopper): (
            float(np.asarray(result.random_effects[shopper])[0]),
            float(np.asarray(result.random_effects_cov[shopper])[0, 0]),
        )
        for shopper in result.random_effects
    }
    shopper_sd, residual_sd = float(np.sqrt(np.asarray(result.cov_re)[0, 0])), float(np.sqrt(result.scale))
    estimates = np.array([[shopper_sd, residual_sd], *effects.values()])
    if not np.isfinite(estimates).all() or residual_sd < NO_VARIANCE_BELOW:
        return "the ratings differ between shoppers by constant amounts only (no residual variation): no model"
    return effects, shopper_sd, residual_sd


def leniency(observations: pl.DataFrame) -> Leniency:
    """Each shopper's offset from `observations` (columns shopper, target, cell, value; see `rating_answers`)."""
    # Cells only one shopper scored are fixed effects fitted exactly: they carry no information, so leave them out.
    informative = observations.filter(pl.col("shopper").n_unique().over("cell") >= 2).sort("cell", "shopper", "value")
    empty = pl.DataFrame(schema=LENIENCY_SCHEMA)
    if (reason := _why_not(informative)) is not None:
        return Leniency(empty, reason)
    fitted = _fit(informative)
    if isinstance(fitted, str):
        return Leniency(empty, fitted)
    effects, shopper_sd, residual_sd = fitted
    estimates = pl.DataFrame(
        [{"shopper": s, "offset": b, "_var": v} for s, (b, v) in effects.items()],
        schema={"shopper": pl.String, "offset": pl.Float64, "_var": pl.Float64},
    )
    half = Z95 * pl.col("_var").sqrt()
    table = (
        informative.with_columns(_dev=pl.col("value") - pl.col("value").mean().over("cell"))
        .group_by("shopper")
        .agg(answers=pl.len(), targets=pl.col("target").n_unique(), raw_offset=pl.col("_dev").mean())
        .join(estimates, on="shopper", how="inner")
        .with_columns(ci_low=pl.col("offset") - half, ci_high=pl.col("offset") + half)
        .with_columns(
            flag=_flag(pl.col("ci_low"), pl.col("ci_high")),
            shopper_sd=pl.lit(shopper_sd),
            residual_sd=pl.lit(residual_sd),
            answers=pl.col("answers").cast(pl.Int64),
            targets=pl.col("targets").cast(pl.Int64),
        )
        .select(list(LENIENCY_SCHEMA))
        .sort("shopper")
    )
    return Leniency(table, None)
