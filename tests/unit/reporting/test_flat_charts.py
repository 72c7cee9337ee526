"""Flat charts: which SVG `FlatChart` draws itself, what it leaves to WeasyPrint, and the operators it writes."""

from __future__ import annotations

import base64
import math

import pytest
from weasyprint.text.fonts import FontConfiguration

from servicescore.reporting import charts
from servicescore.reporting.flat_charts import DATA_URL, ChartImages, FlatChart, Label, Unsupported

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 16" width="200" height="16">{}</svg>'


def url(svg: str) -> str:
    return DATA_URL + base64.b64encode(svg.encode()).decode()


@pytest.mark.parametrize(
    "bar",
    [
        charts.interval_bar(71.4, 65.0, 77.9, 60.0),
        charts.interval_bar(None, None, None, 60.0),  # a suppressed group: the empty track and the peer tick
        charts.interval_bar(0.0, None, None),
        charts.interval_bar(100.0, 96.0, 100.0, 100.0),
    ],
)
def test_every_interval_bar_is_drawn_flat(bar: str) -> None:
    chart = FlatChart.from_svg(bar.encode())
    assert chart.get_intrinsic_size(1, 16) == (200, 16, 12.5)
    assert chart.view == (200, 16)


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ('<ellipse cx="5" cy="5" rx="4" ry="2" fill="#0072b2"/>', "ellipse"),
        ('<circle cx="5" cy="5" r="-4" fill="#0072b2"/>', "a negative radius"),
        ('<rect x="0" y="0" width="10" height="10" fill="#0072b2" opacity="0.5"/>', "opacity"),
        ('<rect x="0" y="0" width="10" height="10" fill="#0072b2" fill-opacity="1.5"/>', "an opacity above 1"),
        ('<rect x="0" y="0" width="10" height="10" transform="rotate(45)"/>', "transform"),
        ('<line x1="0" x2="9" y1="1" y2="1" stroke="#000000" stroke-dasharray="3 0"/>', "a dash of no length"),
        ('<text x="1" y="10"><tspan>71,4</tspan></text>', "a text span"),
        ('<text x="1" y="10" font-family="serif">71,4</text>', "a label's own font"),
        ('<text x="1" y="10"> 71,4</text>', "white space SVG collapses"),
        ('<text x="1" y="10" transform="scale(2)">71,4</text>', "a transform other than a rotation"),
        ('<text x="1" y="10" font-weight="heavy">71,4</text>', "an unknown weight"),
        ('<text x="1" y="10" text-anchor="left">71,4</text>', "an unknown anchor"),
        ('<rect x="0" y="0" width="10" height="10" fill="red"/>', "a colour name"),
        ('<rect x="0" y="0" width="10%" height="10" fill="#0072b2"/>', "a percentage"),
        ('<path d="m0 0h10" stroke="#000000"/>', "relative commands"),
        ('<path d="M0 0C1 1 2 2 3 3" stroke="#000000"/>', "a curve"),
        ('<path d="M0 0 5 5" stroke="#000000"/>', "an implicit line"),
        ('<g><rect x="0" y="0" width="10" height="10"/></g>', "a group"),
        ('<rect x="0" y="0" width="10" height="10" rx="-1"/>', "a negative corner"),
        ('<line x1="0" x2="9" y1="1" y2="1" stroke="#000000" stroke-width="0"/>', "a stroke of no width"),
    ],
)
def test_anything_else_is_left_to_weasyprint(body: str, why: str) -> None:
    images = ChartImages(FontConfiguration())
    with pytest.raises(Unsupported):
        FlatChart.from_svg(SVG.format(body).encode(), images.fonts)
    assert url(SVG.format(body)) not in images, why
    assert not images


def test_labels_need_the_documents_fonts() -> None:
    bar = charts.distribution_bar([10.0, 20.0, 30.0, 25.0, 15.0], fmt=lambda v: f"{v:.0f}\u00a0%")
    assert url(bar) not in ChartImages()
    assert url(bar) in ChartImages(FontConfiguration())


def test_labels_keep_their_place_anchor_font_and_rotation() -> None:
    svg = SVG.format(
        '<text x="10" y="12" font-size="8.5" text-anchor="middle" fill="#ffffff" font-weight="700">34\u00a0%</text>'
        '<text x="9" y="120" font-size="8" text-anchor="end" font-style="italic" '
        'transform="rotate(-90 9 120)">Kundernas index</text>'
        '<text x="1" y="2">Start</text>'
        '<text x="1" y="2" fill="none">Osynlig</text>'  # filled with nothing: nothing to draw
    )
    chart = FlatChart.from_svg(svg.encode(), FontConfiguration())
    assert [arguments[0] for _, arguments in chart.operations] == [
        Label("34\u00a0%", 10.0, 12.0, 8.5, 0.5, (1.0, 1.0, 1.0), 700, "normal", None),
        Label("Kundernas index", 9.0, 120.0, 8.0, 1.0, (0.0, 0.0, 0.0), 400, "italic", (-90.0, 9.0, 120.0)),
        Label("Start", 1.0, 2.0, 16.0, 0.0, (0.0, 0.0, 0.0), 400, "normal", None),
    ]
    assert chart.family == ("sans-serif",)  # SVG's default: the root names no font-family
    named = SVG.replace("<svg ", '<svg font-family="Report Sans" ').format("")
    assert FlatChart.from_svg(named.encode()).family == ("Report Sans",)


@pytest.mark.parametrize(
    "svg",
    [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="5 0 200 16" width="200" height="16"/>',
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 16"/>',
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 16" width="200" height="16" style="x"/>',
        '<svg viewBox="0 0 200 16" width="200" height="16"/>',
        '<!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg"/>',
        "not XML",
    ],
)
def test_a_root_it_cannot_place_is_left_to_weasyprint(svg: str) -> None:
    with pytest.raises(Unsupported):
        FlatChart.from_svg(svg.encode())


def test_the_cache_keeps_a_flat_chart_and_ignores_other_urls() -> None:
    images = ChartImages()
    bar = url(charts.interval_bar(71.4, 65.0, 77.9, 60.0))
    assert bar in images
    assert isinstance(images[bar], FlatChart)
    assert "file:///logo.svg" not in images
    assert DATA_URL + "not base64!" not in images
    assert list(images) == [bar]


class Recorder:
    """The stream methods a chart calls, in order."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[object, ...]]] = []

    def __getattr__(self, name: str) -> object:
        return lambda *args, **kwargs: self.calls.append((name, (*args, *kwargs.values())))


def test_shapes_are_scaled_to_fit_and_painted_as_svg_paints_them() -> None:
    svg = SVG.format(
        '<rect x="0" y="5" width="200" height="6" fill="#ff0000"/>'
        '<line x1="50" x2="50" y1="1" y2="15" stroke="#00ff00" stroke-width="0.6"/>'
        '<path d="M10 8H20V2L30 4" stroke="#0000ff" stroke-width="1.2" fill="none"/>'
        '<path d="M40 0V16" stroke="#0000ff"/>'
        '<rect x="0" y="0" width="0" height="6"/>'
    )
    stream = Recorder()
    FlatChart.from_svg(svg.encode()).draw(stream, 100, 20, None)
    assert stream.calls == [
        ("transform", (0.5, 0.5, 0.0, 6.0)),  # half size, centred in the taller box
        ("set_alpha", (1, True, True)),
        ("set_color_rgb", (1.0, 0.0, 0.0)),  # colours first: PDF allows none inside a path
        ("rectangle", (0.0, 5.0, 200.0, 6.0)),
        ("fill", ()),
        ("set_color_rgb", (0.0, 0.0, 0.0)),  # SVG's default fill, as WeasyPrint paints it
        ("set_color_rgb", (0.0, 1.0, 0.0, True)),
        ("set_line_width", (0.6,)),
        ("move_to", (50.0, 1.0)),
        ("line_to", (50.0, 15.0)),
        ("fill_and_stroke", ()),
        ("set_color_rgb", (0.0, 0.0, 1.0, True)),
        ("set_line_width", (1.2,)),
        ("move_to", (10.0, 8.0)),
        ("line_to", (20.0, 8.0)),
        ("line_to", (20.0, 2.0)),
        ("line_to", (30.0, 4.0)),
        ("stroke", ()),
        ("set_color_rgb", (0.0, 0.0, 0.0)),
        ("set_color_rgb", (0.0, 0.0, 1.0, True)),
        ("set_line_width", (1.0,)),
        ("move_to", (40.0, 0.0)),
        ("line_to", (40.0, 16.0)),
        ("fill_and_stroke", ()),
    ]


def test_circles_see_through_fills_and_dashes_are_drawn_as_weasyprint_draws_them() -> None:
    svg = SVG.format(
        '<circle cx="10" cy="8" r="4" fill="#9aa3ad" fill-opacity="0.7"/>'
        '<line x1="0" x2="9" y1="1" y2="1" stroke="#3c4148" stroke-dasharray="3 3" stroke-width="0.8"/>'
        '<circle cx="5" cy="5" r="0" fill="#000000"/>'
    )
    stream = Recorder()
    FlatChart.from_svg(svg.encode()).draw(stream, 200, 16, None)
    k = 4 / math.sqrt(math.pi)  # WeasyPrint's control points: r / √π from the ends
    assert stream.calls == [
        ("transform", (1.0, 1.0, 0.0, 0.0)),
        ("set_alpha", (1, True, True)),
        ("push_state", ()),  # the see-through fill stays with this circle
        ("set_alpha", (0.7,)),
        ("set_color_rgb", (154 / 255, 163 / 255, 173 / 255)),
        ("move_to", (14.0, 8.0)),
        ("curve_to", (14.0, 8 + k, 10 + k, 12.0, 10.0, 12.0)),
        ("curve_to", (10 - k, 12.0, 6.0, 8 + k, 6.0, 8.0)),
        ("curve_to", (6.0, 8 - k, 10 - k, 4.0, 10.0, 4.0)),
        ("curve_to", (10 + k, 4.0, 14.0, 8 - k, 14.0, 8.0)),
        ("close", ()),
        ("fill", ()),
        ("pop_state", ()),
        ("push_state", ()),  # and the dash with this line
        ("set_color_rgb", (0.0, 0.0, 0.0)),
        ("set_color_rgb", (60 / 255, 65 / 255, 72 / 255, True)),
        ("set_line_width", (0.8,)),
        ("set_dash", ((3.0, 3.0), 0)),
        ("move_to", (0.0, 1.0)),
        ("line_to", (9.0, 1.0)),
        ("fill_and_stroke", ()),
        ("pop_state", ()),
    ]
