"""Every shipped report's HTML is read by expat into the very tree WeasyPrint's HTML5 parser makes of it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import Element

import pytest
import tinyhtml5

from servicescore.reporting.context import build_context
from servicescore.reporting.data import ReportData
from servicescore.reporting.loading import load_brand, load_report
from servicescore.reporting.printing import _xml_tree
from servicescore.reporting.render import Renderer
from servicescore.reporting.request import ReportRequest
from servicescore.settings import Settings

REPORTS = {
    "client": ("carl-larssons-gard",),
    "comparison": ("zorngarden", "carl-larssons-gard"),
    "industry": ("zorngarden",),
}


def _nodes(element: Element) -> Iterator[tuple[Any, ...]]:
    """Each element in document order with what styling and text depend on."""
    for node in element.iter():
        yield node.tag, dict(node.attrib), node.text, node.tail, len(node)


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("report", sorted(REPORTS))
def test_expat_reads_the_tree_html5_reads(
    report: str, lang: str, settings: Settings, demo_data: ReportData, renderer: Renderer
) -> None:
    organisations = REPORTS[report]
    brand = load_brand(settings.reports_dir / "brands", demo_data.organisations[organisations[0]].brand)
    request = ReportRequest(load_report(settings.reports_dir, report), organisations, lang)  # type: ignore[arg-type]
    markup = renderer.html(build_context(demo_data, request, brand), brand)
    fast = _xml_tree(markup)
    assert fast is not None, "the report's HTML is no longer well-formed XML: every print takes the slow parser"
    html5 = tinyhtml5.parse(markup, namespace_html_elements=False)
    expected, got = list(_nodes(html5)), list(_nodes(fast))
    assert len(got) == len(expected) > 100
    for want, have in zip(expected, got, strict=True):
        assert have == want
