"""Finished HTML and CSS → tagged PDF with WeasyPrint, in a printer kept warm between reports.

This module imports WeasyPrint and the safe URL fetcher only: no Jinja2, no Polars, no report data. A process that
only prints (the web's render worker) therefore holds about 50 MB after its imports, against about 120 MB for one
that also builds report contexts; it receives a `PrintJob` (the HTML and stylesheet text, made by `render.Renderer`
where the data is) and writes the PDF.

It prints through WeasyPrint's public API only (``HTML``, ``CSS``, ``FontConfiguration``, the URL fetcher and
``write_pdf``'s documented options), so a WeasyPrint release within the range `pyproject.toml` allows can be taken
as it comes. A `Printer` keeps what does not change between reports, all of it handed to that API: one
``FontConfiguration``, the parsed stylesheet per stylesheet text (parsing registers its ``@font-face`` fonts, so
doing it once keeps repeated renders fast and their memory flat) and the image cache (``write_pdf``'s ``cache``
option), where WeasyPrint keeps each chart it has read, under its ``data:`` URL, for the next report that shows it.

While it prints, the cyclic garbage collector runs less often (`fewer_collections`): WeasyPrint allocates a few
hundred thousand objects per report, and with CPython's default thresholds the collector ran about 150 times per
demo report, its full collections walking every long-lived object of the process (measured on the demo client
report: 125 of about 790 ms CPU; 55–70 ms with fewer collections).
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration  # public: documented in WeasyPrint's API reference

from servicescore.reporting.fetcher import SafeFetcher

PDF_VARIANT: Final[str] = "pdf/ua-1"  # tagged PDF; checked by the tests (structure tree, language, title)
# WeasyPrint's image cache, kept between renders and emptied when it holds more than this many entries. A chart it
# keeps also keeps alive the layout of the document it was first printed in (about 1.2 MB: 12 demo client reports
# printed round after round held 352 MB with the cache kept, 338 MB with it emptied before each print), and what
# the cache saves is small (about 1 % of a demo client report printed again), so it is kept to about a dozen
# reports' charts, and a printer kept running for months stays flat in memory.
IMAGE_CACHE_LIMIT: Final[int] = 256
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
        self._images: dict[Any, Any] = {}  # WeasyPrint's own image cache (write_pdf's cache)

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
            result: bytes | None = HTML(string=html, base_url=base_url, url_fetcher=self.fetcher).write_pdf(
                target,
                stylesheets=[self.stylesheet(css, base_url)],
                font_config=self.font_config,
                pdf_variant=PDF_VARIANT,
                cache=self._images,
            )
        return result


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
