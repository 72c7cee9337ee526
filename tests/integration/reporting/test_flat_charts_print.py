"""Charts drawn by `flat_charts` print what WeasyPrint's SVG interpreter draws from the same SVG: bars the same pixels,
labelled charts the same words at the same places."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import polars as pl
from PIL import Image, ImageChops
from weasyprint import HTML

from servicescore.reporting import charts
from servicescore.reporting.flat_charts import FlatChart
from servicescore.reporting.printing import Printer
from servicescore.reporting.render import chart_image
from servicescore.settings import Settings

BARS = [
    charts.interval_bar(71.4, 65.0, 77.9, 60.0),
    charts.interval_bar(None, None, None, 60.0),
    charts.interval_bar(0.0, None, None),
    charts.interval_bar(100.0, 96.0, 100.0, 100.0),
    charts.interval_bar(33.3, 20.1, 45.0, colour="#d55e00"),
]


def _sv(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


LABELLED = [
    charts.distribution_bar([34.0, 29.0, 6.0, 16.0, 15.0], fmt=lambda v: f"{v:.0f}\u00a0%"),
    charts.trend_chart(
        pl.DataFrame(
            {
                "wave": ["2026-Q1", "2026-Q2", "2026-Q3"] * 2,
                "series": ["Zorngården"] * 3 + ["Snitt"] * 3,
                "index": [81.2, 84.0, 90.5, 60.1, 55.3, 50.6],
            }
        ),
        fmt=_sv,
        dashed=["Snitt"],
    ),
    charts.quadrant_chart(
        pl.DataFrame({"number": [1, 2, 3], "importance": [0.31, 0.12, 0.05], "performance": [62.0, 88.5, 71.0]}),
        corner_labels=("Åtgärda först", "Behåll", "Bevaka", "Möjligt överskott"),
        axis_labels=("Resultat (index)", "Betydelse för helhetsbetyget"),
    ),
    charts.mirror_scatter(
        pl.DataFrame(
            {
                "number": [1, 2, 3, 4],
                "employee": [55.0, 71.0, 80.0, 64.0],
                "customer": [60.0, 75.0, 90.0, 58.0],
                "highlight": [True, False, True, False],
            }
        ),
        axis_labels=("Medarbetarnas index", "Kundernas index"),
        fmt=_sv,
    ),
]


# The labelled charts' shapes alone: circles, see-through fills and dashes, drawn the same pixels.
SHAPES = [re.sub(r"<text[^>]*>[^<]*</text>", "", chart) for chart in LABELLED]
# The report's size (52 mm wide, as tall as the view box's ratio makes it), then boxes of another shape, where the
# chart is scaled to fit and centred.
SIZES = ["width: 52mm; height: auto", "width: 30mm; height: 12mm", "width: 80mm; height: 2mm"]


def page(pdf: bytes, folder: Path, name: str) -> Image.Image:
    path = folder / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-singlefile", str(path), str(folder / name)], check=True)
    return Image.open(folder / f"{name}.png").convert("RGB")


def test_flat_shapes_print_the_pixels_weasyprint_draws(settings: Settings, poppler: None, tmp_path: Path) -> None:
    images = "".join(
        str(chart_image(bar)).replace('class="svg"', f'style="display: block; margin: 2mm; {size}"')
        for size in SIZES
        for bar in BARS + SHAPES
    )
    html = f'<html lang="sv"><head><title>Staplar</title></head><body>{images}</body></html>'
    printer = Printer((settings.templates_dir,))

    ours = printer.pdf(html, "body { margin: 0 }", settings.templates_dir.as_uri() + "/")
    weasyprint = HTML(string=html).write_pdf(stylesheets=[printer.stylesheet("body { margin: 0 }", "")])

    assert sum(isinstance(image, FlatChart) for image in printer._images.values()) == len(BARS + SHAPES)
    assert ours
    assert weasyprint
    difference = ImageChops.difference(page(ours, tmp_path, "flat"), page(weasyprint, tmp_path, "svg"))
    assert difference.getbbox() is None


def words(pdf: bytes, folder: Path, name: str) -> list[tuple[str, float, float, float]]:
    """Each word on the page with its box's left, right and bottom edges (pdftotext -bbox), in reading order."""
    path = folder / f"{name}.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [(w, float(x0), float(x1), float(y1)) for x0, x1, y1, w in re.findall(pattern, out)]


def test_labelled_charts_print_their_words_where_weasyprint_does(
    settings: Settings, poppler: None, tmp_path: Path
) -> None:
    """Shapes and labels: the same words at the same places (a label is shaped as one line here, letter by letter
    by WeasyPrint, so kerning may move a letter by a fraction of a point), and nearly the same pixels."""
    images = "".join(
        str(chart_image(chart)).replace('class="svg"', 'style="display: block; margin: 2mm; width: 150mm"')
        for chart in LABELLED
    )
    html = f'<html lang="sv"><head><title>Diagram</title></head><body>{images}</body></html>'
    fonts = settings.reports_dir / "brands" / "servicescore" / "fonts"
    css = "".join(
        f"@font-face {{ font-family: 'Report Sans'; font-weight: {weight}; font-style: {style}; "
        f"src: url('{(fonts / f'source-sans-3-latin-{weight}-{style}.woff2').as_uri()}') }}"
        for weight, style in ((400, "normal"), (400, "italic"), (600, "normal"), (700, "normal"))
    )
    css += "body { margin: 0 }"
    printer = Printer((settings.reports_dir,))
    ours = printer.pdf(html, css, settings.templates_dir.as_uri() + "/")
    weasyprint = HTML(string=html).write_pdf(stylesheets=[printer.stylesheet(css, "")], font_config=printer.font_config)
    assert sum(isinstance(image, FlatChart) for image in printer._images.values()) == len(LABELLED)
    assert ours
    assert weasyprint

    flat, svg = words(ours, tmp_path, "flat"), words(weasyprint, tmp_path, "svg")
    assert [w for w, *_ in flat] == [w for w, *_ in svg]
    assert len(flat) > 40
    for (word, *ours_box), (_, *their_box) in zip(flat, svg, strict=True):
        assert all(abs(a - b) < 0.6 for a, b in zip(ours_box, their_box, strict=True)), (word, ours_box, their_box)
    difference = ImageChops.difference(page(ours, tmp_path, "flat"), page(weasyprint, tmp_path, "svg"))
    changed = difference.convert("L").point(lambda v: 255 if v > 64 else 0).histogram()[255]
    assert changed < 0.001 * difference.width * difference.height
