"""Reports print with WeasyPrint's default stylesheet minus its footnote and note rules; lists keep their markers."""

from __future__ import annotations

from weasyprint import HTML

from servicescore.reporting import printing
from tests.unit.reporting.conftest import box_texts


def test_the_default_stylesheet_is_found_and_used_without_forms() -> None:
    lean = printing._report_ua_stylesheet()
    assert lean is not None  # WeasyPrint's html5_ua.css was found (an upgrade that moves it shows here)
    document = printing.ReportHTML(string="<p>x</p>")
    assert document._ua_stylesheets() == [lean]
    assert document._ua_stylesheets(forms=True) == HTML(string="<p>x</p>")._ua_stylesheets(forms=True)


def test_the_trimmed_rules_are_only_footnotes_and_notes() -> None:
    source = "::marker { white-space: pre }\n::footnote-call { content: counter(footnote) }\n::note-marker { x: y }\n"
    assert printing._UNUSED_UA_RULES.sub("", source) == "::marker { white-space: pre }\n"


def test_list_markers_and_text_survive() -> None:
    texts = box_texts(printing.ReportHTML(string="<ul><li>Styrka</li></ul><ol><li>Ett</li></ol>"))
    assert "•" in "".join(texts)
    assert "1. " in texts
    assert {"Styrka", "Ett"} <= set(texts)
