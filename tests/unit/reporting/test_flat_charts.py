"""Flat charts: which SVG `FlatChart` draws itself, what it leaves to WeasyPrint, and the operators it writes."""

from __future__ import annotations

import base64

import pytest

from servicescore.reporting import charts
from servicescore.reporting.flat_charts import DATA_URL, ChartImages, FlatChart, Unsupported

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
        ('<text x="1" y="10">71,4</text>', "text"),
        ('<circle cx="5" cy="5" r="4" fill="#0072b2"/>', "circle"),
        ('<rect x="0" y="0" width="10" height="10" fill="#0072b2" opacity="0.5"/>', "opacity"),
        ('<rect x="0" y="0" width="10" height="10" transform="rotate(45)"/>', "transform"),
        ('<line x1="0" x2="9" y1="1" y2="1" stroke="#000000" stroke-dasharray="3 3"/>', "dash"),
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
    images = ChartImages()
    with pytest.raises(Unsupported):
        FlatChart.from_svg(SVG.format(body).encode())
    assert url(SVG.format(body)) not in images, why
    assert not images


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
        ("rectangle", (0.0, 5.0, 200.0, 6.0)),
        ("set_color_rgb", (1.0, 0.0, 0.0)),
        ("fill", ()),
        ("move_to", (50.0, 1.0)),
        ("line_to", (50.0, 15.0)),
        ("set_color_rgb", (0.0, 0.0, 0.0)),  # SVG's default fill, as WeasyPrint paints it
        ("set_color_rgb", (0.0, 1.0, 0.0, True)),
        ("set_line_width", (0.6,)),
        ("fill_and_stroke", ()),
        ("move_to", (10.0, 8.0)),
        ("line_to", (20.0, 8.0)),
        ("line_to", (20.0, 2.0)),
        ("line_to", (30.0, 4.0)),
        ("set_color_rgb", (0.0, 0.0, 1.0, True)),
        ("set_line_width", (1.2,)),
        ("stroke", ()),
        ("move_to", (40.0, 0.0)),
        ("line_to", (40.0, 16.0)),
        ("set_color_rgb", (0.0, 0.0, 0.0)),
        ("set_color_rgb", (0.0, 0.0, 1.0, True)),
        ("set_line_width", (1.0,)),
        ("fill_and_stroke", ()),
    ]
