"""The importance–performance and Satisfaction Mirror blocks print the scoring core's `drivers` and `linkage`."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
import pytest

from servicescore import formats
from servicescore.definitions.reports.loading import load_brand, load_report
from servicescore.reporting.context import build_context
from servicescore.reporting.data import ReportData
from servicescore.reporting.render import Renderer
from servicescore.reporting.request import ReportRequest
from servicescore.scoring import drivers, linkage, scores
from servicescore.settings import Settings
from tests.support.report_files import TODAY, pdf_text

# One worker runs the module, so its module-wide PDFs are rendered once, not once per worker.
pytestmark = pytest.mark.xdist_group("drivers-and-mirror")

WAVE = "2026-Q3"
PREDICTORS = ["staff_welcome", "guide_rating", "information_before", "waiting_time", "value_for_money", "cafe_and_shop"]


@pytest.fixture(scope="module")
def client_report(
    settings: Settings, demo_data: ReportData, renderer: Renderer, tmp_path_factory: pytest.TempPathFactory,
    poppler: None,
) -> tuple[str, dict[str, object]]:  # fmt: skip
    brand = load_brand(settings.reports_dir / "brands", "zorngarden")
    request = ReportRequest(load_report(settings.reports_dir, "client"), ("zorngarden",), "sv", today=TODAY)
    context = build_context(demo_data, request, brand)
    target = tmp_path_factory.mktemp("drivers") / "client.pdf"
    renderer.pdf(context, brand, target)
    return " ".join(pdf_text(target).split()), context


def _block(context: dict[str, object], kind: str) -> dict[str, object]:
    return next(b for b in context["blocks"] if b["type"] == kind)  # type: ignore[attr-defined,index]


def test_quadrant_prints_the_scoring_cores_key_drivers(
    client_report: tuple[str, dict[str, object]], demo_data: ReportData
) -> None:
    text, context = client_report
    answers = demo_data.answers("visitor-survey").filter(
        (pl.col("organisation") == "zorngarden") & (pl.col("wave") == WAVE)
    )
    rated = [i for i in PREDICTORS if i in answers.get_column("item").unique().to_list()]
    expected = (
        drivers(
            answers.filter(pl.col("item").is_in(["overall_satisfaction", *rated])).lazy(),
            demo_data.catalogue(),
            "overall_satisfaction",
            by=("organisation",),
        )
        .collect()
        .sort("importance", descending=True)
    )
    block = _block(context, "quadrant")
    rows = block["rows"]  # type: ignore[index]
    assert [r["item"] for r in rows] == expected.get_column("item").to_list()
    assert sum(r["importance"] for r in rows) == pytest.approx(100.0)
    for number, row in enumerate(expected.iter_rows(named=True), start=1):
        label = demo_data.instruments["visitor-survey"].item(row["item"]).text.sv
        printed = (
            f"{number} {label} {formats.number(row['importance'], 'sv')} {formats.number(row['r'], 'sv', 2)} "
            f"{formats.number(row['performance'], 'sv')}"
        )
        assert printed in text, printed
    assert f"R² = {formats.number(expected.item(0, 'r_squared'), 'sv', 2)}" in text


def test_mirror_prints_the_scoring_cores_linkage(
    client_report: tuple[str, dict[str, object]], demo_data: ReportData
) -> None:
    text, context = client_report
    heritage = [k for k, o in demo_data.organisations.items() if o.peer_group == "kulturarv"]
    by = ("organisation", "unit")

    def unit_scores(instrument: str) -> pl.DataFrame:
        table = scores(demo_data.answers(instrument).lazy(), demo_data.catalogue(), by=by, level="overall")
        return table.filter((pl.col("wave") == WAVE) & pl.col("organisation").is_in(heritage)).collect()

    linked = linkage(unit_scores("employee-pulse"), unit_scores("visitor-survey")).collect().row(0, named=True)
    block = _block(context, "mirror")
    # The same units in another row order: equal up to the last bit of a float sum.
    assert block["r"] == pytest.approx(linked["pearson_r"], rel=1e-12)
    assert block["rho"] == pytest.approx(linked["spearman_r"], rel=1e-12)
    assert block["units"] == linked["n_units"]
    f = lambda v: formats.number(v, "sv", 2)  # noqa: E731
    assert (
        f"{linked['n_units']} enheter; Pearson r = {f(linked['pearson_r'])} (95 %: "
        f"{formats.interval(linked['pearson_ci_low'], linked['pearson_ci_high'], 'sv', 2)}), "
        f"Spearman rho = {f(linked['spearman_r'])}"
    ) in text
    own = unit_scores("visitor-survey").filter(pl.col("organisation") == "zorngarden")
    for row in own.iter_rows(named=True):
        assert re.search(rf"{re.escape(demo_data.units[('zorngarden', row['unit'])])} \S+ "
                         rf"{re.escape(formats.number(row['index'], 'sv'))}", text), row["unit"]  # fmt: skip


def test_no_correlation_code_of_its_own() -> None:
    source = (Path(__file__).parents[3] / "servicescore" / "reporting").glob("*.py")
    assert not [p.name for p in source if "pl.corr(" in p.read_text(encoding="utf-8")]
