"""The job table: the truth about background work (`servicescore.jobs` runs it).

Every change of state is one conditional UPDATE, so two workers that got the same job (a message sent twice, a
worker wrongly taken for dead) never both run it: only the one whose claim matched a queued row runs, and only the
run that holds the row's current attempt may finish it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from servicescore.db.tables import Job, Organisation

job_key = Job._meta.primary_key
organisation_key = Organisation._meta.primary_key

STATUSES = ("queued", "running", "failed", "done")


@dataclass(frozen=True)
class JobRow:
    """One job as the console and the commands show it."""

    id: int
    kind: str
    organisation: int | None
    organisation_name: str
    batch: str
    payload: str
    status: str
    reason: str
    result: str
    attempts: int
    max_attempts: int
    progress_done: int
    progress_total: int
    created_at: datetime
    run_after: datetime
    started_at: datetime | None
    finished_at: datetime | None
    heartbeat_at: datetime | None


_COLUMNS = (
    job_key, Job.kind, Job.organisation, Job.organisation.name, Job.batch, Job.payload, Job.status, Job.reason,
    Job.result, Job.attempts, Job.max_attempts, Job.progress_done, Job.progress_total, Job.created_at, Job.run_after,
    Job.started_at, Job.finished_at, Job.heartbeat_at,
)  # fmt: skip


def _row(row: dict[str, Any]) -> JobRow:
    return JobRow(
        id=row["id"], kind=row["kind"], organisation=row["organisation"],
        organisation_name=row["organisation.name"] or "", batch=row["batch"], payload=row["payload"],
        status=row["status"], reason=row["reason"], result=row["result"], attempts=row["attempts"],
        max_attempts=row["max_attempts"], progress_done=row["progress_done"], progress_total=row["progress_total"],
        created_at=row["created_at"], run_after=row["run_after"], started_at=row["started_at"],
        finished_at=row["finished_at"], heartbeat_at=row["heartbeat_at"],
    )  # fmt: skip


async def insert_jobs(
    jobs: Sequence[tuple[str, int | None, str]], *, batch: str, max_attempts: int, now: datetime
) -> list[int]:
    """Store (kind, organisation id, payload JSON) jobs as queued in one statement; their ids in the same order."""
    if not jobs:
        return []
    rows = [
        Job(kind=kind, organisation=organisation, payload=payload, batch=batch, max_attempts=max_attempts,
            created_at=now, run_after=now)
        for kind, organisation, payload in jobs
    ]  # fmt: skip
    inserted = await Job.insert(*rows).returning(job_key).run()
    return [int(row["id"]) for row in inserted]


async def insert_once(kind: str, payload: str, dedupe_key: str, *, max_attempts: int, now: datetime) -> int | None:
    """A job stored only if none has ``dedupe_key`` yet (a periodic run enqueued by several schedulers); its id, or
    None when another scheduler stored it first."""
    row = Job(kind=kind, payload=payload, dedupe_key=dedupe_key, max_attempts=max_attempts, created_at=now,
              run_after=now)  # fmt: skip
    inserted = await Job.insert(row).on_conflict(target=Job.dedupe_key, action="DO NOTHING").returning(job_key).run()
    return int(inserted[0]["id"]) if inserted else None


async def organisation_id(key: str) -> int | None:
    """The id of the organisation with this slug, or None."""
    row = await Organisation.select(organisation_key).where(Organisation.slug == key).first().run()
    return int(row["id"]) if row else None


async def claim(job_id: int, worker: str, now: datetime) -> JobRow | None:
    """Take a queued, due job for ``worker``: it becomes running with one more attempt. None when it is not queued
    and due (running elsewhere, finished, waiting for its retry time, or gone)."""
    taken = await (
        Job.update(
            {
                Job.status: "running",
                Job.attempts: Job.attempts + 1,
                Job.started_at: now,
                Job.heartbeat_at: now,
                Job.worker: worker,
                Job.progress_done: 0,
            }
        )
        .where((job_key == job_id) & (Job.status == "queued") & (Job.run_after <= now))
        .returning(job_key)
        .run()
    )
    return await get(job_id) if taken else None


async def get(job_id: int) -> JobRow | None:
    row = await Job.select(*_COLUMNS).where(job_key == job_id).first().run()
    return _row(row) if row else None


def _current(job_id: int, attempt: int) -> Any:
    """The run holding the row: running on this attempt (a run superseded after being taken for dead is not)."""
    return (job_key == job_id) & (Job.status == "running") & (Job.attempts == attempt)


async def heartbeat(runs: Sequence[tuple[int, int]], now: datetime) -> None:
    """Refresh the heartbeat of each (job id, attempt) still running."""
    for job_id, attempt in runs:
        await Job.update({Job.heartbeat_at: now}).where(_current(job_id, attempt)).run()


async def set_progress(job_id: int, attempt: int, done: int, total: int) -> None:
    await Job.update({Job.progress_done: done, Job.progress_total: total}).where(_current(job_id, attempt)).run()


async def finish(job_id: int, attempt: int, result: str, now: datetime) -> bool:
    """The run succeeded: done, with what it did. False when the run no longer held the job."""
    updated = await (
        Job.update(
            {Job.status: "done", Job.result: result, Job.reason: "", Job.finished_at: now, Job.heartbeat_at: None}
        )
        .where(_current(job_id, attempt))
        .returning(job_key)
        .run()
    )
    return bool(updated)


async def retry_later(job_id: int, attempt: int, reason: str, run_after: datetime) -> bool:
    """The attempt failed and another is allowed: queued again until ``run_after``, with the reason kept."""
    updated = await (
        Job.update({Job.status: "queued", Job.reason: reason, Job.run_after: run_after, Job.heartbeat_at: None})
        .where(_current(job_id, attempt))
        .returning(job_key)
        .run()
    )
    return bool(updated)


async def fail(job_id: int, attempt: int, reason: str, now: datetime) -> bool:
    """The last attempt failed (or the job cannot succeed): failed, with the reason."""
    updated = await (
        Job.update({Job.status: "failed", Job.reason: reason, Job.finished_at: now, Job.heartbeat_at: None})
        .where(_current(job_id, attempt))
        .returning(job_key)
        .run()
    )
    return bool(updated)


async def requeue_stale(stale_before: datetime, now: datetime) -> list[int]:
    """Running jobs whose heartbeat stopped before ``stale_before`` (their worker died): queued again, due now.
    Their attempt counts; the ids, so the caller sends them to the queue again."""
    rows = await (
        Job.update(
            {
                Job.status: "queued",
                Job.run_after: now,
                Job.heartbeat_at: None,
                Job.reason: "the worker running it stopped",
            }
        )
        .where((Job.status == "running") & (Job.heartbeat_at < stale_before))
        .returning(job_key)
        .run()
    )
    return sorted(int(row["id"]) for row in rows)


async def queued_due(before: datetime) -> list[int]:
    """Queued jobs due before ``before``: the candidates for a message lost on the way to the queue."""
    rows = await Job.select(job_key).where((Job.status == "queued") & (Job.run_after < before)).order_by(job_key)
    return [int(row["id"]) for row in rows]


async def jobs(organisation: int | None = None, limit: int = 200) -> list[JobRow]:
    """The newest jobs first, of one organisation or of every organisation (periodic system work left out)."""
    condition = Job.organisation == organisation if organisation is not None else Job.organisation.is_not_null()
    rows = await Job.select(*_COLUMNS).where(condition).order_by(job_key, ascending=False).limit(limit).run()
    return [_row(row) for row in rows]


async def batch_jobs(batch: str) -> list[JobRow]:
    """Every job of a batch, in the order they were enqueued."""
    rows = await Job.select(*_COLUMNS).where(Job.batch == batch).order_by(job_key).run()
    return [_row(row) for row in rows]


async def prune_periodic(before: datetime) -> int:
    """Finished periodic runs (stored with a dedupe key) older than ``before`` are deleted; how many."""
    rows = await (
        Job.delete()
        .where(Job.dedupe_key.is_not_null() & Job.status.is_in(["done", "failed"]) & (Job.finished_at < before))
        .returning(job_key)
        .run()
    )
    return len(rows)


async def release(job_id: int, attempt: int) -> bool:
    """A run interrupted by its worker's shutdown: queued again, due now, its attempt not counted."""
    updated = await (
        Job.update(
            {
                Job.status: "queued",
                Job.attempts: Job.attempts - 1,
                Job.run_after: datetime.now(UTC),
                Job.heartbeat_at: None,
            }
        )
        .where(_current(job_id, attempt))
        .returning(job_key)
        .run()
    )
    return bool(updated)
