"""Report PDFs as jobs: one job per report, stored under ``reports/<file>.pdf`` in the storage (`servicescore.storage`:
the data dir's reports folder, or a bucket, so a job run on any worker machine is read on every other).

A job renders through `reporting.on_demand.report_pdf`, as a download does (checked, printed in the render worker
process, cached by everything the PDF is made from), then stores the PDF under its plain name. Running it twice
writes the same file again: the job is idempotent. An organisation without answers to report is skipped (done,
with the reason), as `report --all` always did; a report or organisation that no longer exists fails at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any, get_args

from servicescore.db.organisations import organisations
from servicescore.db.report_viewers import waves_with_answers
from servicescore.formats import Lang
from servicescore.jobs import enqueue_batch
from servicescore.jobs.registry import JobRun, Refused, job_kind
from servicescore.settings import Settings
from servicescore.storage import REPORTS, storage_for

KIND = "report"
SKIPPED = "skipped: no answers to report"  # the result of a job whose organisation has nothing to report


def report_payload(report: str, organisations: Sequence[str], wave: str | None, lang: str) -> dict[str, Any]:
    """What a report job needs: the report, organisation keys (the focus first), wave (None: latest), language and
    the file name it is written under in the reports folder."""
    from servicescore.reporting.output import file_name  # noqa: PLC0415 - the report code loads on use (5 s)

    name = file_name(report, "-".join(organisations), wave, lang)
    return {"report": report, "organisations": list(organisations), "wave": wave, "lang": lang, "file": name}


class BatchRefused(ValueError):
    """A batch of reports that cannot be made: ``field`` of the form, ``text`` the key of its message, ``value``
    what was asked, ``choices`` what may be asked instead."""

    def __init__(self, field: str, text: str, value: str = "", choices: Sequence[str] = ()) -> None:
        self.field, self.text, self.value, self.choices = field, text, value, list(choices)
        super().__init__(f"{field}: {value!r}")


async def start_report_batch(settings: Settings, report: str, wave: str | None, lang: str) -> str:
    """The console's batch: ``report`` for every organisation, checked first; the batch id. BatchRefused when the
    report is unknown or a comparison, the wave has no answers, or the language is not offered."""
    from servicescore.reporting.on_demand import report_choices  # noqa: PLC0415 - the report code loads on use

    choices = report_choices(settings)
    if report not in choices:
        raise BatchRefused("report", "reports.error.report", report, sorted(choices))
    if choices[report].kind == "comparison":
        raise BatchRefused("report", "reports.error.batch_comparison", report)
    if lang not in get_args(Lang):
        raise BatchRefused("lang", "reports.error.lang", lang)
    waves = await waves_with_answers()
    if wave is not None and wave not in waves:
        raise BatchRefused("wave", "reports.error.wave", wave, waves)
    everyone = [(organisation.slug, organisation.id) for organisation in await organisations()]
    batch, _ = await enqueue_reports(settings, report, everyone, wave, lang)
    return batch


async def enqueue_reports(
    settings: Settings, report: str, organisations: Sequence[tuple[str, int]], wave: str | None, lang: str
) -> tuple[str, list[int]]:
    """One report job per (organisation key, id), in one batch; the batch id and the job ids."""
    jobs = [
        (KIND, organisation_id, report_payload(report, (key,), wave, lang)) for key, organisation_id in organisations
    ]
    return await enqueue_batch(settings, jobs)


@job_kind(KIND)
async def write_report_job(run: JobRun) -> str:
    # The report code (Polars, the scoring core, WeasyPrint: about 5 s of imports) loads with the first report job,
    # not with every worker.
    from servicescore.reporting.on_demand import ReportRefused, ReportSpec, report_pdf  # noqa: PLC0415 - see above

    payload = run.payload
    name = Path(payload["file"]).name  # a file name only: the job never writes outside the reports
    spec = ReportSpec(payload["report"], tuple(payload["organisations"]), payload["wave"], payload["lang"])
    try:
        pdf = await report_pdf(run.settings, spec)
    except ReportRefused as refusal:
        if refusal.reason == "no_data":
            return SKIPPED
        raise Refused(str(refusal)) from None
    storage = storage_for(run.settings)
    await asyncio.to_thread(storage.put, f"{REPORTS}/{name}", pdf)  # whole or not at all: a reader never sees half
    await run.progress(1, 1)
    return f"{storage.location}/{REPORTS}/{name}"
