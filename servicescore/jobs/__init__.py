"""Background work on a job queue (huey): report batches today; other work plugs in as a job kind or a periodic job.

The rest of the code uses three things:

- ``await enqueue(settings, "report", {...}, organisation=id)`` → the job's id; `enqueue_batch` for many at once,
  under one batch id whose progress a command or page follows (`db.jobs.batch_jobs`);
- ``@job_kind("report")`` on an ``async def handler(run: JobRun) -> str`` (`registry`), which must be idempotent;
- ``periodic("mail-round", EVERY_MINUTE, mail_round)`` in `kinds` for work on a schedule.

The job table (`db.jobs`) is the truth the consultant sees (queued / running / failed with reason / done,
attempts, progress); the queue only carries job ids to the workers (`queue`), which `worker.Runner` runs: inside
`servicescore serve`, `demo` and `report --all` when ``SERVICESCORE_QUEUE_IN_PROCESS`` is true (the default), else
in `servicescore worker` processes on any machine that reaches the queue and the database.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from servicescore.db import jobs as table
from servicescore.jobs.queue import Queue
from servicescore.settings import Settings

_SENDERS: dict[str, Queue] = {}  # one handle per queue URL in a process that only sends


def _sender(settings: Settings) -> Queue:
    if settings.queue not in _SENDERS:
        _SENDERS[settings.queue] = Queue(settings.queue)
    return _SENDERS[settings.queue]


def probe(settings: Settings) -> None:
    """Reach the queue this process sends to (blocking); `queue.QueueUnreachable` when it cannot."""
    _sender(settings).probe()


def _send_all(settings: Settings, ids: Sequence[int]) -> None:
    queue = _sender(settings)
    for job_id in ids:
        queue.send(job_id)


async def send_jobs(settings: Settings, ids: Sequence[int]) -> None:
    """Send jobs already stored as queued (by a write that stored them with other rows) to the queue."""
    await asyncio.to_thread(_send_all, settings, ids)


async def enqueue_batch(
    settings: Settings, jobs: Sequence[tuple[str, int | None, Mapping[str, Any]]]
) -> tuple[str, list[int]]:
    """Store (kind, organisation id or None, JSON payload) jobs as queued, then send them to the queue; the batch id
    and the job ids. Stored first: a process that dies before sending leaves queued jobs that recovery sends."""
    batch = str(uuid.uuid4())
    rows = [(kind, organisation, json.dumps(payload, sort_keys=True)) for kind, organisation, payload in jobs]
    ids = await table.insert_jobs(rows, batch=batch, max_attempts=settings.job_attempts, now=datetime.now(UTC))
    await asyncio.to_thread(_send_all, settings, ids)
    return batch, ids


async def enqueue(settings: Settings, kind: str, payload: Mapping[str, Any], organisation: int | None = None) -> int:
    """Store one job and send it; its id."""
    _, (job_id,) = await enqueue_batch(settings, [(kind, organisation, payload)])
    return job_id
