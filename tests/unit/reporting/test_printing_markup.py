"""Reports are parsed by expat when their markup is well-formed XML, by WeasyPrint's HTML5 parser otherwise."""

from __future__ import annotations

import pytest
from weasyprint import HTML

from servicescore.reporting import printing
from tests.unit.reporting.conftest import box_texts

DOCUMENT = '<!DOCTYPE html>\n<html lang="sv"><head>\n<title>Rapport</title>\n</head>\n<body>\n{}\n</body></html>'


def _text(document: HTML) -> str:
    return "".join(box_texts(document))


def test_well_formed_markup_takes_expat_and_gives_what_weasyprint_gives() -> None:
    markup = DOCUMENT.format('<p class="lead">Zorngården: <strong>4,8</strong><br/>Carl Larssons gård: 3,2</p>')
    assert printing._xml_tree(markup) is not None
    ours = printing.ReportHTML(string=markup, base_url="file:///rapporter/")
    theirs = HTML(string=markup, base_url="file:///rapporter/")
    assert set(vars(ours)) == set(vars(theirs))  # a WeasyPrint upgrade that sets more in HTML.__init__ shows here
    assert (ours.base_url, ours.media_type) == (theirs.base_url, theirs.media_type)
    assert _text(ours) == _text(theirs)
    assert "Zorngården: 4,8Carl Larssons gård: 3,2" in _text(ours)


@pytest.mark.parametrize(
    "markup",
    [
        DOCUMENT.format("<p>Zorngården<br>Carl Larssons gård</p>"),  # HTML, not XML: an unclosed <br>
        DOCUMENT.format("<p>Zorngården\x0bCarl Larssons gård</p>"),  # a control character XML does not allow
        '<!DOCTYPE html [<!ENTITY z "x">]><html><head></head><body><p>Zorngården&z;Carl Larssons gård</p></body>'
        "</html>",
        "<p>Zorngården Carl Larssons gård</p>",  # a fragment: HTML's parser adds <html>, <head> and <body>
    ],
    ids=["void-element", "control-character", "entity-declaration", "fragment"],
)
def test_other_markup_takes_weasyprints_parser_and_loses_nothing(markup: str) -> None:
    assert printing._xml_tree(markup) is None
    text = _text(printing.ReportHTML(string=markup))
    assert "Zorngården" in text
    assert "Carl Larssons gård" in text
