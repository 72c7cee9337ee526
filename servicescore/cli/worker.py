"""``servicescore worker``: background jobs from the job queue, in a process of their own.

Run as many as needed, on any machine that reaches the queue (``SERVICESCORE_QUEUE_URL``) and the database; then set
``SERVICESCORE_QUEUE_IN_PROCESS=false`` for `serve` (and `report --all`), so that only the workers run jobs.
"""

from __future__ import annotations

import asyncio
import signal
import sys

import click

from servicescore.cli.common import ready, run
from servicescore.settings import Settings, get_settings


async def _work(settings: Settings, workers: int) -> None:
    from servicescore.db.lifecycle import database
    from servicescore.jobs.queue import redact
    from servicescore.jobs.worker import SHUTDOWN_SECONDS, Runner

    loop = asyncio.get_running_loop()
    async with database(settings):
        runner = Runner(settings, loop, workers=workers)
        await runner.start()
        stop = asyncio.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        click.echo(f"worker {runner.name}: {workers} job(s) at once from {redact(settings.queue)} (Ctrl+C stops)")
        await stop.wait()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)  # a second Ctrl+C ends the process at once
        click.echo(f"stopping: jobs under way get {SHUTDOWN_SECONDS:.0f} s to finish, then go back to the queue")
        try:
            await runner.stop()
        finally:
            # The report render worker exists only when a report job ran (and loaded the report code): end it.
            if (reports := sys.modules.get("servicescore.reporting.on_demand")) is not None:
                reports.POOL.stop()
    click.echo("worker stopped")


@click.command("worker")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64), help="Jobs run at once.")
def worker(workers: int) -> None:
    """Run background jobs (such as report batches) from the job queue until SIGTERM or Ctrl+C.

    \b
    A job under way when the worker stops gets 30 s to finish, then goes back to the queue; a worker that is
    killed loses nothing either: its jobs run again (SERVICESCORE_JOB_HEARTBEAT_SECONDS × 3 later).
    """
    settings = get_settings()
    ready(settings)
    run(_work(settings, workers))
