"""User text is text: a hostile comment renders escaped and fetches nothing; small groups show nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import polars as pl
from weasyprint import HTML

from servicescore.definitions.reports.loading import load_brand, load_report
from servicescore.reporting.context import build_context
from servicescore.reporting.data import Organisation, ReportData
from servicescore.reporting.render import Renderer
from servicescore.reporting.request import ReportRequest
from servicescore.scoring.schema import ANSWER_SCHEMA
from servicescore.settings import Settings
from tests.support.report_files import TODAY, pdf_text

HOSTILE = '<img src="http://127.0.0.1:9/track.png"><link rel="stylesheet" href="https://example.invalid/x.css">'
SECRET = "Hemlig kommentar från en liten grupp"


def _small_world(settings: Settings, demo: ReportData) -> ReportData:
    rows: list[dict[str, Any]] = []
    at = datetime(2026, 8, 1, 12, tzinfo=UTC)
    respondents = [("stora", v) for v in (5, 4, 4, 3, 5, 2, 4, 5, 4, 4)] + [("lilla", 1.0)] * 3
    for number, (unit, value) in enumerate(respondents):
        common = {"response_id": f"r{number}", "instrument": "visitor-survey", "wave": "2026-Q3",
                  "organisation": "zorngarden", "unit": unit, "segment": None, "na": False, "submitted_at": at,
                  "weight": 1.0}  # fmt: skip
        for item in ("staff_welcome", "guide_rating", "overall_satisfaction"):
            section = "overall" if item == "overall_satisfaction" else "experience"
            rows.append({**common, "section": section, "item": item, "value": float(value), "text": None})
        text = HOSTILE if number == 0 else (SECRET if unit == "lilla" else None)
        if text:
            rows.append({**common, "section": "overall", "item": "comment", "value": None, "text": text})
    frame = pl.DataFrame(rows, schema=ANSWER_SCHEMA)
    return ReportData(
        source=lambda instrument: frame.filter(pl.col("instrument") == instrument).lazy(),
        instruments=demo.instruments,
        organisations={"zorngarden": Organisation("zorngarden", "Zorngården", None, "zorngarden")},
        units={("zorngarden", "stora"): "Stora huset", ("zorngarden", "lilla"): "Lilla stugan"},
        waves={"2026-Q3": (date(2026, 7, 1), date(2026, 9, 30))},
    )


def test_hostile_comment_is_text_and_small_group_is_silent(
    settings: Settings, demo_data: ReportData, tmp_path: Path, poppler: None
) -> None:
    data = _small_world(settings, demo_data)
    brand = load_brand(settings.reports_dir / "brands", "zorngarden")
    request = ReportRequest(load_report(settings.reports_dir, "client"), ("zorngarden",), "sv", today=TODAY)
    context = build_context(data, request, brand)
    renderer = Renderer(settings.templates_dir, settings.reports_dir / "brands")
    html = renderer.html(context, brand)
    assert "&lt;img src=&#34;http://127.0.0.1:9/track.png&#34;&gt;" in html
    assert '<img src="http' not in html
    assert "<link" not in html
    renderer.pdf(context, brand, tmp_path / "r.pdf")
    assert renderer.fetcher.refused == []  # nothing was even attempted
    text = pdf_text(tmp_path / "r.pdf")
    assert '<img src="http://127.0.0.1:9/track.png">' in text.replace("\n", "")
    assert SECRET not in text
    assert "Lilla stugan 3 – för få svar" in " ".join(text.split())
    summary = next(b for b in context["blocks"] if b["type"] == "executive_summary")
    small = next(u for u in summary["units"] if u["unit"] == "lilla")
    assert small["suppressed"]
    assert small["index"] is None
    assert small["mean"] is None
    assert '<rect x="0" y="4" width' not in small["bar"]  # the track only: no bar for a suppressed group
    comments = next(b for b in context["blocks"] if b["type"] == "comments")
    assert comments["suppressed_units"] == ["Lilla stugan"]
    # No peer group: no league table, no peer mean, no trend with one wave.
    assert {b["type"] for b in context["blocks"]}.isdisjoint({"league_table", "trend", "mirror"})


def test_a_brand_or_template_cannot_reach_outside(settings: Settings, tmp_path: Path) -> None:
    renderer = Renderer(settings.templates_dir, settings.reports_dir / "brands")
    html = (
        '<html><body><img src="file:///etc/hostname"><img src="https://example.invalid/a.png">'
        f'<img src="{(settings.reports_dir / "brands" / "servicescore" / "logo.svg").as_uri()}"></body></html>'
    )
    HTML(string=html, url_fetcher=renderer.fetcher, base_url=settings.templates_dir.as_uri()).write_pdf(
        tmp_path / "x.pdf"
    )
    assert renderer.fetcher.refused == ["file:///etc/hostname", "https://example.invalid/a.png"]


def test_a_comment_said_in_several_units_is_quoted_from_where_it_was_said_first(
    settings: Settings, demo_data: ReportData
) -> None:
    """All eight quotes of the demo's Zorngården came from Zorns gammelgård, the first of its units: a text said in
    several units kept the unit of the answers' stored order (by unit), not of the first time it was said."""
    rows: list[dict[str, Any]] = []
    said = {("norra", 6): "Bra guide.", ("norra", 2): "Lång kö i entrén.", ("sodra", 1): "Bra guide."}
    for unit in ("norra", "sodra"):  # stored unit by unit, as the snapshot keeps them
        for number in range(6):
            at = datetime(2026, 8, 1 + number * 2 + (unit == "sodra"), 12, tzinfo=UTC)
            common = {"response_id": f"{unit}{number}", "instrument": "visitor-survey", "wave": "2026-Q3",
                      "organisation": "zorngarden", "unit": unit, "segment": None, "na": False, "weight": 1.0,
                      "submitted_at": at}  # fmt: skip
            rows.append({**common, "section": "overall", "item": "overall_satisfaction", "value": 4.0, "text": None})
            if text := said.get((unit, number + 1)):
                rows.append({**common, "section": "overall", "item": "comment", "value": None, "text": text})
    frame = pl.DataFrame(rows, schema=ANSWER_SCHEMA)
    data = ReportData(
        source=lambda instrument: frame.filter(pl.col("instrument") == instrument).lazy(),
        instruments=demo_data.instruments,
        organisations={"zorngarden": Organisation("zorngarden", "Zorngården", None, "zorngarden")},
        units={("zorngarden", "norra"): "Norra huset", ("zorngarden", "sodra"): "Södra huset"},
        waves={"2026-Q3": (date(2026, 7, 1), date(2026, 9, 30))},
    )
    brand = load_brand(settings.reports_dir / "brands", "zorngarden")
    request = ReportRequest(load_report(settings.reports_dir, "client"), ("zorngarden",), "sv", today=TODAY)
    comments = next(b for b in build_context(data, request, brand)["blocks"] if b["type"] == "comments")
    # Södra huset said "Bra guide." on 2 August, Norra huset on 11 August; "Lång kö i entrén." on 3 August.
    assert comments["quotes"] == [
        {"text": "Bra guide.", "unit": "Södra huset"},
        {"text": "Lång kö i entrén.", "unit": "Norra huset"},
    ]
