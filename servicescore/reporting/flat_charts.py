"""The report's charts drawn straight into the PDF, without WeasyPrint's SVG interpreter.

`charts` writes every chart as SVG, and a report shows it as an ``<img>`` of a ``data:`` URL (`render.chart_image`).
WeasyPrint draws such an image by interpreting the SVG node by node: about 1 ms for an interval bar, whose few
rectangles, lines and straight paths in flat colours need none of that interpreter's generality (the SVG cascade,
units, transforms, markers), and it lays a label out letter by letter, shaping and drawing each letter on its own
(a label cost about 0.8 ms, 7 % of the demo client report's instructions for its 46 labels).

`ChartImages` is the image cache a `printing.Printer` gives WeasyPrint, which looks an image's URL up there before
it fetches it. Asked for an SVG ``data:`` URL it does not hold, the cache reads the SVG, and when every element is
one `FlatChart` draws the way WeasyPrint does, it keeps a `FlatChart` for the URL, which writes the PDF operators
itself. Anything else (a group, an ellipse, a transform other than a rotation of a label, opacity of a whole
element, any attribute not listed below) is left to WeasyPrint, which then stores its own image under the URL. The
tests compare both drawings pixel by pixel.

Drawn here: an ``<svg>`` with a ``viewBox`` of ``0 0 W H`` and numeric ``width`` and ``height``, whose children are
``rect`` (``x y width height rx ry``), ``circle`` (``cx cy r``), ``line`` (``x1 y1 x2 y2``) and ``path`` (``d`` of
absolute ``M L H V`` commands), each with ``fill fill-opacity stroke stroke-width`` and, for lines and paths,
``stroke-dasharray``; colours as ``#rrggbb`` or ``none``. As in SVG, a shape's fill is black unless given, and it
has no stroke unless given. And ``text`` (``x y font-size text-anchor fill font-weight font-style``, a
``transform`` of ``rotate(a cx cy)``) of plain text in the root's ``font-family``: laid out and drawn as one line by
WeasyPrint's own text functions, the ones its SVG interpreter calls for each letter, so the label is the same text
in the same embedded font, at the same place (the tests compare the pixels and the extracted words).
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final
from xml.etree import ElementTree

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedElementTree
from weasyprint.css.properties import INITIAL_VALUES
from weasyprint.draw.text import draw_emojis, draw_first_line
from weasyprint.matrix import Matrix
from weasyprint.text.fonts import FontConfiguration
from weasyprint.text.line_break import split_first_line

DATA_URL: Final[str] = "data:image/svg+xml;base64,"
_NAMESPACE: Final[str] = "{http://www.w3.org/2000/svg}"
# Attributes that change nothing drawn but the labels' font, or nothing at all (the accessible name: the <img>'s alt).
_ROOT_ATTRIBUTES: Final[frozenset[str]] = frozenset({"viewBox", "width", "height", "font-family", "role", "aria-label"})
_PAINT: Final[frozenset[str]] = frozenset({"fill", "fill-opacity", "stroke", "stroke-width"})
_SHAPE_ATTRIBUTES: Final[dict[str, frozenset[str]]] = {
    "rect": frozenset({"x", "y", "width", "height", "rx", "ry"}) | _PAINT,
    "circle": frozenset({"cx", "cy", "r"}) | _PAINT,
    "line": frozenset({"x1", "y1", "x2", "y2", "stroke-dasharray"}) | _PAINT,
    "path": frozenset({"d", "stroke-dasharray"}) | _PAINT,
}
_TEXT_ATTRIBUTES: Final[frozenset[str]] = frozenset(
    {"x", "y", "font-size", "text-anchor", "fill", "font-weight", "font-style", "transform"}
)
_ANCHORS: Final[dict[str, float]] = {"start": 0.0, "middle": 0.5, "end": 1.0}  # of the label's width, left of x
_WEIGHTS: Final[dict[str, int]] = {"normal": 400, "bold": 700} | {str(w): w for w in range(100, 1000, 100)}
_LOOSE_SPACE: Final[re.Pattern[str]] = re.compile(r"^ | $|  |[\t\r\n]")
_ROTATION: Final[re.Pattern[str]] = re.compile(r"rotate\((\S+) (\S+) (\S+)\)")
_NUMBER: Final[re.Pattern[str]] = re.compile(r"-?(?:\d+\.?\d*|\.\d+)")
_PATH: Final[re.Pattern[str]] = re.compile(r"\s*(?:[MLHV][\s\d.,-]*)+")
_COMMAND: Final[re.Pattern[str]] = re.compile(r"([MLHV])([^MLHV]*)")
_ARGUMENTS: Final[dict[str, int]] = {"M": 2, "L": 2, "H": 1, "V": 1}
# WeasyPrint's rounded corner: a quarter circle as one Bézier curve (Cairo cookbook).
_ARC: Final[float] = 4 * (2**0.5 - 1) / 3

Colour = tuple[float, float, float]
Operation = tuple[str, tuple[Any, ...]]  # a pydyf.Stream method and its arguments, or ("label", (Label,))


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


def _circle(node: ElementTree.Element) -> list[Operation]:
    """WeasyPrint's circle: four Bézier curves whose control points lie r / √π from the ends."""
    r = _number(node.get("r"))
    if r < 0:
        raise Unsupported(f"a negative radius: {node.get('r')!r}")
    if r == 0:
        return []
    cx, cy, k = _number(node.get("cx")), _number(node.get("cy")), r / math.sqrt(math.pi)
    return [
        ("move_to", (cx + r, cy)),
        ("curve_to", (cx + r, cy + k, cx + k, cy + r, cx, cy + r)),
        ("curve_to", (cx - k, cy + r, cx - r, cy + k, cx - r, cy)),
        ("curve_to", (cx - r, cy - k, cx - k, cy - r, cx, cy - r)),
        ("curve_to", (cx + k, cy - r, cx + r, cy - k, cx + r, cy)),
        ("close", ()),
    ]


_OUTLINES: Final[dict[str, Callable[[ElementTree.Element], list[Operation]]]] = {
    "rect": _rect,
    "circle": _circle,
    "line": _line,
    "path": _path,
}


def _opacity(value: str | None) -> float:
    opacity = _number(value, 1.0)
    if not 0 <= opacity <= 1:
        raise Unsupported(f"an opacity outside 0…1: {value!r}")
    return opacity


def _dashes(value: str | None) -> tuple[float, ...]:
    dashes = tuple(_number(part) for part in (value or "").replace(",", " ").split())
    if any(dash <= 0 for dash in dashes):  # SVG draws such a line solid or not at all; reports use neither
        raise Unsupported(f"stroke-dasharray {value!r}")
    return dashes


def _shape(node: ElementTree.Element) -> list[Operation]:
    """The operators that draw one shape: its colours (before the path: PDF allows no colour operator inside one), its
    outline, then its fill and stroke. A line is filled too, as WeasyPrint
    fills it: its outline has no area, but a rasteriser shades its end pixels faintly, and the drawings stay the same
    pixel for pixel. A shape with a see-through fill or a dashed stroke is drawn in a saved state, as WeasyPrint
    draws every shape, so neither reaches the next."""
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
    opacity, dashes = _opacity(node.get("fill-opacity")), _dashes(node.get("stroke-dasharray"))
    state: list[Operation] = []
    if fill is not None:
        if opacity < 1:
            state.append(("set_alpha", (opacity,)))
        state.append(("set_color_rgb", fill))
    if stroke is not None:
        state += [("set_color_rgb", (*stroke, True)), ("set_line_width", (width,))]
        if dashes:
            state.append(("set_dash", (dashes, 0)))
        paint: Operation = ("fill_and_stroke", ()) if fill is not None else ("stroke", ())
    elif fill is not None:
        paint = ("fill", ())
    else:
        return []
    if any(method in ("set_alpha", "set_dash") for method, _ in state):
        return [("push_state", ()), *state, *outline, paint, ("pop_state", ())]
    return [*state, *outline, paint]


@dataclass(frozen=True)
class Label:
    """One ``<text>``: its text at (x, y), the baseline's left end, centre or right end by its ``anchor``."""

    text: str
    x: float
    y: float
    size: float
    anchor: float  # the share of the label's width that lies left of x
    fill: Colour
    weight: int
    style: str  # "normal" or "italic"
    rotation: tuple[float, float, float] | None  # degrees about (cx, cy)


def _label(node: ElementTree.Element) -> list[Operation]:
    """The operation that draws one label (none for a label filled with nothing)."""
    if not set(node.attrib) <= _TEXT_ATTRIBUTES or len(node):
        raise Unsupported(f"<text> with {sorted(node.attrib)} and {len(node)} children")
    text = node.text or ""
    if _LOOSE_SPACE.search(text):  # SVG collapses XML white space (not a no-break space): left to WeasyPrint
        raise Unsupported(f"text with leading, trailing or repeated white space: {text!r}")
    anchor, weight = node.get("text-anchor", "start"), node.get("font-weight", "normal")
    style, transform = node.get("font-style", "normal"), node.get("transform")
    if anchor not in _ANCHORS or weight not in _WEIGHTS or style not in ("normal", "italic"):
        raise Unsupported(f"text-anchor {anchor!r}, font-weight {weight!r}, font-style {style!r}")
    rotation = None
    if transform is not None:
        match = _ROTATION.fullmatch(transform.strip())
        if match is None:
            raise Unsupported(f"a transform other than rotate(a cx cy): {transform!r}")
        rotation = (_number(match[1]), _number(match[2]), _number(match[3]))
    size = _number(node.get("font-size"), 16.0)  # SVG's default: the initial font size, 16 px
    if size <= 0:
        raise Unsupported(f"font-size {size:g}")
    fill = _colour(node.get("fill"), (0.0, 0.0, 0.0))
    if fill is None:
        return []
    x, y = _number(node.get("x")), _number(node.get("y"))
    return [("label", (Label(text, x, y, size, _ANCHORS[anchor], fill, _WEIGHTS[weight], style, rotation),))]


class _TextStyle(dict[str, Any]):
    """The computed style WeasyPrint's text functions read: its initial values, the label's font, and the font
    configuration as an attribute (what WeasyPrint's SVG interpreter gives them for each letter)."""

    def __init__(self, fonts: FontConfiguration, family: tuple[str, ...], label: Label) -> None:
        super().__init__(INITIAL_VALUES)
        self.font_config = fonts
        self.update(font_family=family, font_size=label.size, font_weight=label.weight, font_style=label.style)


@dataclass
class _TextBox:
    """What `draw_first_line` reads of a text box."""

    pango_layout: Any
    style: _TextStyle
    baseline: float

    @property
    def text(self) -> str:
        return str(self.pango_layout.text)


@dataclass(frozen=True)
class FlatChart:
    """A chart of flat shapes and labels, kept as the PDF operators that draw it in its own view box."""

    width: float
    height: float
    view: tuple[float, float]  # the view box's width and height
    operations: tuple[Operation, ...]
    family: tuple[str, ...] = ()  # the labels' font family, from the root's font-family
    fonts: FontConfiguration | None = field(default=None, compare=False, repr=False)  # the document's

    @classmethod
    def from_svg(cls, svg: bytes, fonts: FontConfiguration | None = None) -> FlatChart:
        """The chart of this SVG text; `Unsupported` if it is not one `FlatChart` draws as WeasyPrint would (labels
        need the ``fonts`` the document is printed with)."""
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
        operations: list[Operation] = []
        for node in root:
            label = node.tag == f"{_NAMESPACE}text"
            if label and fonts is None:
                raise Unsupported("a label, and no fonts to draw it with")
            operations += _label(node) if label else _shape(node)
        family = tuple(name.strip().strip("\"'") for name in root.get("font-family", "sans-serif").split(","))
        return cls(width, height, (view[2], view[3]), tuple(operations), family, fonts)

    @classmethod
    def from_url(cls, url: str, fonts: FontConfiguration | None = None) -> FlatChart:
        try:
            return cls.from_svg(base64.b64decode(url.removeprefix(DATA_URL), validate=True), fonts)
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
            if method == "label":
                self._draw_label(stream, *arguments)
            else:
                getattr(stream, method)(*arguments)

    def _draw_label(self, stream: Any, label: Label) -> None:
        """One label, laid out as one line (WeasyPrint's SVG interpreter lays out and draws each letter alone)."""
        assert self.fonts is not None  # from_svg refuses labels without fonts
        style = _TextStyle(self.fonts, self.family, label)
        layout, _, _, width, _, baseline = split_first_line(label.text, style, None, math.inf, 0)
        layout.reactivate(style)  # split_first_line lets go of the Pango layout; drawing needs it again
        stream.push_state()
        if label.rotation is not None:
            degrees, cx, cy = label.rotation
            cos, sin = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
            stream.transform(*(Matrix(e=-cx, f=-cy) @ Matrix(cos, sin, -sin, cos) @ Matrix(e=cx, f=cy)).values)
        left = label.x - label.anchor * width
        stream.set_color_rgb(*label.fill)
        stream.begin_text()
        emojis = draw_first_line(
            stream, _TextBox(layout, style, baseline), "none", "none", Matrix(d=-1, e=left, f=label.y)
        )
        stream.end_text()
        draw_emojis(stream, style, left, label.y, emojis)  # colour glyphs: images after the text, as WeasyPrint does
        stream.pop_state()


class ChartImages(dict[str, Any]):
    """WeasyPrint's image cache (URL → image) that makes a `FlatChart` for an SVG ``data:`` URL it can draw, the first
    time WeasyPrint looks the URL up; WeasyPrint stores its own image for every other URL. ``fonts``: the font
    configuration the documents are printed with (without it, charts with labels are left to WeasyPrint)."""

    def __init__(self, fonts: FontConfiguration | None = None) -> None:
        super().__init__()
        self.fonts = fonts

    def __contains__(self, url: object) -> bool:
        if super().__contains__(url):
            return True
        if not isinstance(url, str) or not url.startswith(DATA_URL):
            return False
        try:
            self[url] = FlatChart.from_url(url, self.fonts)
        except Unsupported:
            return False
        return True
