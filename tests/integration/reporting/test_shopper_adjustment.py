"""`report --adjust-shoppers`: every scorecard block prints the index adjusted for shopper leniency beside the
unadjusted one, equal to an independent recomputation from the answers and the leniency table; the methods page
describes the adjustment; without the option the report is what it was."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pytest

from servicescore import formats
from servicescore.definitions.reports.brands import Brand
from servicescore.definitions.reports.loading import load_brand, load_report
from servicescore.reporting.context import build_context
from servicescore.reporting.data import ReportData
from servicescore.reporting.render import Renderer
from servicescore.reporting.request import ReportRequest
from servicescore.results.shoppers import Adjustment, adjusted_scores
from servicescore.scoring.leniency import LENIENCY_SCHEMA
from servicescore.settings import Settings
from tests.support.report_files import TODAY, page_images, pdf_text

OFFSETS = {"lenient": 0.9, "harsh": -0.6}  # "plain" has no estimate: its ratings stay as given
INSIGHT = ("daily_life", "residents_relationships", "house_and_place")  # the section's ratings, weight 1 each


def adjustment(data: ReportData, instrument: str) -> Adjustment:
    """Every visit of `instrument` made by lenient, harsh or plain in turn (by response id)."""
    visits = data.answers(instrument).select("response_id").unique().sort("response_id")
    names = [("lenient", "harsh", "plain")[i % 3] for i in range(visits.height)]
    offsets = pl.DataFrame(
        [{"shopper": s, "answers": 10, "targets": 2, "offset": o, "ci_low": o - 0.2, "ci_high": o + 0.2,
          "raw_offset": o, "flag": None, "shopper_sd": 0.5, "residual_sd": 0.4} for s, o in OFFSETS.items()],
        schema=LENIENCY_SCHEMA,
    )  # fmt: skip
    return Adjustment(visits.with_columns(shopper=pl.Series(names)), offsets, None)


@pytest.fixture(scope="module")
def adjusted_data(demo_data: ReportData) -> ReportData:
    adjustments = {i: adjustment(demo_data, i) for i in ("guided-tour", "mystery-call")}
    return dataclasses.replace(demo_data, adjustments=adjustments, frames={}, _cache={})


def render(
    data: ReportData, settings: Settings, renderer: Renderer, target: Path, organisation: str, *, adjust: bool
) -> tuple[dict[str, Any], str]:
    brand: Brand = load_brand(settings.reports_dir / "brands", data.organisations[organisation].brand)
    definition = load_report(settings.reports_dir, "client")
    request = ReportRequest(definition, (organisation,), "en", today=TODAY, adjust_shoppers=adjust)
    context = build_context(data, request, brand)
    renderer.pdf(context, brand, target)
    blocks = {b["title"]: b for b in context["blocks"]} | {"wave": context["wave"]}
    return blocks, " ".join(pdf_text(target).split())


def independent_insight_index(data: ReportData, adjustment: Adjustment, wave: str) -> float:
    """Zorngården's "insight" section index in `wave`, from the raw answers: each rating moved by minus its
    shopper's offset, clipped to 1–5, scored (v − 1)/4 × 100, averaged per visit, then over visits."""
    answers = data.answers("guided-tour").filter(
        (pl.col("organisation") == "zorngarden") & (pl.col("wave") == wave) & pl.col("item").is_in(INSIGHT)
        & ~pl.col("na") & pl.col("value").is_not_null()
    )  # fmt: skip
    shopper = dict(adjustment.shoppers.iter_rows())
    per_visit: dict[str, list[float]] = {}
    for response, value in answers.select("response_id", "value").iter_rows():
        moved = np.clip(value - OFFSETS.get(shopper[response], 0.0), 1, 5)
        per_visit.setdefault(response, []).append((moved - 1) / 4 * 100)
    return float(np.mean([np.mean(scores) for scores in per_visit.values()]))


def test_scorecard_blocks_print_the_adjusted_index_beside_the_unadjusted_one(  # noqa: PLR0917 - pytest passes fixtures by name
    adjusted_data: ReportData, settings: Settings, renderer: Renderer, tmp_path: Path, artefacts: Path, poppler: None
) -> None:
    blocks, text = render(adjusted_data, settings, renderer, tmp_path / "z.pdf", "zorngarden", adjust=True)
    page_images(tmp_path / "z.pdf", artefacts, "adjusted-zorngarden-en")
    tour = blocks["Guided tours – observation"]
    assert tour["adjusted"]
    wave = tour["rows"][0]["wave"]
    insight = next(r for r in tour["rows"] if r.get("section") == "insight")
    expected = independent_insight_index(adjusted_data, adjusted_data.adjustments["guided-tour"], wave)
    assert insight["index_adjusted"] == pytest.approx(expected, abs=1e-9)
    assert insight["index_adjusted"] < insight["index"] - 1  # the lenient shopper's 5s come down
    shown = f"{formats.number(insight['index'], 'en')} {formats.interval(insight['index_ci_low'], insight['index_ci_high'], 'en')} {formats.number(expected, 'en')}"  # noqa: E501 - one printed row
    assert shown in text
    assert "Adjusted for shopper leniency" in text
    # the visitor survey's blocks have no shoppers: no adjusted column there
    assert not blocks["Scores by section"]["adjusted"]
    assert "Guided tour – observation: 2 shoppers with an estimate." in text
    assert "clipped to the scale" in text
    assert "Shares, NPS and intervals are not adjusted." in text


def test_the_mystery_call_block_prints_the_calls_adjusted_index(  # noqa: PLR0917 - pytest passes fixtures by name
    adjusted_data: ReportData, settings: Settings, renderer: Renderer, tmp_path: Path, artefacts: Path, poppler: None
) -> None:
    blocks, text = render(adjusted_data, settings, renderer, tmp_path / "k.pdf", "kronbanken", adjust=True)
    page_images(tmp_path / "k.pdf", artefacts, "adjusted-kronbanken-en")
    calls = next(b for b in blocks.values() if b["type"] == "mystery_call")
    index = calls["rows"][0]
    table = adjusted_scores(
        adjusted_data.answers("mystery-call").lazy(), adjusted_data.catalogue(),
        adjusted_data.adjustments["mystery-call"], by=["organisation"], level="overall", min_n=5,
    ).filter((pl.col("organisation") == "kronbanken") & (pl.col("wave") == blocks["wave"]))  # fmt: skip
    assert index["label"] == "Index, all sections"
    assert (index["own"], index["own_adjusted"]) == (table.item(0, "index"), table.item(0, "index_adjusted"))
    assert index["own_adjusted"] != index["own"]
    shown = f"{formats.number(index['own'], 'en')} {formats.number(index['own_adjusted'], 'en')}"
    assert shown in text
    assert all(r["own_adjusted"] is None for r in calls["rows"][1:])  # times, counts and shares: not adjusted


def test_without_the_option_nothing_changes_and_without_a_model_the_methods_page_says_why(  # noqa: PLR0917 - pytest passes fixtures by name
    demo_data: ReportData, adjusted_data: ReportData, settings: Settings, renderer: Renderer, tmp_path: Path,
    poppler: None,
) -> None:  # fmt: skip
    blocks, plain = render(demo_data, settings, renderer, tmp_path / "plain.pdf", "zorngarden", adjust=False)
    _, given = render(adjusted_data, settings, renderer, tmp_path / "given.pdf", "zorngarden", adjust=False)
    assert given == plain  # offsets at hand change nothing until the option asks for them
    assert "leniency" not in plain
    assert blocks["Method and definitions"]["adjustment"] is None
    reason = "fewer than 3 shoppers scored a rating item another shopper scored too: no model"
    shoppers = adjusted_data.adjustments["guided-tour"].shoppers
    no_model = Adjustment(shoppers, pl.DataFrame(schema=LENIENCY_SCHEMA), reason)
    data = dataclasses.replace(demo_data, adjustments={"guided-tour": no_model}, frames={}, _cache={})
    blocks, text = render(data, settings, renderer, tmp_path / "none.pdf", "zorngarden", adjust=True)
    assert not blocks["Guided tours – observation"]["adjusted"]
    assert "Guided tour – observation: no adjusted index (fewer than 3 shoppers scored" in text
    assert text.count("Adjusted for shopper leniency") == 1  # the methods page's heading only
