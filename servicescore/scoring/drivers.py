"""Key drivers: which items move the outcome (overall satisfaction or recommendation), and how well each does.

Per item and group (`instrument, wave, *by`):

- `r`: Pearson correlation of the item with the outcome over the respondents who answered both (pairwise
  complete), on 0–100 item scores (a correlation does not depend on the scale);
- `relative_weight`: Johnson's relative weight (Johnson 2000, "A heuristic method for estimating the relative
  weight of predictor variables in multiple regression", *Multivariate Behavioral Research* 35: 1–19), on the
  respondents who answered every predictor and the outcome (listwise complete). With the predictors'
  correlation matrix `Rxx = PΔPᵀ` and their correlations with the outcome `rxy`:
  `Λ = PΔ^½Pᵀ` (correlations of the predictors with their closest orthogonal counterparts Z),
  `β = Λ⁻¹ rxy` (the outcome regressed on Z), `εⱼ = Σₖ Λⱼₖ² βₖ²`. The weights add up to the R² of the OLS fit;
- `importance`: the item's share of R², `100 · εⱼ / R²` (adds up to 100 within a group);
- `performance`: the item's index, the mean 0–100 score of its applicable answers;
- `quadrant`: split at the mean importance and the mean performance of the group's items (a value equal to
  the mean counts as high): high importance & high performance → "keep", high & low → "concentrate here",
  low & low → "low priority", low importance & high performance → "possible overkill".

Relative weights need at least `min_n` and at least (items + 2) complete respondents and predictors that are
not collinear; otherwise they are null and `reason` says why. Correlations and performance under `min_n`
answers are null too (suppression).

The scoring part is Polars; the eigen-decomposition runs with numpy once per group (never per row), so this
function computes when called and returns a LazyFrame over its (small) result.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import polars as pl

from servicescore.scoring.schema import DEFAULT_MIN_N
from servicescore.scoring.scores import Frame, item_scores_0_100

QUADRANTS: Final = pl.Enum(["keep", "concentrate here", "low priority", "possible overkill"])
_EIGEN_FLOOR: Final[float] = 1e-10


def johnson_relative_weights(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Johnson's (2000) relative weights of the columns of `x` for `y`; they add up to the OLS R²."""
    corr = np.corrcoef(np.column_stack([x, y]), rowvar=False)
    rxx, rxy = corr[:-1, :-1], corr[:-1, -1]
    values, vectors = np.linalg.eigh(rxx)
    lam = vectors @ np.diag(np.sqrt(values)) @ vectors.T
    beta = np.linalg.solve(lam, rxy)
    weights: np.ndarray = (lam**2) @ (beta**2)
    return weights


def _why_not(x: np.ndarray, y: np.ndarray, min_n: int) -> str | None:
    n, k = x.shape
    if k == 0:
        return "no predictor items"
    if n < max(min_n, k + 2):
        return f"{n} complete responses; at least {max(min_n, k + 2)} needed"
    if np.ptp(y) == 0 or (np.ptp(x, axis=0) == 0).any():
        return "an item or the outcome has no variance"
    if np.linalg.eigvalsh(np.corrcoef(x, rowvar=False).reshape(k, k)).min() < _EIGEN_FLOOR:
        return "predictor items are collinear"
    return None


def _relative_weights(wide: pl.DataFrame, keys: list[str], items: list[str], min_n: int) -> pl.DataFrame:
    rows: list[dict[str, object]] = []
    for group in wide.partition_by(keys, maintain_order=True):
        present = [i for i in items if group[i].null_count() < group.height]
        complete = group.select(*present, "_y").drop_nulls()
        x, y = complete.select(present).to_numpy(), complete["_y"].to_numpy()
        reason = _why_not(x, y, min_n)
        weights = johnson_relative_weights(x, y) if reason is None else np.full(len(present), np.nan)
        key = group.select(keys).row(0, named=True)
        rows += [
            {
                **key,
                "item": item,
                "relative_weight": w,
                "r_squared": weights.sum(),
                "n_complete": len(y),
                "reason": reason,
            }
            for item, w in zip(present, weights, strict=True)
        ]
    schema: dict[str, pl.DataType] = {
        **dict(wide.select(keys).schema),
        "item": pl.String(),
        "relative_weight": pl.Float64(),
        "r_squared": pl.Float64(),
        "n_complete": pl.Int64(),
        "reason": pl.String(),
    }
    return pl.DataFrame(rows, schema=schema).with_columns(pl.col("relative_weight", "r_squared").fill_nan(None))


def _quadrant(window: list[str]) -> pl.Expr:
    important = pl.col("importance") >= pl.col("importance").mean().over(window)
    performing = pl.col("performance") >= pl.col("performance").mean().over(window)
    quadrant = (
        pl.when(important & performing)
        .then(pl.lit("keep"))
        .when(important)
        .then(pl.lit("concentrate here"))
        .when(performing)
        .then(pl.lit("possible overkill"))
        .otherwise(pl.lit("low priority"))
    )
    return (
        pl.when(pl.col("importance").is_not_null() & pl.col("performance").is_not_null()).then(quadrant).cast(QUADRANTS)
    )


def drivers(
    answers: Frame,
    catalogue: Frame,
    outcome_item: str,
    by: Sequence[str] = ("organisation",),
    min_n: int = DEFAULT_MIN_N,
) -> pl.LazyFrame:
    """The driver table: `instrument, wave, *by, item, n, n_pairs, r, performance, relative_weight, importance,
    quadrant, r_squared, n_complete, reason` (see the module docstring)."""
    keys = ["instrument", "wave", *by]
    scored = (
        item_scores_0_100(answers, catalogue)
        .filter(pl.col("_score").is_not_null())
        .select(*(pl.col(k).cast(pl.String) for k in keys), "response_id", pl.col("item").cast(pl.String), "_score")
    ).collect()
    outcome = scored.filter(pl.col("item") == outcome_item).select(*keys, "response_id", _y="_score")
    predictors = scored.filter(pl.col("item") != outcome_item)
    items = sorted(predictors["item"].unique().to_list())
    wide = predictors.pivot(on="item", on_columns=items, index=[*keys, "response_id"], values="_score").join(
        outcome, on=[*keys, "response_id"], how="left", nulls_equal=True
    )
    pairs = predictors.join(outcome, on=[*keys, "response_id"], how="inner", nulls_equal=True)
    enough = pl.col("n") >= min_n
    return (
        predictors.group_by(*keys, "item")
        .agg(n=pl.len(), performance=pl.col("_score").mean())
        .join(
            pairs.group_by(*keys, "item").agg(n_pairs=pl.len(), r=pl.corr("_score", "_y").fill_nan(None)),
            on=[*keys, "item"],
            how="left",
            nulls_equal=True,
        )
        .join(_relative_weights(wide, keys, items, min_n), on=[*keys, "item"], how="left", nulls_equal=True)
        .with_columns(
            pl.col("n", "n_pairs", "n_complete").cast(pl.Int64),
            pl.when(pl.col("n_pairs") >= min_n).then(pl.col("r")).alias("r"),
            pl.when(enough).then(pl.col("performance")).alias("performance"),
            importance=100 * pl.col("relative_weight") / pl.col("r_squared"),
        )
        .with_columns(quadrant=_quadrant(keys))
        .select(
            *keys,
            "item",
            "n",
            "n_pairs",
            "r",
            "performance",
            "relative_weight",
            "importance",
            "quadrant",
            "r_squared",
            "n_complete",
            "reason",
        )
        .sort([*keys, "item"], nulls_last=True)
        .lazy()
    )
