"""Respondent weights: post-stratification and raking to known population shares, and Kish's effective n.

Weights are sampling weights: they correct who answered, they do not multiply respondents. Both methods return
weights normalised to a mean of 1 (Σw = number of respondents), so n stays the respondent count and the
precision of a weighted estimate is that of Kish's effective n, `(Σw)² / Σw²` (Kish 1965, *Survey Sampling*).

Weighting runs on one row per respondent (a small frame) and returns it with a `weight` column, which the
caller joins onto the answers by `response_id`. Raking iterates over the margins, never over rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import overload

import polars as pl

Frame = pl.LazyFrame | pl.DataFrame


@overload
def kish_n_eff(weights: pl.Series) -> float: ...
@overload
def kish_n_eff(weights: pl.Expr | str = "weight") -> pl.Expr: ...
def kish_n_eff(weights: pl.Series | pl.Expr | str = "weight") -> float | pl.Expr:
    """Kish's effective sample size `(Σw)² / Σw²`: a number for a Series, an expression otherwise."""
    if isinstance(weights, pl.Series):
        total, squares = float(weights.sum()), float((weights * weights).sum())
        return float(total**2 / squares) if squares else 0.0
    w = pl.col(weights) if isinstance(weights, str) else weights
    return w.sum() ** 2 / (w * w).sum()


def _check_shares(shares: pl.DataFrame, what: str) -> None:
    total = float(shares["share"].sum())
    if abs(total - 1.0) > 1e-6:
        raise ValueError(f"{what}: shares must add up to 1 (got {total:.6g})")
    if (shares["share"] <= 0).any():
        raise ValueError(f"{what}: every share must be positive")


def _missing_cells(sample: pl.DataFrame, population: pl.DataFrame, by: list[str]) -> list[dict[str, object]]:
    return sample.select(by).unique().join(population.select(by), on=by, how="anti", nulls_equal=True).to_dicts()


def poststratify(respondents: Frame, population_shares: Frame, by: Sequence[str]) -> pl.DataFrame:
    """Weight each respondent by `population share ÷ sample share` of their cell (the `by` columns).

    `population_shares` holds the `by` columns and `share` (adding up to 1). Every cell in the sample must have
    a population share, and every population cell must have respondents (else no weight can reach it).
    """
    by = list(by)
    people = respondents.lazy().collect()
    population = population_shares.lazy().select(*by, "share").collect()
    _check_shares(population, "population_shares")
    if missing := _missing_cells(people, population, by):
        raise ValueError(f"population_shares: no share for the sample cells {missing}")
    if empty := _missing_cells(population, people, by):
        raise ValueError(f"respondents: nobody in the population cells {empty}; merge cells first")
    return (
        people.join(population, on=by, how="left", nulls_equal=True, maintain_order="left")
        .with_columns(weight=pl.col("share") / (pl.len().over(by) / pl.len()))
        .drop("share")
    )


def rake(
    respondents: Frame,
    margins: Mapping[str, Mapping[str, float]],
    max_iter: int = 100,
    tol: float = 1e-8,
) -> pl.DataFrame:
    """Iterative proportional fitting (Deming & Stephan 1940) to the target `margins`.

    `margins` maps a respondent column to its categories' population shares, e.g.
    `{"age": {"18-34": 0.3, "35+": 0.7}, "sex": {"f": 0.5, "m": 0.5}}`. Each iteration scales the weights so
    that one margin after the other matches its target; it stops when every weighted share is within `tol` of
    its target, and raises ValueError when `max_iter` iterations do not get there.
    """
    people = respondents.lazy().collect().with_columns(weight=pl.lit(1.0))
    targets = {}
    for column, shares in margins.items():
        frame = pl.DataFrame(
            {column: list(shares), "_target": list(shares.values())},
            schema_overrides={column: people.schema[column]},
        )
        _check_shares(frame.rename({"_target": "share"}), f"margins[{column!r}]")
        if missing := _missing_cells(people, frame, [column]):
            raise ValueError(f"margins[{column!r}]: no share for the sample categories {missing}")
        if empty := _missing_cells(frame, people, [column]):
            raise ValueError(f"margins[{column!r}]: nobody in the categories {empty}")
        targets[column] = frame
    for _ in range(max_iter):
        for column, frame in targets.items():
            current = pl.col("weight").sum().over(column) / pl.col("weight").sum()
            people = (
                people.join(frame, on=column, how="left", maintain_order="left")
                .with_columns(weight=pl.col("weight") * pl.col("_target") / current)
                .drop("_target")
            )
        if _largest_gap(people, targets) < tol:
            return people.with_columns(weight=pl.col("weight") / pl.col("weight").mean())
    raise ValueError(f"rake: margins not met within {tol} after {max_iter} iterations; they may be inconsistent")


def _largest_gap(people: pl.DataFrame, targets: Mapping[str, pl.DataFrame]) -> float:
    total = float(people["weight"].sum())
    gaps = [
        people.group_by(column)
        .agg(share=pl.col("weight").sum() / total)
        .join(frame, on=column)
        .select((pl.col("share") - pl.col("_target")).abs().max())
        .item()
        for column, frame in targets.items()
    ]
    return float(max(gaps))
