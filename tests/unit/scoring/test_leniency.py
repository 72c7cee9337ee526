"""Shopper leniency: a simulated panel with known lenient and harsh shoppers, which must be found, and the mixed
model's estimates recomputed with numpy (balanced: the ANOVA estimators REML equals; unbalanced: Henderson's
mixed-model equations)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from servicescore.scoring import scores
from servicescore.scoring.agreement import CALIBRATION_ANSWER_SCHEMA
from servicescore.scoring.leniency import adjusted_answers, beside, leniency, rating_answers, visit_ratings
from servicescore.scoring.schema import SCORE_STATISTICS, Z95
from tests.support.scoring_frames import RATING, YES_NO, answers, catalogue

OFFSETS = {"s00": 0.8, "s01": -0.8, "s02": 0.1, "s03": -0.1, "s04": 0.0, "s05": 0.05, "s06": -0.05, "s07": 0.0}
ITEMS = [f"q{i}" for i in range(8)]
CATALOGUE = catalogue([{"item": item, **RATING} for item in ITEMS] + [{"item": "yes", **YES_NO}])


def panel(seed: int, exercises: int = 6, noise: float = 0.5, missing: float = 0.0) -> pl.DataFrame:
    """Every shopper scores every item of every exercise: truth 2–4 (no clipping), the shopper's offset, noise,
    rounded to a scale point. With `missing`, that share of answers is N/A. A yes/no item rides along."""
    rng = np.random.default_rng(seed)
    rows = []
    for e in range(exercises):
        truth = rng.uniform(2, 4, len(ITEMS))
        for shopper, offset in OFFSETS.items():
            for item, true in zip(ITEMS, truth, strict=True):
                value = float(np.clip(np.round(true + offset + rng.normal(0, noise)), 1, 5))
                na = bool(rng.random() < missing)
                rows.append({"exercise": f"e{e}", "shopper": shopper, "item": item, "value": None if na else value})
                rows[-1]["na"] = na
            rows.append({"exercise": f"e{e}", "shopper": shopper, "item": "yes", "value": 1.0, "na": False})
    frame = pl.DataFrame(rows).with_columns(instrument=pl.lit("survey"), wave=pl.lit("2026-Q1"), text=pl.lit(None))
    return frame.select(list(CALIBRATION_ANSWER_SCHEMA)).cast(CALIBRATION_ANSWER_SCHEMA)  # type: ignore[arg-type]


def test_the_lenient_and_the_harsh_shopper_are_found_and_nobody_else() -> None:
    result = leniency(rating_answers(panel(1), CATALOGUE))
    assert result.reason is None
    table = result.table
    flagged = dict(table.filter(pl.col("flag").is_not_null()).select("shopper", "flag").rows())
    assert flagged == {"s00": "lenient", "s01": "harsh"}
    rows = {r["shopper"]: r for r in table.iter_rows(named=True)}
    assert rows["s00"]["ci_low"] > 0.5
    assert rows["s01"]["ci_high"] < -0.5
    # the estimates recover the simulated offsets relative to the panel's mean offset (0.0 here)
    for shopper, offset in OFFSETS.items():
        assert rows[shopper]["ci_low"] < offset < rows[shopper]["ci_high"], shopper
        assert rows[shopper]["answers"] == 6 * len(ITEMS)  # ratings only: the yes/no item is not in the model
        assert rows[shopper]["targets"] == 6


def test_balanced_panel_matches_the_anova_estimators_and_the_closed_form_blup() -> None:
    """Every shopper scores every cell once: REML's variance components are the two-way ANOVA ones, and the BLUP
    is the shopper's mean deviation shrunk by Cτ²/(σ² + Cτ²)."""
    observations = rating_answers(panel(2), CATALOGUE)
    wide = observations.pivot(on="shopper", index="cell", values="value", sort_columns=True).sort("cell")
    y = wide.drop("cell").to_numpy()  # cells × shoppers
    cells, shoppers = y.shape
    shopper_dev = y.mean(axis=0) - y.mean()
    residual = y - y.mean(axis=1, keepdims=True) - y.mean(axis=0, keepdims=True) + y.mean()
    ms_error = (residual**2).sum() / ((cells - 1) * (shoppers - 1))
    ms_shopper = cells * (shopper_dev**2).sum() / (shoppers - 1)
    tau2 = (ms_shopper - ms_error) / cells
    blup = cells * tau2 / (ms_error + cells * tau2) * shopper_dev
    conditional = tau2 * ms_error / (ms_error + cells * tau2)

    table = leniency(observations).table.sort("shopper")
    assert table.get_column("residual_sd").to_numpy() == pytest.approx(np.sqrt(ms_error), rel=1e-4)
    assert table.get_column("shopper_sd").to_numpy() == pytest.approx(np.sqrt(tau2), rel=1e-4)
    assert table.get_column("offset").to_numpy() == pytest.approx(blup, abs=1e-4)
    assert table.get_column("raw_offset").to_numpy() == pytest.approx(shopper_dev, abs=1e-12)
    half = (table.get_column("ci_high") - table.get_column("offset")).to_numpy()
    assert half == pytest.approx(Z95 * np.sqrt(conditional), rel=1e-3)


def test_unbalanced_panel_matches_hendersons_mixed_model_equations() -> None:
    observations = rating_answers(panel(3, missing=0.15), CATALOGUE).sort("cell", "shopper")
    table = leniency(observations).table.sort("shopper")
    sigma2 = table.get_column("residual_sd")[0] ** 2
    tau2 = table.get_column("shopper_sd")[0] ** 2
    cell_codes = observations.get_column("cell").rank("dense").cast(pl.Int64).to_numpy() - 1
    shopper_codes = observations.get_column("shopper").rank("dense").cast(pl.Int64).to_numpy() - 1
    x = np.eye(cell_codes.max() + 1)[cell_codes]
    z = np.eye(shopper_codes.max() + 1)[shopper_codes]
    y = observations.get_column("value").to_numpy()
    lhs = np.block([[x.T @ x, x.T @ z], [z.T @ x, z.T @ z + sigma2 / tau2 * np.eye(z.shape[1])]])
    solution = np.linalg.solve(lhs, np.concatenate([x.T @ y, z.T @ y]))
    assert table.get_column("offset").to_numpy() == pytest.approx(solution[x.shape[1] :], abs=1e-6)
    n = np.bincount(shopper_codes)
    conditional = tau2 * sigma2 / (sigma2 + n * tau2)
    half = (table.get_column("ci_high") - table.get_column("offset")).to_numpy()
    assert half == pytest.approx(Z95 * np.sqrt(conditional), rel=1e-6)
    assert table.get_column("answers").to_list() == n.tolist()


def test_fewer_than_three_shoppers_or_no_shared_cell_give_a_reason_not_a_table() -> None:
    two = panel(4).filter(pl.col("shopper").is_in(["s00", "s01"]))
    result = leniency(rating_answers(two, CATALOGUE))
    assert result.table.height == 0
    assert result.reason == "fewer than 3 shoppers scored a rating item another shopper scored too: no model"
    # three shoppers, but each scored a different exercise: no cell is shared
    apart = panel(4).filter(
        pl.concat_str("shopper", "exercise").is_in(["s00e0", "s01e1", "s02e2"]),
    )
    assert leniency(rating_answers(apart, CATALOGUE)).reason is not None


def test_same_answers_in_any_order_give_the_same_bytes() -> None:
    observations = rating_answers(panel(5), CATALOGUE)
    first = leniency(observations).table.write_csv()
    assert leniency(observations.sample(fraction=1.0, shuffle=True, seed=9)).table.write_csv() == first


def test_ratings_without_residual_variation_give_a_reason_not_nan() -> None:
    """Shoppers who differ by exact constants leave REML no residual variance: once NaN intervals and a NaN
    offset flagged "lenient"; now no table and the reason."""
    rows = [
        {"exercise": f"e{e}", "shopper": s, "item": item, "value": float(2 + (e + i) % 3 + (s == "s00"))}
        for e in range(2)
        for s in ("s00", "s01", "s02", "s03")
        for i, item in enumerate(ITEMS[:3])
    ]
    frame = pl.DataFrame(rows).with_columns(
        instrument=pl.lit("survey"), wave=pl.lit("2026-Q1"), na=pl.lit(False), text=pl.lit(None)
    )
    answers = frame.select(list(CALIBRATION_ANSWER_SCHEMA)).cast(CALIBRATION_ANSWER_SCHEMA)  # type: ignore[arg-type]
    result = leniency(rating_answers(answers, CATALOGUE))
    assert result.table.height == 0
    assert (
        result.reason
        == "the ratings differ between shoppers by constant amounts only (no residual variation): no model"
    )


def test_shoppers_who_differ_no_more_than_chance_flag_nobody() -> None:
    """Every shopper's deviations add up to 0 (a Latin square of −1, 0, +1): REML puts the shopper variance at 0."""
    rows = [
        {"shopper": f"s{k}", "target": f"e{e}", "cell": f"e{e}/q{i}", "value": 3.0 + [1, 0, -1, 0][(i + k + e) % 4]}
        for e in range(3)
        for k in range(4)
        for i in range(4)
    ]
    result = leniency(pl.DataFrame(rows))
    assert result.table.height == 0
    assert (
        result.reason == "the shoppers differ no more than chance (shopper variance estimated at 0): nobody is flagged"
    )


VISIT_OFFSETS = {"v0": 0.9, "v1": -0.9, "v2": 0.0, "v3": 0.1, "v4": -0.1, "v5": 0.0}


def rotating_visits(seed: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Ordinary visits: 3 waves × 8 units (two organisations with a unit each called "main"), 3 of 6 shoppers per
    unit and wave in rotation, 6 rating items and a yes/no item; answers and the response → shopper map."""
    rng = np.random.default_rng(seed)
    rows, shoppers = [], []
    units = [("zorngarden", "main"), ("carl-larsson", "main")] + [("zorngarden", f"u{u}") for u in range(6)]
    names = list(VISIT_OFFSETS)
    for w, wave in enumerate(["2026-Q1", "2026-Q2", "2026-Q3"]):
        for u, (organisation, unit) in enumerate(units):
            truth = rng.uniform(2, 4, 6)
            for k in range(3):
                shopper = names[(u + w + 2 * k) % len(names)]
                response = f"{wave}-{organisation}-{unit}-{shopper}"
                shoppers.append({"response_id": response, "shopper": shopper})
                where = {"response_id": response, "wave": wave, "organisation": organisation, "unit": unit}
                for i, true in enumerate(truth):
                    mark = float(np.clip(np.round(true + VISIT_OFFSETS[shopper] + rng.normal(0, 0.4)), 1, 5))
                    rows.append({**where, "item": ITEMS[i], "value": mark})
                rows.append({**where, "item": "yes", "value": 1.0})
    return answers(rows), pl.DataFrame(shoppers)


def test_rotating_visits_find_the_lenient_and_the_harsh_shopper_per_unit_and_wave() -> None:
    visits, shoppers = rotating_visits(3)
    observations = visit_ratings(visits, shoppers, CATALOGUE)
    # a target is one organisation's unit in one wave: the two units called "main" stay apart
    assert observations.get_column("target").n_unique() == 24
    assert observations.height == visits.filter(pl.col("item") != "yes").height
    flags = dict(leniency(observations).table.select("shopper", "flag").iter_rows())
    assert flags == {"v0": "lenient", "v1": "harsh", "v2": None, "v3": None, "v4": None, "v5": None}


def test_adjusted_answers_move_visit_ratings_by_the_offset_within_the_scale() -> None:
    rows = [
        {"response_id": "visit", "item": "q0", "value": 5.0},
        {"response_id": "visit", "item": "q1", "value": 1.0},
        {"response_id": "visit", "item": "yes", "value": 1.0},
        {"response_id": "unknown", "item": "q0", "value": 4.0},
        {"response_id": "respondent", "item": "q0", "value": 4.0},
    ]
    shoppers = pl.DataFrame({"response_id": ["visit", "unknown"], "shopper": ["lenient", "new"]})
    offsets = pl.DataFrame({"shopper": ["lenient"], "offset": [0.75]})
    moved = adjusted_answers(answers(rows).lazy(), shoppers, offsets, CATALOGUE).collect()
    assert moved.columns == answers(rows).columns
    # 5 → 4.25; 1 → 0.25 clipped to the scale's 1; yes/no, a shopper without an estimate and a respondent stay
    assert moved.get_column("value").to_list() == [4.25, 1.0, 1.0, 4.0, 4.0]


def test_adjusted_means_sit_beside_the_unadjusted_ones_and_match_numpy() -> None:
    visits, shoppers = rotating_visits(5)
    fitted = leniency(visit_ratings(visits, shoppers, CATALOGUE)).table
    moved = adjusted_answers(visits.lazy(), shoppers, fitted, CATALOGUE).collect()
    table = beside(
        scores(visits, CATALOGUE, ["organisation"], "item", 3).collect(),
        scores(moved, CATALOGUE, ["organisation"], "item", 3).collect(),
        SCORE_STATISTICS,
    )
    offset = dict(fitted.select("shopper", "offset").iter_rows())
    of = dict(shoppers.iter_rows())
    for row in table.filter(pl.col("item") == "q0").iter_rows(named=True):
        raw = visits.filter(
            (pl.col("organisation") == row["organisation"]) & (pl.col("wave") == row["wave"]) & (pl.col("item") == "q0")
        )
        values = np.array(raw.get_column("value").to_list())
        adjusted = np.clip(values - np.array([offset[of[r]] for r in raw.get_column("response_id")]), 1, 5)
        assert row["mean"] == pytest.approx(values.mean(), abs=1e-9)
        assert row["mean_adjusted"] == pytest.approx(adjusted.mean(), abs=1e-9)
        assert row["index_adjusted"] == pytest.approx((adjusted.mean() - 1) / 4 * 100, abs=1e-6)
    keys = ["wave", "organisation", "item"]
    assert_frame_equal(
        table.select(pl.exclude("mean_adjusted", "index_adjusted")).sort(keys),
        scores(visits, CATALOGUE, ["organisation"], "item", 3).collect().sort(keys),
    )
