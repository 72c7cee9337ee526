"""The report's bar charts drawn straight into the PDF, without WeasyPrint's SVG interpreter.

`charts` writes every chart as SVG, and a report shows it as an ``<img>`` of a ``data:`` URL (`render.chart_image`).
WeasyPrint draws such an image by interpreting the SVG node by node: about 1 ms for an interval bar, whose few
rectangles, lines and straight paths in flat colours need none of that interpreter's generality (the SVG cascade,
units, transforms, markers). The demo client report's 20 interval bars were about 4 % of its print.

`ChartImages` is the image cache a `printing.Printer` gives WeasyPrint, which looks an image's URL up there before
it fetches it. Asked for an SVG ``data:`` URL it does not hold, the cache reads the SVG, and when every element is
one `FlatChart` draws the way WeasyPrint does, it keeps a `FlatChart` for the URL, which writes the PDF operators
itself. Anything else (text, circles, a transform, opacity, a dash, any attribute not listed below) is left to
WeasyPrint, which then stores its own image under the URL. The tests compare both drawings pixel by pixel.

Drawn here: an ``<svg>`` with a ``viewBox`` of ``0 0 W H`` and numeric ``width`` and ``height``, whose children are
``rect`` (``x y width height rx ry fill``), ``line`` (``x1 y1 x2 y2 fill stroke stroke-width``) and ``path`` (``d`` of
absolute ``M L H V`` commands, ``fill stroke stroke-width``), colours as ``#rrggbb`` or ``none``. As in SVG, a
shape's fill is black unless given, and it has no stroke unless given.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedElementTree

DATA_URL: Final[str] = "data:image/svg+xml;base64,"
_NAMESPACE: Final[str] = "{http://www.w3.org/2000/svg}"
# Attributes that change nothing drawn: the font (no text is drawn here) and the accessible name (the <img>'s alt).
_ROOT_ATTRIBUTES: Final[frozenset[str]] = frozenset({"viewBox", "width", "height", "font-family", "role", "aria-label"})
_SHAPE_ATTRIBUTES: Final[dict[str, frozenset[str]]] = {
    "rect": frozenset({"x", "y", "width", "height", "rx", "ry", "fill"}),
    "line": frozenset({"x1", "y1", "x2", "y2", "fill", "stroke", "stroke-width"}),
    "path": frozenset({"d", "fill", "stroke", "stroke-width"}),
}
_NUMBER: Final[re.Pattern[str]] = re.compile(r"-?(?:\d+\.?\d*|\.\d+)")
_PATH: Final[re.Pattern[str]] = re.compile(r"\s*(?:[MLHV][\s\d.,-]*)+")
_COMMAND: Final[re.Pattern[str]] = re.compile(r"([MLHV])([^MLHV]*)")
_ARGUMENTS: Final[dict[str, int]] = {"M": 2, "L": 2, "H": 1, "V": 1}
# WeasyPrint's rounded corner: a quarter circle as one Bézier curve (Cairo cookbook).
_ARC: Final[float] = 4 * (2**0.5 - 1) / 3

Colour = tuple[float, float, float]
Operation = tuple[str, tuple[float, ...]]  # a pydyf.Stream method and its arguments


class Unsupported(ValueError):
    """The SVG uses something `FlatChart` does not draw; WeasyPrint draws it instead."""


def _number(value: str | None, default: float = 0.0) -> float:
    if value is None:
        return default
    if not _NUMBER.fullmatch(value.strip()):
        raise Unsupported(f"not a plain number: {value!r}")
    return float(value)


def _colour(value: str | None, default: Colour | None) -> Colour | None:
    if value is None:
        return default
    if value == "none":
        return None
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        raise Unsupported(f"not a #rrggbb colour: {value!r}")
    return (int(value[1:3], 16) / 255, int(value[3:5], 16) / 255, int(value[5:7], 16) / 255)


def _rect(node: ElementTree.Element) -> list[Operation]:
    x, y = _number(node.get("x")), _number(node.get("y"))
    width, height = _number(node.get("width")), _number(node.get("height"))
    if width <= 0 or height <= 0:
        return []
    rx_text, ry_text = node.get("rx"), node.get("ry")
    rx, ry = _number(rx_text or ry_text), _number(ry_text or rx_text)
    if rx < 0 or ry < 0:
        raise Unsupported(f"a negative corner radius: {rx_text!r}, {ry_text!r}")
    if rx == 0 or ry == 0:
        return [("rectangle", (x, y, width, height))]
    rx, ry = min(rx, width / 2), min(ry, height / 2)
    c1, c2 = _ARC * rx, _ARC * ry
    right, bottom = x + width, y + height
    return [
        ("move_to", (x + rx, y)),
        ("line_to", (right - rx, y)),
        ("curve_to", (right - rx + c1, y, right, y + c2, right, y + ry)),
        ("line_to", (right, bottom - ry)),
        ("curve_to", (right, bottom - ry + c2, right + c1 - rx, bottom, right - rx, bottom)),
        ("line_to", (x + rx, bottom)),
        ("curve_to", (x + rx - c1, bottom, x, bottom - c2, x, bottom - ry)),
        ("line_to", (x, y + ry)),
        ("curve_to", (x, y + ry - c2, x + rx - c1, y, x + rx, y)),
        ("close", ()),
    ]


def _line(node: ElementTree.Element) -> list[Operation]:
    start = (_number(node.get("x1")), _number(node.get("y1")))
    return [("move_to", start), ("line_to", (_number(node.get("x2")), _number(node.get("y2"))))]


def _path(node: ElementTree.Element) -> list[Operation]:
    d = node.get("d", "")
    if not _PATH.fullmatch(d):
        raise Unsupported(f"a path with other than absolute M, L, H and V commands: {d!r}")
    operations: list[Operation] = []
    x = y = 0.0
    for command, arguments in _COMMAND.findall(d):
        numbers = [float(n) for n in _NUMBER.findall(arguments)]
        if len(numbers) != _ARGUMENTS[command]:
            raise Unsupported(f"{command} takes {_ARGUMENTS[command]} numbers: {d!r}")
        if command in "ML":
            x, y = numbers
        elif command == "H":
            x = numbers[0]
        else:
            y = numbers[0]
        operations.append(("move_to" if command == "M" else "line_to", (x, y)))
    return operations


_OUTLINES: Final[dict[str, Callable[[ElementTree.Element], list[Operation]]]] = {
    "rect": _rect,
    "line": _line,
    "path": _path,
}


def _shape(node: ElementTree.Element) -> list[Operation]:
    """The operators that draw one shape: its outline, then its fill and stroke. A line is filled too, as WeasyPrint
    fills it: its outline has no area, but a rasteriser shades its end pixels faintly, and the drawings stay the same
    pixel for pixel."""
    tag = node.tag.removeprefix(_NAMESPACE)
    if tag not in _OUTLINES or not set(node.attrib) <= _SHAPE_ATTRIBUTES[tag] or len(node) or (node.text or "").strip():
        raise Unsupported(f"<{tag}> with {sorted(node.attrib)}")
    outline = _OUTLINES[tag](node)
    if not outline:
        return []
    fill = _colour(node.get("fill"), (0.0, 0.0, 0.0))
    stroke = _colour(node.get("stroke"), None)
    width = _number(node.get("stroke-width"), 1.0)
    if width <= 0:  # SVG draws no stroke; WeasyPrint draws PDF's thinnest line
        raise Unsupported(f"stroke-width {width:g}")
    paint: list[Operation] = []
    if fill is not None:
        paint.append(("set_color_rgb", fill))
    if stroke is not None:
        paint += [("set_color_rgb", (*stroke, True)), ("set_line_width", (width,))]
        paint.append(("fill_and_stroke" if fill is not None else "stroke", ()))
    elif fill is not None:
        paint.append(("fill", ()))
    else:
        return []
    return outline + paint


@dataclass(frozen=True)
class FlatChart:
    """A chart of flat shapes, kept as the PDF operators that draw it in its own view box."""

    width: float
    height: float
    view: tuple[float, float]  # the view box's width and height
    operations: tuple[Operation, ...]

    @classmethod
    def from_svg(cls, svg: bytes) -> FlatChart:
        """The chart of this SVG text; `Unsupported` if it is not one `FlatChart` draws as WeasyPrint would."""
        try:
            root = DefusedElementTree.fromstring(svg)
        except (ElementTree.ParseError, DefusedXmlException) as error:
            raise Unsupported(str(error)) from error
        if root.tag != f"{_NAMESPACE}svg" or not set(root.attrib) <= _ROOT_ATTRIBUTES:
            raise Unsupported(f"root <{root.tag}> with {sorted(root.attrib)}")
        view = [_number(v) for v in root.get("viewBox", "").replace(",", " ").split()]
        if len(view) != 4 or view[:2] != [0, 0] or view[2] <= 0 or view[3] <= 0:
            raise Unsupported(f"view box {root.get('viewBox')!r}")
        width, height = _number(root.get("width"), -1), _number(root.get("height"), -1)
        if width <= 0 or height <= 0:
            raise Unsupported("no width and height")
        operations = [operation for node in root for operation in _shape(node)]
        return cls(width, height, (view[2], view[3]), tuple(operations))

    @classmethod
    def from_url(cls, url: str) -> FlatChart:
        try:
            return cls.from_svg(base64.b64decode(url.removeprefix(DATA_URL), validate=True))
        except binascii.Error as error:
            raise Unsupported(str(error)) from error

    def get_intrinsic_size(self, image_resolution: float, font_size: float) -> tuple[float, float, float]:  # noqa: ARG002
        """WeasyPrint's image interface: width and height in CSS pixels, and their ratio."""
        return self.width, self.height, self.width / self.height

    def draw(self, stream: Any, concrete_width: float, concrete_height: float, image_rendering: object) -> None:  # noqa: ARG002
        """WeasyPrint's image interface: draw into ``stream`` (a ``weasyprint.pdf.stream.Stream``, inside its own
        saved graphics state) at this size, the view box scaled to fit and centred, as SVG's default
        ``preserveAspectRatio`` does."""
        scale = min(concrete_width / self.view[0], concrete_height / self.view[1])
        left, top = (concrete_width - self.view[0] * scale) / 2, (concrete_height - self.view[1] * scale) / 2
        stream.transform(a=scale, d=scale, e=left, f=top)
        stream.set_alpha(1, stroke=True, fill=True)
        for method, arguments in self.operations:
            getattr(stream, method)(*arguments)


class ChartImages(dict[str, Any]):
    """WeasyPrint's image cache (URL → image) that makes a `FlatChart` for an SVG ``data:`` URL it can draw, the first
    time WeasyPrint looks the URL up; WeasyPrint stores its own image for every other URL."""

    def __contains__(self, url: object) -> bool:
        if super().__contains__(url):
            return True
        if not isinstance(url, str) or not url.startswith(DATA_URL):
            return False
        try:
            self[url] = FlatChart.from_url(url)
        except Unsupported:
            return False
        return True
