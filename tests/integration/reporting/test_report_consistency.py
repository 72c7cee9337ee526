"""Reports say what the numbers say: one rule for strengths and areas to improve, NPS items shown as NPS, peers
anonymous where the method note says so, no table printed twice, small groups marked uncertain (issue 17)."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from servicescore import formats
from servicescore.definitions.reports.loading import load_brand, load_report
from servicescore.definitions.reports.report import Block
from servicescore.reporting.context import build_context
from servicescore.reporting.data import ReportData
from servicescore.reporting.printing import print_job
from servicescore.reporting.render import Renderer
from servicescore.reporting.request import ReportRequest, report_brand
from servicescore.settings import Settings
from tests.support.report_files import TODAY, pdf_text

# One worker runs the module, so its module-wide PDFs are rendered once, not once per worker.
pytestmark = pytest.mark.xdist_group("report-consistency")

Printed = tuple[str, dict[str, Any]]


def _print(  # noqa: PLR0917 - a test helper read at its call sites
    settings: Settings, data: ReportData, renderer: Renderer, request: ReportRequest, out: Path, name: str
) -> Printed:
    brand = load_brand(settings.reports_dir / "brands", report_brand(data, request.definition, request.organisations))
    context = build_context(data, request, brand)
    target = out / f"{name}.pdf"
    print_job(renderer.job(context, brand), target)
    return _flat(pdf_text(target)), context


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("consistency")


@pytest.fixture(scope="module", params=["sv", "en"])
def client(  # noqa: PLR0917 - pytest passes fixtures by name
    request: pytest.FixtureRequest, settings: Settings, demo_data: ReportData, renderer: Renderer, out: Path,
    poppler: None,
) -> Printed:  # fmt: skip
    definition = load_report(settings.reports_dir, "client")
    asked = ReportRequest(definition, ("zorngarden",), request.param, today=TODAY)
    return _print(settings, demo_data, renderer, asked, out, f"client-{request.param}")


def _flat(text: str) -> str:
    return " ".join(text.split())


def _block(context: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(b for b in context["blocks"] if b["type"] == kind)


def _index_of(sentence: str) -> float:
    found = re.search(r"(?:får index|scores) (\d+[,.]\d)", sentence)
    assert found, sentence
    return float(found.group(1).replace(",", "."))


def _no_contradiction(text: str, context: dict[str, Any]) -> None:
    """No strength is an area to improve or "fix first"; every area to improve scores under every strength."""
    summary, drivers = _block(context, "executive_summary"), _block(context, "quadrant")
    fix = "Åtgärda först" if context["lang"] == "sv" else "Fix first"
    for sentence in summary["strengths"] + summary["weaknesses"]:
        assert " ".join(sentence.split()) in text
    for row in drivers["rows"]:
        assert f"{row['label']} " in text
        if row["priority"] == fix:
            assert not [s for s in summary["strengths"] if row["label"] in s], row["label"]
            assert [s for s in summary["weaknesses"] if row["label"] in s], row["label"]
    assert not set(summary["strengths"]) & set(summary["weaknesses"])
    if summary["strengths"] and summary["weaknesses"]:
        assert max(map(_index_of, summary["weaknesses"])) < min(map(_index_of, summary["strengths"]))


def test_the_client_reports_strengths_areas_to_improve_and_fix_first_never_contradict(client: Printed) -> None:
    """The demo printed the guide question as the top strength (p3) and "fix first" (p9), and areas to improve
    (87.8, 90.1, 90.7) above its strengths (88.5, 88.3, 88.4), all six items +21 to +23 above the peers."""
    text, context = client
    _no_contradiction(text, context)
    summary = _block(context, "executive_summary")
    # The six items lie within two points of each other, every interval across the own level (89.0): in line.
    assert summary["strengths"] == summary["weaknesses"] == []
    none = "Ingen fråga uppfyller regeln nedan." if context["lang"] == "sv" else "No question meets the rule below."
    assert text.count(none) == 2
    assert (
        "den egna nivån (frågornas medelindex, 89,0)" if context["lang"] == "sv" else "(its mean item index, 89.0)"
    ) in text
    levels = {r["priority"] for r in _block(context, "quadrant")["rows"]}
    assert levels == {"I nivå" if context["lang"] == "sv" else "In line"}


def test_a_tour_below_its_peers_names_its_areas_to_improve_by_the_same_rule(
    settings: Settings, demo_data: ReportData, renderer: Renderer, out: Path, poppler: None
) -> None:
    """Carl Larssons gård's guided tour (the "weak three"): the two items far under its own level and the peers are
    its areas to improve; nothing is a strength."""
    definition = load_report(settings.reports_dir, "client").model_copy(update={"blocks": [
        Block(type="executive_summary", instrument="guided-tour"), Block(type="quadrant")]})  # fmt: skip
    asked = ReportRequest(definition, ("carl-larssons-gard",), "sv", today=TODAY)
    text, context = _print(settings, demo_data, renderer, asked, out, "tour")
    summary = _block(context, "executive_summary")
    assert summary["strengths"] == []
    tour = demo_data.instruments["guided-tour"]
    named = [s.split("”")[1] for s in summary["weaknesses"]]
    assert {tour.item("everyone_could_hear").text.sv, tour.item("started_on_time").text.sv} <= set(named)
    assert [_index_of(s) for s in summary["weaknesses"]] == sorted(_index_of(s) for s in summary["weaknesses"])
    assert f"• {summary['weaknesses'][0]}" in text
    _no_contradiction(text, context)


def test_the_recommendation_item_shows_nps_never_a_top_2_box(client: Printed, demo_data: ReportData) -> None:
    """The 0–10 recommendation item printed 70 % under "Andel 4–5 / Top-2-box"; it prints its NPS."""
    text, context = client
    lang = context["lang"]
    row = next(r for s in _block(context, "items")["sections"] for r in s["rows"] if r["type"] == "nps")
    label = " ".join(demo_data.instruments["visitor-survey"].item(row["item"]).text.pick(lang).split())
    shown = f"{label} {row['n']} {formats.number(row['index'], lang)} NPS {formats.number(row['nps'], lang, 0)}"
    assert shown in text
    assert (
        _flat(f"{label} {row['n']} {formats.number(row['index'], lang)} {formats.percent(row['top2_pct'], lang)}")
        not in text
    )
    promoters = "Rekommendatörer" if lang == "sv" else "Promoters"
    assert _flat(f"{promoters} {formats.percent(row['promoters_pct'], lang)}") in text


def test_small_groups_are_marked_uncertain_and_the_mark_is_explained(client: Printed) -> None:
    """The guided tour (n = 13) was printed like n = 196 although the methods page says under 30 is uncertain."""
    text, context = client
    tour = next(b for b in context["blocks"] if b["type"] == "section_scores" and b["rows"][0]["n"] < 30)
    overall = "Totalt" if context["lang"] == "sv" else "All sections"
    assert f"{overall} {tour['rows'][0]['n']} * {formats.number(tour['rows'][0]['index'], context['lang'])}" in text
    note = "* Osäkert: färre än 30 svar" if context["lang"] == "sv" else "* Uncertain: fewer than 30 responses"
    assert note in text
    assert ("markeras med * i tabellerna" if context["lang"] == "sv" else "marked * in the tables") in text
    big = next(b for b in context["blocks"] if b["type"] == "section_scores" and b["rows"][0]["n"] >= 30)
    assert f"{overall} {big['rows'][0]['n']} {formats.number(big['rows'][0]['index'], context['lang'])}" in text


@pytest.fixture(scope="module", params=["sv", "en"])
def comparison(  # noqa: PLR0917 - pytest passes fixtures by name
    request: pytest.FixtureRequest, settings: Settings, demo_data: ReportData, renderer: Renderer, out: Path,
    poppler: None,
) -> Printed:  # fmt: skip
    definition = load_report(settings.reports_dir, "comparison")
    asked = ReportRequest(definition, ("zorngarden", "carl-larssons-gard"), request.param, today=TODAY)
    return _print(settings, demo_data, renderer, asked, out, f"comparison-{request.param}")


def test_the_comparison_names_only_the_two_and_wears_no_ones_brand(comparison: Printed, demo_data: ReportData) -> None:
    """p6 named every peer while p7 said peers are anonymous; the cover and author were Zorngården's."""
    text, context = comparison
    others = [o.name for k, o in demo_data.organisations.items() if k not in ("zorngarden", "carl-larssons-gard")]
    assert [name for name in others if name in text] == []
    league = _block(context, "league_table")
    word = "Jämförelse" if context["lang"] == "sv" else "Peer"
    letters = {f"{word} {c}" for c in "ABCDE"}
    assert {r["name"] for r in league["rows"]} == {"Zorngården", "Carl Larssons gård"} | letters
    assert ("och då anonymt: bara de organisationer rapporten jämför namnges" if context["lang"] == "sv"
            else "and then anonymised: only the organisations compared are named") in text  # fmt: skip
    cover = _block(context, "cover")
    assert cover["brand"] == "ServiceScore"
    assert "Framtagen av ServiceScore Datum" in text or "Prepared by ServiceScore Date" in text
    assert cover["logo"].endswith("servicescore/logo.svg")


def test_each_side_by_side_is_headed_by_the_instrument_it_shows(comparison: Printed, demo_data: ReportData) -> None:
    """p4 showed the guided tours under the visitor survey's title."""
    text, context = comparison
    lang = context["lang"]
    blocks = [b for b in context["blocks"] if b["type"] == "comparison"]
    titles = [demo_data.instruments[i].title.pick(lang) for i in ("visitor-survey", "guided-tour")]
    assert [b["instrument_title"] for b in blocks] == titles
    interval = "95 % intervall" if lang == "sv" else "95% interval"
    for title in titles:
        assert f"{title} · 2026-Q3 · Index ({interval})" in text
    assert "?." not in text  # "How was your visit?." no more


@pytest.mark.parametrize("organisation", ["zorngarden", "kronbanken"])
def test_the_industry_report_prints_each_table_once(  # noqa: PLR0917 - pytest passes fixtures by name
    organisation: str, settings: Settings, demo_data: ReportData, renderer: Renderer, out: Path, poppler: None
) -> None:
    """For the customer-service group the generic league table and "Ranking – mystery calls" were the same table
    of mystery calls on pages 2 and 3."""
    definition = load_report(settings.reports_dir, "industry")
    asked = ReportRequest(definition, (organisation,), "sv", today=TODAY)
    text, context = _print(settings, demo_data, renderer, asked, out, f"industry-{organisation}")
    tables = [b for b in context["blocks"] if b["type"] == "league_table"]
    shown = [b["instrument_title"] for b in tables]
    assert len(shown) == len(set(shown))
    for block in tables:
        first = block["rows"][0]
        row = f"1 {first['name']} {first['n']}"
        assert text.count(row) == 1, row
    if organisation == "kronbanken":
        assert [b["title"] for b in tables] == ["Ranking – testsamtal"]
        assert all(r["uncertain"] for r in tables[0]["rows"])  # n = 12–20: every row marked
        for r in tables[0]["rows"]:
            assert f"{r['name']} {r['n']} * " in text, r["name"]


# Issue 19's loose ends in the PDFs -------------------------------------------------------------------------------


def test_the_cover_says_who_prepared_it_in_the_reports_language(client: Printed) -> None:
    """The English report said "Prepared by ServiceScore för Zorngården"."""
    text, context = client
    prepared = "Framtagen för Zorngården Framtagen av ServiceScore Datum"
    assert (prepared if context["lang"] == "sv" else "Prepared for Zorngården Prepared by ServiceScore Date") in text
    assert "ServiceScore för" not in text


def test_no_table_labels_two_rows_alike(client: Printed, comparison: Printed) -> None:
    """ "Overall" twice on p4 of the English report: the all-sections row and the section named Overall."""
    for _, context in (client, comparison):
        for block in context["blocks"]:
            if block["type"] in ("section_scores", "comparison"):
                labels = [r["label"] for r in block["rows"]]
                assert len(labels) == len(set(labels)), labels
    text, context = client
    assert ("Totalt 196" if context["lang"] == "sv" else "All sections 196") in text


def test_no_double_punctuation_and_one_way_of_writing_percent(client: Printed, comparison: Printed) -> None:
    """ "Hur var ditt besök?." and, in one English report, both "95 %" and "95%"."""
    for text, context in (client, comparison):
        assert "?." not in text
        assert "?," not in text
        if context["lang"] == "en":
            assert "95 %" not in text
            assert "95%" in text


def test_comments_are_said_to_be_quoted_in_their_original_language(client: Printed) -> None:
    text, context = client
    note = (
        "på sitt originalspråk."
        if context["lang"] == "sv"
        else "Comments are quoted as written, in their original language."
    )
    assert note in text


def test_the_quadrant_chart_has_axis_values(client: Printed) -> None:
    """The chart had no values on its axes: the performance axis runs 80–100 here (whole numbers in the report's
    language, "80", never "80,0"), the own level and the mean importance are values with their decimal."""
    text, context = client
    block = _block(context, "quadrant")
    lang = context["lang"]
    written = re.findall(r">([^<]+)</text>", block["chart"])
    assert {"80", "100", "5", "35"} <= set(written)
    assert not {formats.number(v, lang) for v in (5, 35, 80, 100)} & set(written)
    own = f"{'Egen nivå' if lang == 'sv' else 'Own level'} {formats.number(block['own_mean'], lang)}"
    assert own in written
    assert own in text


def test_the_mirror_charts_axes_carry_whole_values_in_the_reports_language(client: Printed) -> None:
    """The axis ends of the Satisfaction Mirror are whole tens ("40" … "100"), as the quadrant's; they were "40.0"."""
    _, context = client
    block = _block(context, "mirror")
    points = {str(row["number"]) for row in block["rows"]}  # the own units' numbers on their points
    written = re.findall(r">([^<]+)</text>", block["chart"])
    ticks = [w for w in written if re.fullmatch(r"[\d.,\u00a0−]+", w) and w not in points]
    assert ticks == ["40", "100", "40", "100"]


def _lines_of(pdf: Path, name: str) -> int:
    """On how many lines the words of ``name`` stand in the PDF (pdftotext -bbox), the first time it is printed."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    words = [(html.unescape(w), y) for y, w in re.findall(r'yMax="([\d.]+)">([^<]*)</word>', out)]
    wanted = name.split()
    for at in range(len(words)):
        if [w for w, _ in words[at : at + len(wanted)]] == wanted:
            return len({y for _, y in words[at : at + len(wanted)]})
    raise AssertionError(f"{name} not printed")


def test_names_in_the_league_table_do_not_wrap_to_three_lines(
    settings: Settings, demo_data: ReportData, renderer: Renderer, out: Path, poppler: None
) -> None:
    definition = load_report(settings.reports_dir, "industry")
    asked = ReportRequest(definition, ("zorngarden",), "en", today=TODAY)
    _print(settings, demo_data, renderer, asked, out, "industry-names")
    for name in ("Tallmora bruksmuseum (fiktivt)", "Ekbyhults konsthall (fiktiv)", "Carl Larssons gård"):
        assert _lines_of(out / "industry-names.pdf", name) == 1, name
