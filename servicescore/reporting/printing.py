"""Finished HTML and CSS → tagged PDF with WeasyPrint, in a printer kept warm between reports.

This module imports WeasyPrint (and its cssselect2), defusedxml, the safe URL fetcher and `flat_charts` only: no
Jinja2, no Polars, no report data. A process that only prints (the web's render worker) therefore holds about 50 MB
after its imports, against about 120 MB for one that also builds report contexts; it receives a `PrintJob` (the HTML
and stylesheet text, made by `render.Renderer` where the data is) and writes the PDF.

A `Printer` keeps what does not change between reports: one WeasyPrint `FontConfiguration`, the parsed
stylesheet per stylesheet text (parsing registers its ``@font-face`` fonts, so doing it once keeps repeated
renders fast and their memory flat) and WeasyPrint's image cache (chart images keyed by their ``data:`` URL), a
`flat_charts.ChartImages`, which draws the charts itself.

While it prints, the cyclic garbage collector runs less often (`fewer_collections`): WeasyPrint allocates a few
hundred thousand objects per report, and with CPython's default thresholds the collector ran about 150 times per
demo report, its full collections walking every long-lived object of the process (measured on the demo client
report printed alternately with a naive render: 125 of about 790 ms CPU; 55–70 ms with fewer collections).
"""

from __future__ import annotations

import functools
import gc
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final
from xml.etree import ElementTree

import cssselect2
import weasyprint
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedElementTree
from weasyprint import CSS, HTML, _find_base_url
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from servicescore.reporting.fetcher import SafeFetcher
from servicescore.reporting.flat_charts import ChartImages

PDF_VARIANT: Final[str] = "pdf/ua-1"  # tagged PDF; checked by the tests (structure tree, language, title)
# Parsed chart images kept between renders; emptied when it holds more than this many, so a printer kept running
# for months stays flat in memory.
IMAGE_CACHE_LIMIT: Final[int] = 4096
STYLESHEET_LIMIT: Final[int] = 64  # parsed stylesheets (brands × languages) kept
# While printing: a young collection per 10,000 new objects (default 700), the middle one per 20 of those, and no
# full collection: during a long report those walk the growing box tree again and again (the 41-page report spent
# about a tenth of its time in them). The full collection is made after the print instead, once 10 middle ones
# have run since the last (CPython's own count), so a process that does nothing but print still frees its old
# garbage.
PRINT_GC_THRESHOLDS: Final[tuple[int, int, int]] = (10_000, 20, 1_000_000)
FULL_COLLECTION_AFTER: Final[int] = 10
_GC_LOCK = threading.Lock()
_printing = 0  # prints under way in this process (threads may print at once)
_thresholds = gc.get_threshold()  # the process's own, put back when the last print ends


@contextmanager
def fewer_collections() -> Iterator[None]:
    """The cyclic garbage collector at `PRINT_GC_THRESHOLDS` while the block runs, then one collection of the young
    generations, which frees the reference cycles a print leaves (boxes and their parents) before they reach the
    old generation, or a full one when `FULL_COLLECTION_AFTER` middle collections have run since the last. Nested
    and concurrent uses count: the last one to end puts the process's thresholds back."""
    global _printing, _thresholds  # noqa: PLW0603 - one process-wide setting, guarded by the lock
    with _GC_LOCK:
        if _printing == 0:
            _thresholds = gc.get_threshold()
            gc.set_threshold(*PRINT_GC_THRESHOLDS)
        _printing += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _printing -= 1
            if _printing == 0:
                gc.set_threshold(*_thresholds)
        gc.collect(2 if gc.get_count()[2] >= FULL_COLLECTION_AFTER else 1)


@dataclass(frozen=True)
class PrintJob:
    """Everything a PDF is printed from: picklable, so it crosses to a worker process as it is."""

    html: str
    css: str
    base_url: str  # relative URLs in the HTML and CSS resolve against this (the templates folder)
    roots: tuple[Path, ...]  # the only folders the fetcher may read (templates, brands, attachments)


class Printer:
    """Prints `PrintJob`-like input to PDF; build one per set of roots and keep it for many reports."""

    def __init__(self, roots: tuple[Path, ...]) -> None:
        self.fetcher = SafeFetcher(roots)
        self.font_config = FontConfiguration()
        self._css: dict[tuple[str, str], CSS] = {}
        self._images = ChartImages(self.font_config)

    def stylesheet(self, css: str, base_url: str) -> CSS:
        """The parsed stylesheet of this text, parsed once."""
        key = (css, base_url)
        if key not in self._css:
            if len(self._css) >= STYLESHEET_LIMIT:
                self._css.clear()
            self._css[key] = CSS(string=css, base_url=base_url, url_fetcher=self.fetcher, font_config=self.font_config)
        return self._css[key]

    def pdf(self, html: str, css: str, base_url: str, target: Path | None = None) -> bytes | None:
        """The tagged PDF of ``html`` styled by ``css`` (bytes, or written to ``target``)."""
        if len(self._images) > IMAGE_CACHE_LIMIT:
            self._images.clear()
        with fewer_collections():
            result: bytes | None = ReportHTML(string=html, base_url=base_url, url_fetcher=self.fetcher).write_pdf(
                target,
                stylesheets=[self.stylesheet(css, base_url)],
                font_config=self.font_config,
                pdf_variant=PDF_VARIANT,
                cache=self._images,
            )
        return result


# WeasyPrint's default stylesheet, trimmed of rules that style what a report never has, but cost on every element or
# page (measured on the demo client report: alternating renders for the first, instructions counted under Valgrind
# for the others, which the machine's noise does not blur):
# - five footnote and note pseudo-elements (``::footnote-call`` and the like) styled on every element: about 7 % of
#   the CPU (median pairwise ratio 0.93);
# - the ``@page`` rule's defaults for the footnote area, the note area and the twelve margin boxes the report
#   stylesheet leaves empty: WeasyPrint computes a style for each of them on every page, 3 % of the instructions. The
#   four margin boxes reports fill keep their defaults (`REPORT_MARGIN_BOXES`; the tests check report.css uses no
#   other);
# - the ``::marker`` rule for every element, which makes WeasyPrint compute a marker style for each, where only list
#   items have markers: ``li::marker``, 1 %.
REPORT_MARGIN_BOXES: Final[tuple[str, ...]] = ("top-left", "top-right", "bottom-left", "bottom-right")
_UNUSED_UA_RULES = re.compile(r"^::(?:footnote|note)-[a-z]+ \{[^}]*\}\n", re.MULTILINE)
_UNUSED_PAGE_AREAS = re.compile(rf"^ +@(?!(?:{'|'.join(REPORT_MARGIN_BOXES)}) )[a-z-]+ +\{{[^}}]*\}}\n", re.MULTILINE)
_EVERY_MARKER = re.compile(r"^::marker \{", re.MULTILINE)


def _trimmed(source: str) -> str:
    """WeasyPrint's default stylesheet text without the rules above."""
    source = _UNUSED_UA_RULES.sub("", source)
    source = _UNUSED_PAGE_AREAS.sub("", source)
    return _EVERY_MARKER.sub("li::marker {", source)


@functools.cache
def _report_ua_stylesheet() -> CSS | None:
    """WeasyPrint's default stylesheet, `_trimmed` (None: not found, the default is kept)."""
    source = Path(weasyprint.__file__).parent / "css" / "html5_ua.css"
    if not source.is_file():
        return None
    return CSS(string=_trimmed(source.read_text(encoding="utf-8")))


def _xml_tree(markup: str) -> ElementTree.Element | None:
    """The document as expat reads it, when it is well-formed XML with ``<html><head>…</head><body>…</body></html>``
    at its root; None otherwise (a brand's own template, a control character in a comment, a fragment).

    The report templates write such markup (void elements closed, no whitespace where HTML's parser would drop or
    move it; user text is escaped by Jinja2), and expat then builds the tree WeasyPrint's HTML5 parser builds, as
    the tests check for every shipped report and language. On the demo client report that is 1.5 ms against
    18 ms (tinyhtml5 is pure Python), about 3 % of a print. defusedxml refuses entity declarations and external
    references, which no report needs.
    """
    try:
        root = DefusedElementTree.fromstring(markup)
    except (ElementTree.ParseError, DefusedXmlException):
        return None
    return root if root.tag == "html" and [child.tag for child in root] == ["head", "body"] else None


class ReportHTML(HTML):  # type: ignore[misc] - WeasyPrint has no type hints
    """An HTML document parsed by `_xml_tree` when it can be (by WeasyPrint's HTML5 parser otherwise), with
    `_report_ua_stylesheet` as its default stylesheet (forms keep WeasyPrint's own)."""

    def __init__(self, string: str, base_url: str | None = None, url_fetcher: URLFetcher | None = None) -> None:
        root = _xml_tree(string)
        if root is None:
            super().__init__(string=string, base_url=base_url, url_fetcher=url_fetcher)
            return
        # What `HTML.__init__` does once its parser has made the tree (WeasyPrint 70; the tests compare the two).
        self.base_url = _find_base_url(root, base_url)
        self.url_fetcher = url_fetcher if url_fetcher is not None else URLFetcher()
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        lean = _report_ua_stylesheet()
        default: list[CSS] = super()._ua_stylesheets(forms)
        return [lean] if lean is not None and not forms else default


# In a worker process: one printer per set of roots, kept for every job it prints.
_PRINTERS: dict[tuple[Path, ...], Printer] = {}


def print_job(job: PrintJob, target: Path) -> None:
    """Print ``job`` to ``target`` atomically (under a temporary name, then renamed: a reader never sees half a
    file) with this process's kept printer. The function a worker process runs."""
    if job.roots not in _PRINTERS:
        _PRINTERS[job.roots] = Printer(job.roots)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".tmp-{os.getpid()}-{threading.get_ident()}-{target.name}")
    try:
        _PRINTERS[job.roots].pdf(job.html, job.css, job.base_url, temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
