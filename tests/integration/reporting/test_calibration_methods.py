"""The methods page of a scorecard report prints the wave's agreement between shoppers (Krippendorff's α per
section, from the calibration exercises), how many shoppers and exercises it rests on, and marks α under 0.667."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import polars as pl
import pytest

from servicescore.definitions.reports.loading import load_brand, load_report
from servicescore.demo.calibration import CALL_REFERENCE, PANEL, panel_answers
from servicescore.reporting.context import build_context
from servicescore.reporting.data import ReportData
from servicescore.reporting.render import Renderer
from servicescore.reporting.request import ReportRequest
from servicescore.scoring.agreement import CALIBRATION_ANSWER_SCHEMA, agreement
from servicescore.settings import Settings
from tests.support.report_files import TODAY, pdf_text

WAVE = "2026-Q3"


def calibrated(demo_data: ReportData) -> ReportData:
    """The demo data with the demo panel's answers to the recorded call as a calibration exercise of WAVE."""
    call = demo_data.instruments["mystery-call"]
    rows = [
        {"instrument": "mystery-call", "wave": WAVE, "exercise": "1", "shopper": shopper.username, "item": a.item,
         "value": a.value, "na": a.na, "text": a.text}
        for shopper in PANEL
        for a in panel_answers(call, CALL_REFERENCE, shopper)
    ]  # fmt: skip
    return dataclasses.replace(demo_data, calibration=pl.DataFrame(rows, schema=CALIBRATION_ANSWER_SCHEMA))


def test_the_methods_page_prints_alpha_per_section(
    settings: Settings, demo_data: ReportData, renderer: Renderer, tmp_path: Path, poppler: None
) -> None:
    data = calibrated(demo_data)
    brand = load_brand(settings.reports_dir / "brands", None)
    request = ReportRequest(load_report(settings.reports_dir, "client"), ("kronbanken",), "en", today=TODAY)
    context = build_context(data, request, brand)
    block = next(b for b in context["blocks"] if b["type"] == "methodology")
    calibration = block["calibration"]
    assert (calibration["shoppers"], calibration["exercises"]) == (6, 1)
    roster = data.calibration.select("instrument", "wave", "exercise", "shopper").unique()
    expected = agreement(data.calibration, roster, data.catalogue(), resamples=1).table
    sections = expected.filter(pl.col("scope") == "section")
    assert [r["alpha"] for r in calibration["rows"]] == sections.get_column("alpha").to_list()
    assert [r["low"] for r in calibration["rows"]] == [
        a is not None and a < 0.667 for a in sections.get_column("alpha").to_list()
    ]
    greeting = next(r for r in calibration["rows"] if r["measurement"] == "ordinal" and r["alpha"] is not None)
    target = tmp_path / "client.pdf"
    renderer.pdf(context, brand, target)
    text = " ".join(pdf_text(target).split())
    assert "Agreement between observers" in text
    assert "6 observers, 1 exercise." in text
    assert "LEVEL α" in text  # the column heading is not uppercased to a capital alpha like the others
    assert f"{greeting['alpha']:.2f}" in text.replace("−", "-")


@pytest.mark.parametrize("organisation", ["kronbanken"])
def test_a_wave_without_calibration_says_so(settings: Settings, demo_data: ReportData, organisation: str) -> None:
    request = ReportRequest(load_report(settings.reports_dir, "client"), (organisation,), "sv", today=TODAY)
    context = build_context(demo_data, request, load_brand(settings.reports_dir / "brands", None))
    block = next(b for b in context["blocks"] if b["type"] == "methodology")
    assert block["calibration"] == {"rows": [], "shoppers": 0, "exercises": 0}
