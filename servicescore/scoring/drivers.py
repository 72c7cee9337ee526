"""Key drivers: which items move the outcome (overall satisfaction or recommendation), and how well each does.

Predictors are the scored items (rating, NPS, yes/no) of the instrument except every item with the role
`outcome` — the chosen outcome and the others (recommendation is a result, not a driver of satisfaction).

Per item and group (`instrument, wave, *by`), on 0–100 item scores, with the respondent weights when the answers
carry weights that differ (weighted means, variances and covariances; a correlation does not depend on the
scale):

- `r`: Pearson correlation of the item with the outcome over the respondents who answered both (pairwise
  complete); empty when the item or the outcome has no variance among them (a correlation is undefined then);
- `relative_weight`: Johnson's relative weight (Johnson 2000, "A heuristic method for estimating the relative
  weight of predictor variables in multiple regression", *Multivariate Behavioral Research* 35: 1–19), on the
  respondents who answered every predictor and the outcome (listwise complete). With the predictors'
  correlation matrix `Rxx = PΔPᵀ` and their correlations with the outcome `rxy`:
  `Λ = PΔ^½Pᵀ` (correlations of the predictors with their closest orthogonal counterparts Z),
  `β = Λ⁻¹ rxy` (the outcome regressed on Z), `εⱼ = Σₖ Λⱼₖ² βₖ²`. The weights add up to the R² of the OLS fit;
- `relative_weight_ci_low`, `relative_weight_ci_high`: the 95 % percentile bootstrap interval of the relative
  weight (Tonidandel, LeBreton & Johnson 2009, "Determining the statistical significance of relative weights",
  *Psychological Methods* 14: 387–399): `BOOTSTRAP_RESAMPLES` resamples of the complete respondents with
  replacement, drawn from a generator seeded with `BOOTSTRAP_SEED`, so the same answers give the same interval;
- `importance`: the item's share of R², `100 · εⱼ / R²` (adds up to 100 within a group);
- `performance`: the item's index, the (weighted) mean 0–100 score of its applicable answers;
- `rank`: the item's place by relative weight, largest first, ties (equal to `TIE_DECIMALS` decimals) sharing
  the better place; `rank_reliable`: false when the item's bootstrap interval overlaps that of an item ranked
  next to it — the order of those two could swap with a few more answers, and a report must say so;
- `quadrant`: split at the mean importance and the mean performance of the group's items (a value equal to
  the mean counts as high): high importance & high performance → "keep", high & low → "concentrate here",
  low & low → "low priority", low importance & high performance → "possible overkill".

Relative weights need about `RESPONSES_PER_PREDICTOR` (10) complete responses per predictor (and at least
`min_n`), and predictors that vary and are not collinear; otherwise they are null and `reason` says why.
Correlations and performance under `min_n` answers are null too (suppression).

The eigen-decompositions run with numpy once per group and resample (never per row), so this function computes
when called and returns a LazyFrame over its (small) result. Respondents are taken in `response_id` order, so
every sum runs in the same order on every run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import numpy as np
import polars as pl

from servicescore.scoring.schema import DEFAULT_MIN_N, RESPONDENT_GROUPABLE, TIE_DECIMALS
from servicescore.scoring.scores import Frame, item_scores_0_100

QUADRANTS: Final = pl.Enum(["keep", "concentrate here", "low priority", "possible overkill"])
RESPONSES_PER_PREDICTOR: Final[int] = 10
BOOTSTRAP_RESAMPLES: Final[int] = 1000
BOOTSTRAP_SEED: Final[int] = 2009
_EIGEN_FLOOR: Final[float] = 1e-10


def weighted_correlations(z: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The correlation matrix of the columns of `z` with respondent weights `w` (NaN where a column is constant)."""
    centred = z - (w @ z) / w.sum()
    cov = (centred * w[:, None]).T @ centred
    sd = np.sqrt(np.diag(cov))
    with np.errstate(invalid="ignore", divide="ignore"):
        corr: np.ndarray = cov / np.outer(sd, sd)
    return corr


def relative_weights_of(corr: np.ndarray) -> np.ndarray:
    """Johnson's (2000) relative weights from correlation matrices of the predictors and, last, the outcome.

    `corr` is one (k + 1)² matrix or a stack of them; the result has k weights per matrix.
    """
    rxx, rxy = corr[..., :-1, :-1], corr[..., :-1, -1]
    values, vectors = np.linalg.eigh(rxx)
    lam = vectors @ (np.sqrt(np.clip(values, 0.0, None))[..., None] * np.swapaxes(vectors, -1, -2))
    beta = (np.linalg.pinv(lam) @ rxy[..., None])[..., 0]
    weights: np.ndarray = ((lam**2) @ (beta**2)[..., None])[..., 0]
    return weights


def johnson_relative_weights(x: np.ndarray, y: np.ndarray, w: np.ndarray | None = None) -> np.ndarray:
    """Johnson's (2000) relative weights of the columns of `x` for `y`; they add up to the OLS R²."""
    weights = np.ones(len(y)) if w is None else w
    return relative_weights_of(weighted_correlations(np.column_stack([x, y]), weights))


def bootstrap_interval(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The 95 % percentile bootstrap interval of each relative weight (Tonidandel, LeBreton & Johnson 2009).

    Resampling respondents with replacement is weighting them by how often each was drawn (a multinomial count),
    times their own weight. Resamples in which a column has no variance or the predictors are collinear are
    dropped (their relative weights do not exist).
    """
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    n, k = x.shape
    counts = rng.multinomial(n, np.full(n, 1.0 / n), size=BOOTSTRAP_RESAMPLES)
    z = np.column_stack([x, y])
    stack = np.stack([weighted_correlations(z, c * w) for c in counts])
    valid = np.isfinite(stack).all(axis=(1, 2))
    stack = stack[valid]
    valid_rxx = np.linalg.eigvalsh(stack[:, :k, :k]).min(axis=1) >= _EIGEN_FLOOR
    resampled = relative_weights_of(stack[valid_rxx])
    if len(resampled) == 0:
        return np.full(k, np.nan), np.full(k, np.nan)
    low, high = np.percentile(resampled, [2.5, 97.5], axis=0)
    return low, high


def _why_not(x: np.ndarray, y: np.ndarray, min_n: int) -> str | None:
    n, k = x.shape
    if k == 0:
        return "no predictor items"
    needed = max(min_n, RESPONSES_PER_PREDICTOR * k)
    if n < needed:
        return (
            f"{n} complete responses for {k} items; a driver analysis needs about {RESPONSES_PER_PREDICTOR} per "
            f"item ({needed})"
        )
    if _constant(y) or any(_constant(column) for column in x.T):
        return "an item or the outcome has no variance"
    if np.linalg.eigvalsh(np.corrcoef(x, rowvar=False).reshape(k, k)).min() < _EIGEN_FLOOR:
        return "predictor items are collinear"
    return None


def _constant(values: np.ndarray) -> bool:
    return len(values) == 0 or bool(np.ptp(values) == 0)


def _pairwise(column: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[int, float | None]:
    """n_pairs and the (weighted) correlation of one item with the outcome; None when either is constant."""
    both = ~np.isnan(column) & ~np.isnan(y)
    pair, outcome, weights = column[both], y[both], w[both]
    if len(pair) < 2 or _constant(pair) or _constant(outcome):
        return int(both.sum()), None
    return int(both.sum()), float(weighted_correlations(np.column_stack([pair, outcome]), weights)[0, 1])


def _performance(column: np.ndarray, w: np.ndarray) -> tuple[int, float | None]:
    answered = ~np.isnan(column)
    if not answered.any():
        return 0, None
    return int(answered.sum()), float(np.average(column[answered], weights=w[answered]))


def _group_rows(group: pl.DataFrame, keys: list[str], items: list[str], min_n: int) -> list[dict[str, Any]]:
    present = [i for i in items if group[i].null_count() < group.height]
    matrix = group.select(*present, "_y").to_numpy().astype(float)
    w = group["_w"].to_numpy().astype(float)
    complete = ~np.isnan(matrix).any(axis=1)
    x, y, wc = matrix[complete, :-1], matrix[complete, -1], w[complete]
    reason = _why_not(x, y, min_n)
    k = len(present)
    if reason is None:
        weights = johnson_relative_weights(x, y, wc)
        low, high = bootstrap_interval(x, y, wc)
    else:
        weights = low = high = np.full(k, np.nan)
    key = group.select(keys).row(0, named=True)
    rows = []
    for j, item in enumerate(present):
        n, performance = _performance(matrix[:, j], w)
        n_pairs, r = _pairwise(matrix[:, j], matrix[:, -1], w)
        rows.append(
            {
                **key,
                "item": item,
                "n": n,
                "n_pairs": n_pairs,
                "r": r,
                "performance": performance,
                "relative_weight": weights[j],
                "relative_weight_ci_low": low[j],
                "relative_weight_ci_high": high[j],
                "r_squared": weights.sum(),
                "n_complete": len(y),
                "reason": reason,
            }
        )
    return rows


def _relative_weights(wide: pl.DataFrame, keys: list[str], items: list[str], min_n: int) -> pl.DataFrame:
    rows = [
        row for group in wide.partition_by(keys, maintain_order=True) for row in _group_rows(group, keys, items, min_n)
    ]
    schema: dict[str, pl.DataType] = {
        **dict(wide.select(keys).schema),
        "item": pl.String(),
        "n": pl.Int64(),
        "n_pairs": pl.Int64(),
        "r": pl.Float64(),
        "performance": pl.Float64(),
        "relative_weight": pl.Float64(),
        "relative_weight_ci_low": pl.Float64(),
        "relative_weight_ci_high": pl.Float64(),
        "r_squared": pl.Float64(),
        "n_complete": pl.Int64(),
        "reason": pl.String(),
    }
    floats = ["relative_weight", "relative_weight_ci_low", "relative_weight_ci_high", "r_squared"]
    return pl.DataFrame(rows, schema=schema).with_columns(pl.col(floats).fill_nan(None))


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


def _order(window: list[str]) -> list[pl.Expr]:
    """`rank` by relative weight and whether the neighbours in that order have separate bootstrap intervals."""
    weight = pl.col("relative_weight").round(TIE_DECIMALS)
    rank = weight.rank("min", descending=True).over(window)
    low, high = pl.col("relative_weight_ci_low"), pl.col("relative_weight_ci_high")
    by_rank = [weight.neg(), pl.col("item")]
    # In rank order the item above has a larger weight: the two are apart when its low end is above our high end.
    above_low = low.shift(1).over(window, order_by=by_rank)
    below_high = high.shift(-1).over(window, order_by=by_rank)
    apart = (above_low.is_null() | (above_low > high)) & (below_high.is_null() | (below_high < low))
    return [rank.alias("rank"), pl.when(low.is_not_null()).then(apart).alias("rank_reliable")]


def drivers(
    answers: Frame,
    catalogue: Frame,
    outcome_item: str,
    by: Sequence[str] = ("organisation",),
    min_n: int = DEFAULT_MIN_N,
) -> pl.LazyFrame:
    """The driver table: `instrument, wave, *by, item, n, n_pairs, r, performance, relative_weight,
    relative_weight_ci_low, relative_weight_ci_high, importance, rank, rank_reliable, quadrant, r_squared,
    n_complete, reason` (see the module docstring)."""
    if others := [column for column in by if column not in RESPONDENT_GROUPABLE]:
        raise ValueError(f"drivers group respondents, by {', '.join(RESPONDENT_GROUPABLE)}; not by {', '.join(others)}")
    keys = ["instrument", "wave", *by]
    outcomes = set(catalogue.lazy().filter(pl.col("role") == "outcome").select("item").collect().to_series().to_list())
    answers = answers.lazy()
    weight = pl.col("weight").fill_null(1.0) if "weight" in answers.collect_schema() else pl.lit(1.0)
    scored = (
        item_scores_0_100(answers, catalogue)
        .filter(pl.col("_score").is_not_null())
        .select(
            *(pl.col(k).cast(pl.String) for k in keys),
            pl.col("response_id").cast(pl.String),
            pl.col("item").cast(pl.String),
            "_score",
            _w=weight,
        )
    ).collect()
    if scored["_w"].n_unique() <= 1:
        # Equal weights change no statistic: unweighted arithmetic, bit for bit.
        scored = scored.with_columns(_w=pl.lit(1.0))
    respondents = [*keys, "response_id"]
    outcome = scored.filter(pl.col("item") == outcome_item).select(*respondents, _y="_score")
    predictors = scored.filter(~pl.col("item").is_in([outcome_item, *outcomes]))
    items = sorted(predictors["item"].unique().to_list())
    # A response's keys (and weight) are its own: the pivot groups by its id alone, and the keys come back from one
    # row per response (pivoting by all of them hashed every answer's keys, 2.6 GB at 1M responses).
    per_response = predictors.group_by("response_id").agg(pl.col(*keys, "_w").first())
    wide = (
        predictors.pivot(on="item", on_columns=items, index="response_id", values="_score")
        .join(per_response, on="response_id", how="left")
        .join(outcome, on=respondents, how="left", nulls_equal=True)
        .select(*respondents, *items, "_y", "_w")
        .sort(respondents, nulls_last=True)
    )
    enough = pl.col("n") >= min_n
    return (
        _relative_weights(wide, keys, items, min_n)
        .with_columns(
            pl.when(pl.col("n_pairs") >= min_n).then(pl.col("r")).alias("r"),
            pl.when(enough).then(pl.col("performance")).alias("performance"),
            importance=100 * pl.col("relative_weight") / pl.col("r_squared"),
        )
        .with_columns(_quadrant(keys).alias("quadrant"), *_order(keys))
        .select(
            *keys,
            "item",
            "n",
            "n_pairs",
            "r",
            "performance",
            "relative_weight",
            "relative_weight_ci_low",
            "relative_weight_ci_high",
            "importance",
            "rank",
            "rank_reliable",
            "quadrant",
            "r_squared",
            "n_complete",
            "reason",
        )
        .sort([*keys, "item"], nulls_last=True)
        .lazy()
    )
