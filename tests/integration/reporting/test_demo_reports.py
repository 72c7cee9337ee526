"""The demo reports: every printed number is the scoring core's, pages are numbered, the PDF is tagged."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import polars as pl
import pytest

from servicescore import formats
from servicescore.definitions.reports.loading import load_brand, load_report
from servicescore.definitions.reports.report import Block
from servicescore.definitions.text import Text
from servicescore.reporting.context import build_context
from servicescore.reporting.data import ReportData
from servicescore.reporting.printing import print_job
from servicescore.reporting.render import Renderer
from servicescore.reporting.request import ReportRequest, report_brand
from servicescore.scoring import scores
from servicescore.settings import Settings
from servicescore.texts import translate
from tests.support.report_files import TODAY, inflated, page_images, pdf_fonts, pdf_info, pdf_text

# One worker runs the module, so its module-wide PDFs are rendered once, not once per worker.
pytestmark = pytest.mark.xdist_group("demo-reports")

WAVE = "2026-Q3"


def _render(  # noqa: PLR0917 - a test helper read at its call sites
    settings: Settings, data: ReportData, renderer: Renderer, report: str, orgs: tuple[str, ...], lang: str, out: Path
) -> tuple[Path, dict[str, object]]:
    definition = load_report(settings.reports_dir, report)
    brand = load_brand(settings.reports_dir / "brands", report_brand(data, definition, orgs))
    context = build_context(data, ReportRequest(definition, orgs, lang, today=TODAY), brand)  # type: ignore[arg-type]
    target = out / f"{report}-{'-'.join(orgs)}-{lang}.pdf"
    # Written atomically (as the web's worker writes): with xdist, two workers may print the same report into the
    # shared artefacts folder, and a reader must never open half a file (pdftotext once read one being rewritten).
    print_job(renderer.job(context, brand), target)
    return target, context


@pytest.fixture(scope="module")
def client_sv(
    settings: Settings, demo_data: ReportData, renderer: Renderer, artefacts: Path, poppler: None
) -> tuple[Path, dict[str, object]]:
    return _render(settings, demo_data, renderer, "client", ("zorngarden",), "sv", artefacts)


@pytest.fixture(scope="module")
def comparison_sv(
    settings: Settings, demo_data: ReportData, renderer: Renderer, artefacts: Path, poppler: None
) -> tuple[Path, dict[str, object]]:
    return _render(settings, demo_data, renderer, "comparison", ("zorngarden", "carl-larssons-gard"), "sv", artefacts)


def _scores(data: ReportData, instrument: str, level: str, by: tuple[str, ...] = ("organisation",)) -> pl.DataFrame:
    table = scores(data.answers(instrument).lazy(), data.catalogue(), by=by, level=level)  # type: ignore[arg-type]
    return table.filter(pl.col("wave") == WAVE).collect()


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_client_report_prints_the_scoring_cores_numbers(client_sv: tuple[Path, dict], demo_data: ReportData) -> None:
    pdf, _ = client_sv
    text = _flat(pdf_text(pdf))
    overall = (
        _scores(demo_data, "visitor-survey", "overall")
        .filter(pl.col("organisation") == "zorngarden")
        .row(0, named=True)
    )
    f = lambda v: formats.number(v, "sv")  # noqa: E731
    assert (
        f"Zorngården får index {f(overall['index'])} (95 % intervall "
        f"{formats.interval(overall['index_ci_low'], overall['index_ci_high'], 'sv')}) från {overall['n']} svar" in text
    )
    sections = _scores(demo_data, "visitor-survey", "section").filter(pl.col("organisation") == "zorngarden")
    instrument = demo_data.instruments["visitor-survey"]
    for row in sections.iter_rows(named=True):
        title = next(s.title.sv for s in instrument.sections if s.id == row["section"])
        interval = formats.interval(row["index_ci_low"], row["index_ci_high"], "sv")
        assert f"{title} {row['n']} {f(row['index'])} {interval}" in text, title
    items = _scores(demo_data, "visitor-survey", "item").filter(
        (pl.col("organisation") == "zorngarden")
        & pl.col("item").is_in(["staff_welcome", "guide_rating", "overall_satisfaction"])
    )
    for row in items.iter_rows(named=True):
        label = instrument.item(row["item"]).text.sv
        assert _flat(f"{label} {row['n']} {f(row['index'])} {formats.percent(row['top2_pct'], 'sv')}") in text, label
    units = _scores(demo_data, "visitor-survey", "overall", ("organisation", "unit")).filter(
        pl.col("organisation") == "zorngarden"
    )
    for row in units.iter_rows(named=True):
        name = demo_data.units[("zorngarden", row["unit"])]
        assert f"{name} {row['n']} {f(row['index'])}" in text, name


def test_guided_tour_units_under_the_minimum_print_no_figure(
    client_sv: tuple[Path, dict], demo_data: ReportData
) -> None:
    pdf, context = client_sv
    tour = _scores(demo_data, "guided-tour", "overall")
    zorn = tour.filter(pl.col("organisation") == "zorngarden").row(0, named=True)
    text = _flat(pdf_text(pdf))
    assert f"Totalt {zorn['n']} * {formats.number(zorn['index'], 'sv')}" in text  # * uncertain: fewer than 30
    # Peers under the minimum in the league table print a dash and "för få svar", never an index.
    suppressed = _scores(demo_data, "visitor-survey", "overall").filter(pl.col("suppressed"))
    assert suppressed.height == 0  # the demo's visitor survey has no small organisation
    league = next(b for b in context["blocks"] if b["type"] == "league_table")  # type: ignore[index]
    assert [r["position"] for r in league["rows"]] == list(range(1, 8))
    assert league["rows"][0]["name"] == "Zorngården"
    assert {r["name"] for r in league["rows"][1:]} == {f"Jämförelse {c}" for c in "ABCDEF"}
    assert "Carl Larssons gård" not in text  # a client report names no peer


def test_pages_are_numbered_and_the_contents_point_at_them(client_sv: tuple[Path, dict]) -> None:
    pdf, context = client_sv
    pages = int(pdf_info(pdf)["Pages"])
    assert 10 <= pages <= 20
    assert "Sida" not in pdf_text(pdf, 1)  # the cover is a named page without header or footer
    for page in range(2, pages + 1):
        assert f"Sida {page} av {pages}" in pdf_text(pdf, page)
    contents = pdf_text(pdf, 2)
    for entry in context["contents"]:  # type: ignore[attr-defined]
        match = re.search(re.escape(entry["title"]) + r"\s+(\d+)", contents)
        assert match, entry["title"]
        target = int(match.group(1))
        first_lines = pdf_text(pdf, target).splitlines()[:6]
        assert entry["title"] in first_lines, (entry["title"], target, first_lines)


def test_the_pdf_is_tagged_with_title_author_language_and_embedded_fonts(client_sv: tuple[Path, dict]) -> None:
    pdf, _ = client_sv
    info = pdf_info(pdf)
    assert info["Title"] == "Servicerapport – Zorngården – 2026-Q3"
    assert info["Author"] == "ServiceScore"  # prepared by the consultancy, for Zorngården (the cover says both)
    assert info["Tagged"] == "yes"
    raw = inflated(pdf)
    assert b"/StructTreeRoot" in raw
    assert b"/Lang (sv)" in raw
    assert b"pdfuaid:part" in raw
    fonts = pdf_fonts(pdf)
    assert fonts, "no fonts listed"
    assert all(row[0].split("+")[-1].startswith("Report-Sans") for row in fonts), fonts
    assert all(row[-5] == "yes" for row in fonts), fonts  # emb


def test_every_chart_is_drawn_not_replaced_by_its_alt_text(client_sv: tuple[Path, dict]) -> None:
    """WeasyPrint prints an image's alt text where it cannot load the image (WeasyPrint 68.0's fetcher refused every
    data: URL, so the charts were gone)."""
    pdf, _ = client_sv
    text = pdf_text(pdf)
    for chart in ("index_bar", "distribution", "trend", "quadrant", "mirror"):
        assert translate(f"chart.{chart}", "sv") not in text
    assert inflated(pdf).count(b"/Subtype /Form") >= 30  # the charts: one form each, drawn from their SVG


def test_every_page_becomes_an_image(
    client_sv: tuple[Path, dict], comparison_sv: tuple[Path, dict], artefacts: Path
) -> None:
    for pdf, _ in (client_sv, comparison_sv):
        images = page_images(pdf, artefacts, pdf.stem)
        assert len(images) == int(pdf_info(pdf)["Pages"])
        assert all(image.stat().st_size > 3_000 for image in images)


def test_comparison_names_both_with_their_indices(comparison_sv: tuple[Path, dict], demo_data: ReportData) -> None:
    pdf, context = comparison_sv
    text = _flat(pdf_text(pdf))
    overall = _scores(demo_data, "visitor-survey", "overall")
    zorn = overall.filter(pl.col("organisation") == "zorngarden").row(0, named=True)
    carl = overall.filter(pl.col("organisation") == "carl-larssons-gard").row(0, named=True)
    f = lambda v: formats.number(v, "sv")  # noqa: E731
    assert "Zorngården · Carl Larssons gård" in text
    assert f"Totalt {f(zorn['index'])}" in text
    assert f(carl["index"]) in text
    assert f"{formats.signed(zorn['index'] - carl['index'], 'sv')} säkerställd skillnad" in text
    tour = _scores(demo_data, "guided-tour", "overall")
    for key in ("zorngarden", "carl-larssons-gard"):
        assert f(tour.filter(pl.col("organisation") == key).item(0, "index")) in text
    assert context["organisations"] == [  # type: ignore[comparison-overlap]
        {"key": "zorngarden", "name": "Zorngården", "colour": "#0b4f6c"},  # the neutral brand: it covers two
        {"key": "carl-larssons-gard", "name": "Carl Larssons gård", "colour": "#d55e00"},
    ]


def test_english_report_formats_numbers_the_english_way(
    settings: Settings, demo_data: ReportData, renderer: Renderer, artefacts: Path, poppler: None
) -> None:
    pdf, _ = _render(settings, demo_data, renderer, "client", ("carl-larssons-gard",), "en", artefacts)
    text = _flat(pdf_text(pdf))
    overall = _scores(demo_data, "visitor-survey", "overall").filter(pl.col("organisation") == "carl-larssons-gard")
    row = overall.row(0, named=True)
    assert f"Carl Larssons gård scores an index of {formats.number(row['index'], 'en')} (95% interval" in text
    pages = int(pdf_info(pdf)["Pages"])
    assert f"Page 2 of {pages}" in pdf_text(pdf, 2)
    assert b"/Lang (en)" in inflated(pdf)


def _words(pdf: Path, page: int) -> list[tuple[str, float, float]]:
    """The page's words with their left edge and baseline-ish bottom (pdftotext -bbox), in reading order."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         check=True, capture_output=True, text=True).stdout  # fmt: skip
    pattern = r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>'
    return [(html.unescape(w), float(x), float(y)) for x, y, w in re.findall(pattern, out)]


LONG_TITLE = (
    "Resultat per område för de guidade visningarna under hösten jämfört med föregående år och med "
    "jämförelsegruppen och med de mål som styrelsen satte i våras för hela verksamheten på gården och för alla de "
    "enheter som ingår"
)


def test_a_wrapped_contents_title_has_its_page_number_on_its_last_line(
    settings: Settings, demo_data: ReportData, renderer: Renderer, tmp_path: Path, poppler: None
) -> None:
    """Titles of 26 to 36 words: two and three lines, one of them (33 words) filling its last line to the edge,
    where a number floated right fell below the title."""
    words = LONG_TITLE.split()
    titles = [" ".join(words[:n]) for n in range(26, 37)]
    blocks = [Block(type="section_scores", title=Text(sv=t, en=t)) for t in titles]
    definition = load_report(settings.reports_dir, "client").model_copy(
        update={"blocks": [Block(type="cover"), Block(type="contents"), *blocks]}
    )
    brand = load_brand(settings.reports_dir / "brands", "zorngarden")
    context = build_context(demo_data, ReportRequest(definition, ("zorngarden",), "sv", today=TODAY), brand)
    renderer.pdf(context, brand, tmp_path / "contents.pdf")
    found = _words(tmp_path / "contents.pdf", 2)
    at = next(i for i, w in enumerate(found) if w[0] == "Resultat")
    for page, title in enumerate(titles, start=3):
        entry = found[at : at + len(title.split())]
        assert [w for w, _, _ in entry] == title.split()
        number, x, y = found[at + len(entry)]
        assert number == str(page)
        assert len({round(bottom) for _, _, bottom in entry}) in {2, 3}
        assert abs(y - entry[-1][2]) < 1.0, (title, "the page number is not on the title's last line")
        assert x > max(left for _, left, _ in entry)
        at += len(entry) + 1
