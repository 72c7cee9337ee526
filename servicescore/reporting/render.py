"""Rendering: context → HTML (Jinja2, autoescaped) → PDF (WeasyPrint, through `printing`), kept running.

A `Renderer` keeps what does not change between reports: the Jinja2 environment and the stylesheet text per brand
and language; its `printing.Printer` (made on first use) keeps one WeasyPrint `FontConfiguration`, the parsed
stylesheets and the image cache. `job` gives the finished HTML and CSS as a `printing.PrintJob`, so a process
that only prints (and imports neither Jinja2 nor Polars) can make the PDF.

Templates live in ``<templates_dir>/report/``; a brand may override any of them by name in
``reports/brands/<brand>/templates/``, the default is used otherwise (templates are an API).
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape
from weasyprint import CSS

from servicescore.definitions.reports.brands import Brand
from servicescore.formats import Lang
from servicescore.reporting.fetcher import SafeFetcher
from servicescore.reporting.printing import PDF_VARIANT, Printer, PrintJob
from servicescore.template_filters import add_format_filters
from servicescore.texts import Words

__all__ = ["PDF_VARIANT", "Renderer", "chart_image", "render_pdf"]
_LABEL = re.compile(r'aria-label="([^"]*)"')


def chart_image(svg: str | None) -> Markup:
    """A chart (SVG text from `charts`) as an ``<img>`` of a ``data:`` URL rather than inline SVG.

    Measured on the demo reports: inline SVG elements go through the HTML parser and the CSS cascade one by one,
    which cost more than drawing them; as an image, each chart is parsed by the XML parser once and, being the
    same URL next time, taken from the kept renderer's image cache. The alt text is the chart's aria-label.
    """
    if not svg:
        return Markup("")
    label = _LABEL.search(svg)
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    alt = escape(html.unescape(label.group(1)) if label else "")  # the label is escaped as SVG text already
    return Markup(f'<img class="svg" src="data:image/svg+xml;base64,{encoded}" alt="{alt}"/>')  # noqa: S704 - escaped


class Renderer:
    """Renders report contexts to HTML and PDF; build one and keep it for many reports."""

    def __init__(self, templates_dir: Path, brands_dir: Path, attachments_dir: Path | None = None) -> None:
        self.templates_dir = templates_dir.resolve()
        self.brands_dir = brands_dir.resolve()
        self.roots = (self.templates_dir, self.brands_dir, *([attachments_dir] if attachments_dir else []))
        self.base_url = self.templates_dir.as_uri() + "/"
        self._envs: dict[str, jinja2.Environment] = {}
        self._css: dict[tuple[str, str], str] = {}
        self._printer: Printer | None = None

    @property
    def printer(self) -> Printer:
        """The WeasyPrint side, made on first use: a process that only builds jobs never loads fonts."""
        if self._printer is None:
            self._printer = Printer(self.roots)
        return self._printer

    @property
    def fetcher(self) -> SafeFetcher:
        """The only way the printer reads files (what it refused is kept for the tests)."""
        return self.printer.fetcher

    def environment(self, brand: Brand | None = None) -> jinja2.Environment:
        """The Jinja2 environment of a brand: its own templates first, then the defaults; always autoescaped."""
        key = brand.key if brand else ""
        if key not in self._envs:
            search: list[Path] = []
            if brand is not None and (brand.folder / "templates").is_dir():
                search.append(brand.folder / "templates")
            search.append(self.templates_dir / "report")
            env = jinja2.Environment(
                loader=jinja2.FileSystemLoader([str(p) for p in search]),
                autoescape=True,  # every template, .css included: user text never becomes markup
                undefined=jinja2.StrictUndefined,
                trim_blocks=True,
                lstrip_blocks=True,
            )
            add_format_filters(env)
            env.filters["chart"] = chart_image
            self._envs[key] = env
        return self._envs[key]

    def stylesheet_text(self, brand: Brand, lang: Lang) -> str:
        """The print stylesheet of a brand and language (fonts, variables, @page, styles), made once."""
        key = (brand.key, lang)
        if key not in self._css:
            template = self.environment(brand).get_template("report.css")
            self._css[key] = template.render(brand=brand, t=Words(lang), lang=lang)
        return self._css[key]

    def stylesheet(self, brand: Brand, lang: Lang) -> CSS:
        """The parsed print stylesheet of a brand and language, parsed once by the printer."""
        return self.printer.stylesheet(self.stylesheet_text(brand, lang), self.base_url)

    def html(self, context: dict[str, Any], brand: Brand) -> str:
        """The report's HTML."""
        return self.environment(brand).get_template("report.html").render(**context, brand=brand)

    def job(self, context: dict[str, Any], brand: Brand) -> PrintJob:
        """The finished HTML and CSS of a report, for a printer in this or another process."""
        css = self.stylesheet_text(brand, context["lang"])
        return PrintJob(self.html(context, brand), css, self.base_url, self.roots)

    def pdf(self, context: dict[str, Any], brand: Brand, target: Path | None = None) -> bytes | None:
        """The report as a tagged PDF (bytes, or written to ``target``)."""
        job = self.job(context, brand)
        return self.printer.pdf(job.html, job.css, job.base_url, target)


def render_pdf(
    context: dict[str, Any], brand: Brand, templates_dir: Path, brands_dir: Path, extra_roots: Sequence[Path] = ()
) -> bytes:
    """One PDF with a fresh renderer (for one-off use; keep a `Renderer` for many)."""
    renderer = Renderer(templates_dir, brands_dir, extra_roots[0] if extra_roots else None)
    data = renderer.pdf(context, brand)
    assert data is not None
    return data
