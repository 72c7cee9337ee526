"""Agreement between mystery shoppers who scored the same reference: Krippendorff's α per item, section and overall.

A calibration exercise is one shared reference (a recorded call, a transcript, or one visit window at one unit)
that several shoppers score independently. The thing judged — the *unit of analysis* in Krippendorff's sense —
is one item of one exercise; the *coders* are the shoppers. Within an instrument and wave:

- ``item``: the units are the exercises that scored the item. One exercise alone gives no α (with a single unit
  the observed and the expected disagreement are the same number, so α would be 0 whatever the shoppers did);
- ``section``: the units are every item × exercise of the section, one α per level of measurement present;
- ``overall``: the same over every item of the instrument, one α per level of measurement.

Levels of measurement follow the item type: ``ordinal`` for ratings and NPS, ``nominal`` for yes/no and choices
(a multiple choice counts as its whole set), ``interval`` for numbers and durations; text and photo items are not
compared. N/A is a missing value, not a category. α itself comes from the `krippendorff` package (Castro,
checked against Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability", in the tests).

Bad input is said, never scored 0: a unit needs at least two shoppers' values to count; with fewer than two
shoppers answering, or with every pairable value the same (no expected disagreement: α undefined), ``alpha`` is
null and ``reason`` says why. Shoppers of an exercise who answered nothing are left out of every α and listed.

The 95 % interval is a percentile bootstrap over units (``resamples`` draws with replacement, a fixed seed, so
the same answers give the same interval); draws in which every value is the same have no α and are dropped. With
fewer than 10 units there is α but no interval: so few units resample into a handful of distinct draws.
Reading: α ≥ 0.8 reliable, 0.667 ≤ α < 0.8 tentative, below that not reliable (Krippendorff 2004, 241–243).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import krippendorff
import numpy as np
import polars as pl

Measurement = Literal["nominal", "ordinal", "interval"]

MEASUREMENT_OF_TYPE: Final[dict[str, Measurement]] = {
    "rating": "ordinal",
    "nps": "ordinal",
    "yes_no": "nominal",
    "choice": "nominal",
    "number": "interval",
    "duration": "interval",
}

CALIBRATION_ANSWER_SCHEMA: Final[dict[str, pl.DataType]] = {
    "instrument": pl.String(),
    "wave": pl.String(),
    "exercise": pl.String(),
    "shopper": pl.String(),
    "item": pl.String(),
    "value": pl.Float64(),
    "na": pl.Boolean(),
    "text": pl.String(),
}
ROSTER_SCHEMA: Final[dict[str, pl.DataType]] = {
    "instrument": pl.String(),
    "wave": pl.String(),
    "exercise": pl.String(),
    "shopper": pl.String(),
}
AGREEMENT_SCHEMA: Final[dict[str, pl.DataType]] = {
    "instrument": pl.String(),
    "wave": pl.String(),
    "scope": pl.String(),
    "section": pl.String(),
    "item": pl.String(),
    "measurement": pl.String(),
    "exercises": pl.Int64(),
    "units": pl.Int64(),
    "shoppers": pl.Int64(),
    "pairable_values": pl.Int64(),
    "alpha": pl.Float64(),
    "ci_low": pl.Float64(),
    "ci_high": pl.Float64(),
    "reading": pl.String(),
    "reason": pl.String(),
}

RELIABLE_FROM: Final[float] = 0.8
TENTATIVE_FROM: Final[float] = 0.667
DEFAULT_RESAMPLES: Final[int] = 1000
DEFAULT_SEED: Final[int] = 20261206
# Resampling fewer units gives a handful of distinct draws, not an interval (with 2 units: 3 draws).
MIN_UNITS_FOR_INTERVAL: Final[int] = 10
# Half the draws must have an α for an interval; fewer say more about the data than about agreement.
_MIN_DEFINED_SHARE: Final[float] = 0.5


@dataclass(frozen=True, slots=True)
class Agreement:
    table: pl.DataFrame  # AGREEMENT_SCHEMA, one row per instrument × wave × scope × section × item × measurement
    left_out: pl.DataFrame  # ROSTER_SCHEMA: shoppers of an exercise who answered nothing


def reading(alpha: float | None) -> str | None:
    if alpha is None:
        return None
    if alpha >= RELIABLE_FROM:
        return "reliable"
    if alpha >= TENTATIVE_FROM:
        return "tentative"
    return "not reliable"


def _coded(answers: pl.DataFrame, catalogue: pl.DataFrame) -> pl.DataFrame:
    """Applicable answers of measured items with a numeric `code`: the value, or the choice's rank in the sorted
    choices given (a nominal code: only equal or not matters)."""
    measured = catalogue.select("instrument", "section", "item", "type").filter(
        pl.col("type").is_in(list(MEASUREMENT_OF_TYPE))
    )
    joined = answers.join(measured, on=["instrument", "item"], how="inner").filter(~pl.col("na").fill_null(False))
    choice_text = pl.col("text").str.split("\n").list.first()
    return (
        joined.with_columns(
            measurement=pl.col("type").replace_strict(MEASUREMENT_OF_TYPE, return_dtype=pl.String),
            label=pl.when(pl.col("type") == "choice").then(choice_text),
        )
        .with_columns(
            code=pl.when(pl.col("type") == "choice")
            .then(pl.col("label").rank("dense").over("instrument", "item").cast(pl.Float64))
            .otherwise(pl.col("value"))
        )
        .filter(pl.col("code").is_not_null())
    )


def _value_counts(unit_values: pl.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Units × values count matrix (units with at least two values only) and the sorted value domain."""
    pairable = unit_values.filter(pl.len().over("exercise", "item") >= 2)  # a pair needs two values
    domain = np.sort(pairable.get_column("code").unique().to_numpy())
    counts = (
        pairable.group_by("exercise", "item", "code")
        .len()
        .pivot(on="code", index=["exercise", "item"], values="len", sort_columns=True)
        .sort("exercise", "item")
        .fill_null(0)
    )
    columns = [c for c in counts.columns if c not in ("exercise", "item")]
    ordered = sorted(columns, key=float)
    return counts.select(ordered).to_numpy().astype(np.float64), domain


def _alpha(counts: np.ndarray, domain: np.ndarray, measurement: Measurement) -> float:
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(krippendorff.alpha(value_counts=counts, value_domain=domain, level_of_measurement=measurement))


def _bootstrap(
    counts: np.ndarray, domain: np.ndarray, measurement: Measurement, resamples: int, seed: int
) -> tuple[float | None, float | None]:
    rng = np.random.default_rng(seed)
    n_units = counts.shape[0]
    draws = np.array([_alpha(counts[rng.integers(0, n_units, n_units)], domain, measurement) for _ in range(resamples)])
    defined = draws[np.isfinite(draws)]
    if defined.size < _MIN_DEFINED_SHARE * resamples:
        return None, None
    low, high = np.quantile(defined, [0.025, 0.975])
    return float(low), float(high)


def _row(unit_values: pl.DataFrame, measurement: Measurement, resamples: int, seed: int) -> dict[str, object]:
    """α of one set of units: pairable units only; a reason instead of α where there is none."""
    counts, domain = _value_counts(unit_values)
    answering = unit_values.get_column("shopper").n_unique()
    alpha: float | None = None
    interval: tuple[float | None, float | None] = (None, None)
    reason: str | None = None
    if answering < 2 or counts.shape[0] == 0:
        reason = "fewer than two shoppers answered: no α"
    elif domain.size < 2:  # no expected disagreement
        reason = "every shopper gave the same value: α undefined"
    elif counts.shape[0] < 2:  # see the module docstring
        reason = "scored on one exercise only: α needs two or more units"
    else:
        alpha = _alpha(counts, domain, measurement)
        if counts.shape[0] >= MIN_UNITS_FOR_INTERVAL:
            interval = _bootstrap(counts, domain, measurement, resamples, seed)
    return {
        "measurement": measurement,
        "exercises": unit_values.get_column("exercise").n_unique(),
        "units": counts.shape[0],
        "shoppers": answering,
        "pairable_values": int(counts.sum()),
        "alpha": alpha,
        "ci_low": interval[0],
        "ci_high": interval[1],
        "reading": reading(alpha),
        "reason": reason,
    }


def _rows_of_wave(coded: pl.DataFrame, resamples: int, seed: int) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    scopes: list[tuple[str, list[str]]] = [
        ("item", ["section", "item", "measurement"]),
        ("section", ["section", "measurement"]),
        ("overall", ["measurement"]),
    ]
    for scope, keys in scopes:
        for key, group in coded.group_by(keys, maintain_order=True):
            named = dict(zip(keys, key, strict=True))
            rows.append(
                {
                    "scope": scope,
                    "section": named.get("section"),
                    "item": named.get("item"),
                    **_row(group, named["measurement"], resamples, seed),
                }
            )
    return rows


def agreement(
    answers: pl.DataFrame,
    roster: pl.DataFrame,
    catalogue: pl.DataFrame,
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> Agreement:
    """Krippendorff's α of calibration answers (`CALIBRATION_ANSWER_SCHEMA`) per instrument and wave; `roster`
    lists every shopper chosen for each exercise, so that the ones who answered nothing can be named."""
    if resamples < 1:
        raise ValueError(f"resamples: must be at least 1 (got {resamples})")
    coded = _coded(answers, catalogue)
    answered = coded.select("exercise", "shopper").unique()
    left_out = (
        roster.join(answered, on=["exercise", "shopper"], how="anti")
        .select(list(ROSTER_SCHEMA))
        .unique()
        .sort(list(ROSTER_SCHEMA))
    )
    rows: list[dict[str, object]] = []
    order = coded.sort("instrument", "wave", "section", "item", "exercise", "shopper")
    for (instrument, wave), in_wave in order.group_by("instrument", "wave", maintain_order=True):
        rows += [{"instrument": instrument, "wave": wave, **row} for row in _rows_of_wave(in_wave, resamples, seed)]
    scope_order = pl.col("scope").replace_strict({"item": 0, "section": 1, "overall": 2}, return_dtype=pl.Int8)
    table = (
        pl.DataFrame(rows, schema=AGREEMENT_SCHEMA)
        .sort(["instrument", "wave", scope_order, "section", "item", "measurement"], nulls_last=True)
        .select(list(AGREEMENT_SCHEMA))
    )
    return Agreement(table=table, left_out=left_out)


def consensus(answers: pl.DataFrame, catalogue: pl.DataFrame) -> pl.DataFrame:
    """The panel's answer to each measured item of one exercise (`answers`: shopper, item, value, na, text; the
    catalogue of its instrument): the median for ordinal and interval items, the one most common value for
    nominal items (null when two values tie: no majority). Columns item, value, text (a choice), shoppers."""
    measured = catalogue.select("item", "type").filter(pl.col("type").is_in(list(MEASUREMENT_OF_TYPE)))
    applicable = (
        answers.join(measured, on="item", how="inner")
        .filter(~pl.col("na").fill_null(False))
        .with_columns(
            nominal=pl.col("type").replace_strict(MEASUREMENT_OF_TYPE, return_dtype=pl.String) == "nominal",
            label=pl.when(pl.col("type") == "choice").then(pl.col("text").str.split("\n").list.first()),
        )
        .filter(pl.col("value").is_not_null() | pl.col("label").is_not_null())
    )
    medians = (
        applicable.filter(~pl.col("nominal"))
        .group_by("item")
        .agg(value=pl.col("value").median(), text=pl.lit(None, pl.String), shoppers=pl.len())
    )
    votes = applicable.filter(pl.col("nominal")).group_by("item", "value", "label").agg(votes=pl.len())
    modes = (
        votes.with_columns(
            top=pl.col("votes") == pl.col("votes").max().over("item"),
            shoppers=pl.col("votes").sum().over("item"),
        )
        .filter(pl.col("top"))
        .group_by("item")
        .agg(
            value=pl.when(pl.len() == 1).then(pl.col("value").first()),
            text=pl.when(pl.len() == 1).then(pl.col("label").first()),
            shoppers=pl.col("shoppers").first(),
        )
    )
    return (
        pl.concat([medians, modes], how="vertical_relaxed").with_columns(pl.col("shoppers").cast(pl.Int64)).sort("item")
    )
