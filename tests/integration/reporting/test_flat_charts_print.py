"""Bar charts drawn by `flat_charts` print the same pixels as WeasyPrint's SVG interpreter draws from the same SVG."""

from __future__ import annotations

import subprocess
from pathlib import Path

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
# The report's size (52 mm wide, as tall as the view box's ratio makes it), then boxes of another shape, where the
# chart is scaled to fit and centred.
SIZES = ["width: 52mm; height: auto", "width: 30mm; height: 12mm", "width: 80mm; height: 2mm"]


def page(pdf: bytes, folder: Path, name: str) -> Image.Image:
    path = folder / f"{name}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-singlefile", str(path), str(folder / name)], check=True)
    return Image.open(folder / f"{name}.png").convert("RGB")


def test_flat_bars_print_the_pixels_weasyprint_draws(settings: Settings, poppler: None, tmp_path: Path) -> None:
    images = "".join(
        str(chart_image(bar)).replace('class="svg"', f'style="display: block; margin: 2mm; {size}"')
        for size in SIZES
        for bar in BARS
    )
    html = f'<html lang="sv"><head><title>Staplar</title></head><body>{images}</body></html>'
    printer = Printer((settings.templates_dir,))

    ours = printer.pdf(html, "body { margin: 0 }", settings.templates_dir.as_uri() + "/")
    weasyprint = HTML(string=html).write_pdf(stylesheets=[printer.stylesheet("body { margin: 0 }", "")])

    assert sum(isinstance(image, FlatChart) for image in printer._images.values()) == len(BARS)
    assert ours
    assert weasyprint
    difference = ImageChops.difference(page(ours, tmp_path, "flat"), page(weasyprint, tmp_path, "svg"))
    assert difference.getbbox() is None
