"""A dashboard block and its PDF twin print the same figures: both partials are rendered from the same block of the
same dashboard context, the web one in the pages' Jinja environment and the report one in the renderer's, and both
go through the same filters (``template_filters``), so every figure of a row reads alike in sv and en."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from servicescore.app import template_environment
from servicescore.definitions.reports.loading import load_brand
from servicescore.formats import Lang
from servicescore.reporting.dashboard import DashboardRequest, Filters
from servicescore.reporting.live import dashboard
from servicescore.reporting.render import Renderer
from servicescore.texts import Words
from tests.support.dashboard_session import demo_settings

TWINS = ("executive_summary", "section_scores", "items", "league_table", "trend", "quadrant", "mirror", "mystery_call")


def _rows(html: str) -> dict[str, list[str]]:
    """Each table row's figures (its ``num`` cells that hold a digit), by the row's label; a row without ``num``
    cells (a section's heading inside the report's table) is no row of figures."""
    rows: dict[str, list[str]] = {}
    for row in BeautifulSoup(html, "html.parser").select("tbody tr"):
        label = next((cell for cell in row.find_all(["th", "td"]) if "num" not in (cell.get("class") or [])), None)
        cells = [cell.get_text(strip=True).rstrip("*\u2009") for cell in row.select("td.num")]
        if isinstance(label, Tag) and cells:
            rows[label.get_text(strip=True)] = [text for text in cells if any(ch.isdigit() for ch in text)]
    return rows


def _headline(html: str, selector: str) -> list[str]:
    """The summary's big figures but the rank (worded differently on screen: "1 av 5", in print "1/5")."""
    figures = [element.get_text(strip=True) for element in BeautifulSoup(html, "html.parser").select(selector)]
    assert len(figures) == 4
    return [figures[0], *figures[2:]]


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("organisation", ["zorngarden", "mobilia-telekom"])
def test_a_dashboard_block_and_its_pdf_twin_print_the_same_figures(
    demo_dir: Path, organisation: str, lang: Lang
) -> None:
    settings = demo_settings(demo_dir)
    context = dashboard(settings, DashboardRequest(organisation, Filters(), lang, False, settings.min_group_size))
    pages = template_environment(settings)
    brand = load_brand(settings.reports_dir / "brands", organisation)
    report = Renderer(settings.templates_dir, settings.reports_dir / "brands").environment(brand)
    compared = []
    for block in context["blocks"]:
        if block["type"] not in TWINS:
            continue
        web = pages.get_template(f"dashboard/_{block['type']}.html").render(
            d=context, block=block, t=Words(lang), lang=lang
        )
        pdf = report.get_template("_block.html").render(**context, block=block, brand=brand)
        on_screen, in_print = _rows(web), _rows(pdf)
        assert in_print, block["type"]
        assert on_screen.keys() == in_print.keys(), block["type"]
        for label, printed in in_print.items():
            # The screen may show a column more (the interval of an item): every printed figure is there, in order.
            shown = iter(on_screen[label])
            assert all(figure in shown for figure in printed), (block["type"], label, on_screen[label], printed)
        if block["type"] == "executive_summary":
            assert _headline(web, "dd.big") == _headline(pdf, ".figure .value")
        compared.append(block["type"])
    assert {"executive_summary", "items", "league_table"} <= set(compared)
    if organisation == "mobilia-telekom":
        assert "mystery_call" in compared
