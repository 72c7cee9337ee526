"""What a job can be: each kind's handler, and the periodic jobs.

A handler is an ``async`` function of a `JobRun` that returns one line saying what it did. It must be idempotent:
delivery is at least once (a worker killed after the work but before recording it runs the job again), so a
handler checks what is already done, or writes its result so that a second run replaces it with the same thing.
Raising `Refused` fails the job at once with its message; any other exception is retried with backoff, and its
first line becomes the reason the consultant sees after the last attempt.

    @job_kind("report")
    async def write_report(run: JobRun) -> str: ...

    periodic("mail-round", EVERY_MINUTE, mail_round)  # mail_round(settings, now), sync or async
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from huey import crontab

from servicescore.settings import Settings

EVERY_MINUTE: Final = crontab(minute="*")
EVERY_TEN_MINUTES: Final = crontab(minute="*/10")
EVERY_TEN_MINUTES_FROM_FIVE: Final = crontab(minute="5-59/10")


class Refused(Exception):
    """The job cannot succeed however often it is tried (bad payload, object gone): failed at once."""


@dataclass
class JobRun:
    """One attempt of one job, as its handler sees it."""

    id: int
    kind: str
    organisation: int | None
    payload: dict[str, Any]
    attempt: int
    settings: Settings
    report_progress: Callable[[int, int], Awaitable[None]] = field(repr=False)

    async def progress(self, done: int, total: int) -> None:
        """Record how far the job is (``done`` of ``total`` steps), for the console's progress bar."""
        await self.report_progress(done, total)


Handler = Callable[[JobRun], Awaitable[str]]
PeriodicFunction = Callable[[Settings, datetime], Any]  # returns what it did (str() of it is the job's line) or None


@dataclass(frozen=True)
class Periodic:
    kind: str
    schedule: Callable[[datetime], bool]  # huey's crontab: is this minute one to run at?


KINDS: dict[str, Handler] = {}
PERIODIC: dict[str, Periodic] = {}


def job_kind(kind: str) -> Callable[[Handler], Handler]:
    """Register ``handler`` for jobs of ``kind``."""

    def register(handler: Handler) -> Handler:
        KINDS[kind] = handler
        return handler

    return register


def periodic(kind: str, schedule: Callable[[datetime], bool], function: PeriodicFunction) -> None:
    """Run ``function(settings, now)`` as a job of ``kind`` at every minute ``schedule`` accepts (huey's
    ``crontab``), once across every worker that runs a scheduler; a sync function runs in a thread."""

    async def handler(run: JobRun) -> str:
        now = datetime.now(UTC)
        if inspect.iscoroutinefunction(function):
            outcome = await function(run.settings, now)
        else:
            outcome = await asyncio.to_thread(function, run.settings, now)
            if inspect.isawaitable(outcome):
                outcome = await outcome
        return "" if outcome is None else str(outcome)

    KINDS[kind] = handler
    PERIODIC[kind] = Periodic(kind, schedule)
