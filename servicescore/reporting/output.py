"""Writing report PDFs: one at a time, every organisation on all cores, and the demo's two reports."""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from servicescore.definitions.reports.loading import load_brand, load_report
from servicescore.reporting.context import NoData, build_context
from servicescore.reporting.data import ReportData
from servicescore.reporting.numbers import Lang
from servicescore.reporting.parent_watch import ParentWatch, watch_parent
from servicescore.reporting.render import Renderer
from servicescore.reporting.request import ReportRequest, report_brand
from servicescore.settings import Settings

DataLoader = Callable[[Settings], ReportData]


@dataclass(frozen=True)
class Job:
    report: str
    organisations: tuple[str, ...]
    lang: Lang
    wave: str | None
    target: Path
    adjust_shoppers: bool = False


def renderer_for(settings: Settings) -> Renderer:
    return Renderer(settings.templates_dir, settings.reports_dir / "brands", settings.attachments_dir)


def write_report(settings: Settings, data: ReportData, renderer: Renderer, job: Job) -> Path:
    """Render one report to ``job.target``; NoData when the focus organisation has no answers to its instruments."""
    definition = load_report(settings.reports_dir, job.report)
    keys = tuple(data.find(name).key for name in job.organisations)
    brand = load_brand(settings.reports_dir / "brands", report_brand(data, definition, keys))
    request = ReportRequest(
        definition, keys, job.lang, job.wave, settings.min_group_size, adjust_shoppers=job.adjust_shoppers
    )
    context = build_context(data, request, brand)
    job.target.parent.mkdir(parents=True, exist_ok=True)
    renderer.pdf(context, brand, job.target)
    return job.target


def file_name(report: str, organisation: str, wave: str | None, lang: str) -> str:
    """``client-zorngarden-2026-Q3-sv.pdf``: the organisation's letters without their accents (Zorngården →
    zorngarden), anything else between them a hyphen."""
    letters = unicodedata.normalize("NFKD", organisation.casefold()).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", letters).strip("-")
    return f"{report}-{slug}-{wave or 'latest'}-{lang}.pdf"


# One renderer and one copy of the data per worker process, kept for every report that process writes.
_WORKER: dict[str, object] = {}


def _init_worker(settings: Settings, loader: DataLoader) -> None:
    _WORKER["settings"], _WORKER["data"], _WORKER["renderer"] = settings, loader(settings), renderer_for(settings)
    # The data lives as long as the worker: frozen out of the cyclic collector, whose full passes would otherwise
    # walk its ~190,000 objects during every render (demo client report: 948 -> 841 ms CPU, load 3.0).
    gc.freeze()


def _work(job: Job) -> tuple[Job, str | None]:
    try:
        write_report(_WORKER["settings"], _WORKER["data"], _WORKER["renderer"], job)  # type: ignore[arg-type]  # _WORKER holds objects
    except NoData as error:
        return job, str(error)
    return job, None


def write_all(
    settings: Settings, loader: DataLoader, jobs: Sequence[Job], processes: int | None = None
) -> Iterator[tuple[Job, str | None]]:
    """Write every job's PDF on ``processes`` worker processes (default: every core), yielding each as it is
    done with None or the reason it was skipped."""
    workers = max(1, min(processes or os.cpu_count() or 1, len(jobs)))
    # Spawned, not forked: Polars and the database driver hold threads, and a forked child can hang on their locks.
    context = multiprocessing.get_context("spawn")
    watch = ParentWatch(context)  # the workers end with this process, even when it is killed
    try:
        with ProcessPoolExecutor(
            workers, context, initializer=watch_parent, initargs=(watch.reader, _init_worker, (settings, loader))
        ) as pool:
            yield from pool.map(_work, jobs)
    finally:
        watch.close()


def write_demo_reports(settings: Settings, data: ReportData | None = None) -> list[Path]:
    """The demo's reports in the data dir's reports folder, in Swedish: the client report for Zorngården and
    the comparison of Zorngården with Carl Larssons gård."""
    if data is None:
        from servicescore.reporting.stored import from_snapshot  # noqa: PLC0415 - pulls in the database layer

        data = from_snapshot(settings)
    renderer = renderer_for(settings)
    out = settings.reports_out_dir
    jobs = [
        Job("client", ("zorngarden",), "sv", None, out / file_name("client", "zorngarden", None, "sv")),
        Job("comparison", ("zorngarden", "carl-larssons-gard"), "sv", None,
            out / file_name("comparison", "zorngarden-carl-larssons-gard", None, "sv")),
    ]  # fmt: skip
    return [write_report(settings, data, renderer, job) for job in jobs]
