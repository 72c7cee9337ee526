"""Writing report PDFs in this process: one report (`servicescore report`) and the demo's two. A batch of reports
(`report --all`, the console's batch) runs as jobs on the queue instead (`servicescore.jobs.reports`)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from servicescore.definitions.reports.loading import load_brand, load_report
from servicescore.formats import Lang
from servicescore.reporting.context import build_context
from servicescore.reporting.data import ReportData
from servicescore.reporting.render import Renderer
from servicescore.reporting.request import ReportRequest, report_brand
from servicescore.settings import Settings


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
