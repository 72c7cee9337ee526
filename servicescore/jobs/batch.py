"""Waiting for a batch of jobs, as a command does: with a runner of its own unless separate workers run them."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from servicescore.db.jobs import JobRow, batch_jobs
from servicescore.jobs.reports import SKIPPED
from servicescore.jobs.worker import IN_PROCESS_WORKERS, Runner
from servicescore.settings import Settings

POLL_SECONDS = 0.2
FINISHED = frozenset({"done", "failed"})


async def wait_for_batch(
    settings: Settings, batch: str, on_progress: Callable[[int, int], None] | None = None
) -> list[JobRow]:
    """Every job of ``batch`` once all are done or failed; ``on_progress(finished, total)`` after each look. With
    ``queue_in_process`` (the default) this process runs a runner meanwhile, without the periodic jobs (a report
    command sends no mail); otherwise `servicescore worker`s do."""
    runner = (
        Runner(settings, asyncio.get_running_loop(), workers=IN_PROCESS_WORKERS, periodic=False)
        if settings.queue_in_process
        else None
    )
    if runner is not None:
        await runner.start()
    try:
        while True:
            rows = await batch_jobs(batch)
            finished = sum(row.status in FINISHED for row in rows)
            if on_progress is not None:
                on_progress(finished, len(rows))
            if finished == len(rows):
                return rows
            await asyncio.sleep(POLL_SECONDS)
    finally:
        if runner is not None:
            await runner.stop()


def report_lines(rows: list[JobRow]) -> tuple[list[str], list[str]]:
    """(skipped, failed) lines of finished report jobs: ``organisation: reason``."""
    skipped = [f"{row.organisation_name}: {row.result.removeprefix('skipped: ')}" for row in rows
               if row.status == "done" and row.result == SKIPPED]  # fmt: skip
    failed = [f"{row.organisation_name}: {row.reason}" for row in rows if row.status == "failed"]
    return skipped, failed
