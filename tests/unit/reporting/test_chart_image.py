"""Charts reach the PDF as <img> elements of data: URLs: the SVG unchanged, its label as alt text, escaped."""

from __future__ import annotations

import base64
import re

from servicescore.reporting import charts
from servicescore.reporting.render import chart_image


def test_a_chart_becomes_an_image_of_the_same_svg() -> None:
    svg = charts.interval_bar(71.4, 65.0, 77.9, 60.0, name="index bar")
    tag = str(chart_image(svg))
    match = re.fullmatch(r'<img class="svg" src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)" alt="index bar"/>', tag)
    assert match, tag
    assert base64.b64decode(match.group(1)).decode("utf-8") == svg


def test_the_alt_text_is_escaped_and_no_chart_is_no_image() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" aria-label="a &quot;b&quot; &lt;c&gt;"></svg>'
    assert 'alt="a &#34;b&#34; &lt;c&gt;"' in chart_image(svg)
    assert chart_image(None) == ""
    assert chart_image("") == ""
