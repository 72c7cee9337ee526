"""Report PDFs on request (web downloads, the API): checked, rendered off the event loop, cached on disk.

``await report_pdf(settings, ReportSpec("client", ("zorngarden",), wave="2026-Q3", lang="sv"))`` returns the
PDF's bytes, kept in the storage (`servicescore.storage`: the data dir or a bucket every app process shares) under
``cache/reports/<key>.pdf``. The key is a digest of everything the PDF is made from (`cache_key`): a repeat request,
through this process or any other, is served from the stored file; a stored answer makes a new one.

Printing runs in a worker process kept running (one per application process), with one `printing.Printer` kept
in it: WeasyPrint is CPU-bound and holds the GIL, so a thread would still stall the event loop. The worker gets
the finished HTML and CSS (`printing.PrintJob`) and imports only WeasyPrint: about 90 MB at its peak on the demo
client report, where one that also loaded the data and built the context peaked at about 260 MB. Checking the
request, taking the data's fingerprint and building the HTML read the database, so they run in a thread. Two
requests for the same key at once share one print. The worker prints to a scratch file of this process, which is
then stored whole (on local disk under a temporary name and renamed), so a reader never sees half a PDF.

Refusals are `ReportRefused` with a `reason` a page or API turns into its own message and status:
``report`` (404), ``organisation`` (404: missing, or not the viewer's own: the two are never told apart),
``no_organisation``, ``too_few``, ``wave``, ``lang`` (400), ``no_data`` (404), ``adjust`` (403: a client
viewer asked for scores adjusted for shopper leniency, which only consultants choose).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import tempfile
import threading
from collections.abc import AsyncIterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Final, Literal, get_args

import polars as pl

from servicescore.db.locks import advisory_lock_async
from servicescore.definitions import DefinitionError
from servicescore.definitions.reports.loading import load_brand, load_report, report_files
from servicescore.definitions.reports.report import ReportDefinition
from servicescore.formats import Lang
from servicescore.reporting.cache_key import data_fingerprint, report_key
from servicescore.reporting.context import NoData, build_context
from servicescore.reporting.data import ReportData
from servicescore.reporting.output import file_name
from servicescore.reporting.parent_watch import ParentWatch, watch_parent
from servicescore.reporting.printing import PrintJob, print_job
from servicescore.reporting.render import Renderer
from servicescore.reporting.request import ReportRequest, report_brand, scorecards
from servicescore.results.shoppers import Adjustment, shopper_adjustments
from servicescore.settings import Settings
from servicescore.storage import Storage, storage_for

Reason = Literal["report", "organisation", "no_organisation", "too_few", "wave", "lang", "no_data", "adjust"]
STATUS: Final[dict[str, int]] = {
    "report": 404, "organisation": 404, "no_data": 404,
    "no_organisation": 400, "too_few": 400, "wave": 400, "lang": 400, "adjust": 403,
}  # fmt: skip
RENDER_WORKERS: Final[int] = 1  # per application process; more app processes give more renderers
CACHE_KEEP: Final[int] = 500  # PDFs kept in the cache; the least recently used beyond this are removed
CACHE: Final[str] = "cache/reports"  # the storage's prefix of cached PDFs


class ReportRefused(LookupError):
    """A request that cannot be a report: ``reason`` says which part, ``value`` what was asked, ``choices`` what
    could be asked instead (empty for organisations a client viewer may not see)."""

    def __init__(self, reason: Reason, value: str = "", choices: Sequence[str] = ()) -> None:
        self.reason, self.value, self.choices = reason, value, list(choices)
        self.status = STATUS[reason]
        listed = f"; choose one of: {', '.join(self.choices)}" if self.choices else ""
        super().__init__(f"{reason}: {value!r} cannot be reported{listed}")


@dataclass(frozen=True)
class ReportSpec:
    """What is asked for. ``organisations`` are keys or names, the first is the focus; ``wave`` None means the
    latest with answers. With ``viewer_organisation`` (a client viewer's organisation key) only that
    organisation and only reports that anonymise peers may be asked for; no organisation then means it."""

    report: str
    organisations: tuple[str, ...] = ()
    wave: str | None = None
    lang: str = "sv"
    viewer_organisation: str | None = None
    today: date = field(default_factory=date.today)
    # Scorecard indices adjusted for shopper leniency beside the unadjusted ones: a consultant's choice, never a
    # client viewer's (refused as ``adjust``).
    adjust_shoppers: bool = False


@dataclass(frozen=True)
class _Job:
    definition_file: Path
    organisations: tuple[str, ...]  # keys
    wave: str | None
    lang: Lang
    today: date
    scorecards: tuple[str, ...] | None = None  # to adjust for shopper leniency (None: the report is not adjusted)
    adjustments: Mapping[str, Adjustment] | None = None  # their offsets, read with the database open (`report_pdf`)


def report_choices(settings: Settings, viewer: bool = False) -> dict[str, ReportDefinition]:
    """The report definitions by id (file stem) that can be asked for; a viewer sees only anonymising ones."""
    found: dict[str, ReportDefinition] = {}
    for path in report_files(settings.reports_dir):
        try:
            definition = load_report(settings.reports_dir, str(path))
        except DefinitionError:
            continue  # `servicescore reports check` names the problem; a broken file is not offered
        if not viewer or (definition.kind == "client" and definition.peers == "anonymised"):
            found[path.stem] = definition
    return found


def _organisation_keys(data: ReportData, spec: ReportSpec) -> tuple[str, ...]:
    wanted = spec.organisations or ((spec.viewer_organisation,) if spec.viewer_organisation else ())
    if not wanted:
        raise ReportRefused("no_organisation")
    keys = []
    for name in wanted:
        try:
            key = data.find(name).key
        except KeyError:
            raise ReportRefused("organisation", name) from None
        if spec.viewer_organisation is not None and key != spec.viewer_organisation:
            raise ReportRefused("organisation", name)  # exactly as a missing one
        keys.append(key)
    return tuple(dict.fromkeys(keys))


def prepare(settings: Settings, spec: ReportSpec) -> tuple[str, _Job]:
    """Check ``spec`` against what exists and return (cache key, job). Blocking: reads the database."""
    from servicescore.reporting.stored import from_snapshot  # noqa: PLC0415 - the database layer, on use only

    if spec.lang not in get_args(Lang):
        raise ReportRefused("lang", spec.lang, get_args(Lang))
    if spec.adjust_shoppers and spec.viewer_organisation is not None:
        raise ReportRefused("adjust", "adjust_shoppers")
    choices = report_choices(settings, viewer=spec.viewer_organisation is not None)
    if spec.report not in choices:
        raise ReportRefused("report", spec.report, sorted(choices))
    definition = choices[spec.report]
    data = from_snapshot(settings)
    keys = _organisation_keys(data, spec)
    if definition.kind == "comparison" and len(keys) < 2:
        raise ReportRefused("too_few", spec.report)
    if spec.wave is not None and spec.wave not in data.waves:
        raise ReportRefused("wave", spec.wave, sorted(data.waves))
    brand = load_brand(settings.reports_dir / "brands", report_brand(data, definition, keys))
    definition_file = settings.reports_dir / f"{spec.report}.yaml"
    if not definition_file.is_file():
        definition_file = definition_file.with_suffix(".yml")
    key = report_key(
        settings, definition_file, brand, keys, spec.wave or "latest", spec.lang, spec.today,
        data_fingerprint(settings, data), adjust_shoppers=spec.adjust_shoppers,
    )  # fmt: skip
    adjusted = tuple(scorecards(data, definition)) if spec.adjust_shoppers else None
    return key, _Job(definition_file, keys, spec.wave, spec.lang, spec.today, adjusted)  # type: ignore[arg-type]  # checked above


# In the application process: one renderer (Jinja2 environments, stylesheet texts) per folder set, kept.
_RENDERERS: dict[tuple[Path, Path, Path], Renderer] = {}


def _renderer(settings: Settings) -> Renderer:
    folders = (settings.templates_dir, settings.reports_dir / "brands", settings.attachments_dir)
    if folders not in _RENDERERS:
        _RENDERERS[folders] = Renderer(*folders)
    return _RENDERERS[folders]


def compose_job(settings: Settings, job: _Job) -> PrintJob | str:
    """The finished HTML and CSS of ``job``; the focus's name instead when it has no answers to report. Blocking:
    reads the database."""
    from servicescore.reporting.stored import from_snapshot  # noqa: PLC0415 - the database layer, on use only

    data = from_snapshot(settings, job.adjustments)
    definition = load_report(settings.reports_dir, str(job.definition_file))
    focus = data.organisations[job.organisations[0]]
    if job.wave is not None and not any(
        data.answers(i).filter((pl.col("organisation") == focus.key) & (pl.col("wave") == job.wave)).height
        for i in definition.instrument
        if i in data.instruments
    ):
        return focus.name
    brand = load_brand(settings.reports_dir / "brands", report_brand(data, definition, job.organisations))
    request = ReportRequest(
        definition, job.organisations, job.lang, job.wave, settings.min_group_size, job.today,
        adjust_shoppers=job.adjustments is not None,
    )  # fmt: skip
    try:
        context = build_context(data, request, brand)
    except NoData:
        return focus.name
    return _renderer(settings).job(context, brand)


class _Pool:
    """The worker process (spawned on first use, replaced if it dies) and the renders under way, by key. The
    worker ends with this process however it ends, and at once when `stop` is called (`parent_watch`)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.executor: ProcessPoolExecutor | None = None
        self.watch: ParentWatch | None = None
        self.running: dict[str, Future[None]] = {}
        self.renders = 0  # renders started by this process: the tests' evidence of a cache hit
        self.hits = 0

    def submit(self, key: str, job: PrintJob, target: Path) -> Future[None]:
        with self.lock:
            if key in self.running:
                return self.running[key]
            if self.executor is None:
                # Spawned, not forked: Polars and the database drivers hold threads a fork would copy mid-lock;
                # the spawned worker imports `printing` (WeasyPrint) and what the main module imports, no more.
                context = multiprocessing.get_context("spawn")
                self.watch = ParentWatch(context)
                self.executor = ProcessPoolExecutor(
                    RENDER_WORKERS, context, initializer=watch_parent, initargs=(self.watch.reader,)
                )
            future = self.executor.submit(print_job, job, target)
            self.renders += 1
            self.running[key] = future
            future.add_done_callback(lambda _: self.forget(key))
            return future

    def forget(self, key: str) -> None:
        with self.lock:
            self.running.pop(key, None)

    def stop(self) -> None:
        """End the worker now, busy or not (prints under way fail with BrokenProcessPool); the next print spawns a
        new one. The server calls this when it shuts down."""
        with self.lock:
            if self.watch is not None:
                self.watch.close()
            if self.executor is not None:
                self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor, self.watch = None, None


POOL = _Pool()


def _scratch(key: str) -> Path:
    """Where this process's render worker prints the PDF of ``key`` before it is stored."""
    return Path(tempfile.gettempdir()) / f"servicescore-print-{os.getpid()}" / f"{key}.pdf"


def _store(storage: Storage, name: str, printed: Path) -> bytes:
    """Store the printed PDF under ``name`` and remove the scratch file; requests that shared the print find it
    stored (the scratch file is removed only after the store)."""
    try:
        data = printed.read_bytes()
    except FileNotFoundError:
        stored = storage.get(name)
        if stored is None:
            raise
        return stored
    storage.put(name, data)
    printed.unlink(missing_ok=True)
    return data


async def report_pdf(settings: Settings, spec: ReportSpec) -> bytes:
    """The PDF of ``spec``: from the cache when it was made from the same data, else rendered now in the worker
    process. ReportRefused when ``spec`` cannot be reported (see the module docstring)."""
    key, job = await asyncio.to_thread(prepare, settings, spec)
    storage, name = storage_for(settings), f"{CACHE}/{key}.pdf"
    cached = await asyncio.to_thread(storage.get, name)
    if cached is not None:
        POOL.hits += 1
        await asyncio.to_thread(storage.touch, name)  # recently used: pruning removes the others first
        return cached
    async with cache_fill(settings, key):
        made = await asyncio.to_thread(storage.get, name)  # by another machine while this one waited
        if made is not None:
            POOL.hits += 1
            return made
        if job.scorecards is not None:
            job = replace(job, adjustments=await shopper_adjustments(settings, job.scorecards))
        composed = await asyncio.to_thread(compose_job, settings, job)
        if isinstance(composed, str):
            raise ReportRefused("no_data", composed)
        for attempt in (1, 2):
            try:
                await asyncio.wrap_future(POOL.submit(key, composed, _scratch(key)))
                break
            except BrokenProcessPool:
                POOL.stop()  # the worker died (killed, out of memory): a new one gets one more try
                if attempt == 2:
                    raise
        data = await asyncio.to_thread(_store, storage, name, _scratch(key))
    await asyncio.to_thread(prune, storage)
    return data


@asynccontextmanager
async def cache_fill(settings: Settings, key: str) -> AsyncIterator[None]:
    """One machine at a time makes a PDF the cache lacks: on PostgreSQL the others wait for the advisory lock of
    its key and then find it made. The embedded database serves one machine, whose processes at worst print the
    same bytes twice."""
    if settings.is_sqlite:
        yield
        return
    async with advisory_lock_async(settings.database, f"report cache {key}"):
        yield


def prune(storage: Storage, keep: int = CACHE_KEEP) -> list[str]:
    """Remove all but the ``keep`` most recently used PDFs of the cache; the removed keys. On an object store "used"
    is "written" (an object's time cannot be touched): a PDF asked for often is made again after 500 others."""
    pdfs = [stored for stored in storage.list(CACHE) if stored.key.endswith(".pdf")]
    removed = [stored.key for stored in sorted(pdfs, key=lambda s: (s.modified, s.key), reverse=True)[keep:]]
    for key in removed:
        storage.delete(key)  # another process may have removed it first
    return removed


def content_disposition(kind: Literal["attachment", "inline"], name: str) -> str:
    """The ``content-disposition`` header of a PDF download named ``name`` (an ASCII name, `download_name`)."""
    return f'{kind}; filename="{name}"'


def download_name(spec: ReportSpec, organisation_names: Sequence[str] = ()) -> str:
    """The file name a browser saves: ``client-zorngarden-2026-Q3-sv.pdf``."""
    names = organisation_names or spec.organisations or (spec.viewer_organisation or "",)
    return file_name(spec.report, "-".join(names), spec.wave, spec.lang)
