"""Reports print with WeasyPrint's default stylesheet minus rules for what reports never have (footnotes, notes,
empty margin boxes, markers outside lists); lists keep their markers, and the margin boxes reports fill keep their
defaults."""

from __future__ import annotations

import re
from pathlib import Path

import weasyprint
from weasyprint import HTML

from servicescore.reporting import printing
from tests.unit.reporting.conftest import box_texts


def test_the_default_stylesheet_is_found_and_used_without_forms() -> None:
    lean = printing._report_ua_stylesheet()
    assert lean is not None  # WeasyPrint's html5_ua.css was found (an upgrade that moves it shows here)
    document = printing.ReportHTML(string="<p>x</p>")
    assert document._ua_stylesheets() == [lean]
    assert document._ua_stylesheets(forms=True) == HTML(string="<p>x</p>")._ua_stylesheets(forms=True)


def test_the_trimmed_rules_are_only_footnotes_notes_unused_page_areas_and_markers_outside_lists() -> None:
    source = (
        "::marker { white-space: pre }\n::footnote-call { content: counter(footnote) }\n::note-marker { x: y }\n"
        "@page {\n  margin: 75px;\n  @footnote { margin-top: 1em }\n  @top-left-corner { text-align: right }\n"
        "  @top-left { text-align: left }\n  @top-center { text-align: center }\n"
        "  @bottom-right { text-align: right }\n}\n"
    )
    assert printing._trimmed(source) == (
        "li::marker { white-space: pre }\n"
        "@page {\n  margin: 75px;\n  @top-left { text-align: left }\n  @bottom-right { text-align: right }\n}\n"
    )


def test_weasyprints_stylesheet_is_trimmed_where_expected() -> None:
    """Each trim finds its rules in the installed WeasyPrint's stylesheet (an upgrade that rewrites them shows here)."""
    source = (Path(weasyprint.__file__).parent / "css" / "html5_ua.css").read_text(encoding="utf-8")
    trimmed = printing._trimmed(source)
    assert "::footnote-call" in source
    assert "footnote-call" not in trimmed
    assert "note-area" not in trimmed
    assert "\n::marker {" in source
    assert "\n::marker {" not in trimmed
    assert "\nli::marker {" in trimmed
    assert re.findall(r"^ +@([a-z-]+) ", trimmed, re.MULTILINE) == list(printing.REPORT_MARGIN_BOXES)


def test_the_report_stylesheet_fills_only_the_margin_boxes_kept() -> None:
    css = (Path(__file__).parents[3] / "templates" / "report" / "report.css").read_text(encoding="utf-8")
    used = set(re.findall(r"@((?:top|bottom|left|right)-[a-z-]+)", css))
    assert used == set(printing.REPORT_MARGIN_BOXES)


def test_list_markers_and_text_survive() -> None:
    texts = box_texts(printing.ReportHTML(string="<ul><li>Styrka</li></ul><ol><li>Ett</li></ol>"))
    assert "•" in "".join(texts)
    assert "1. " in texts
    assert {"Styrka", "Ett"} <= set(texts)
