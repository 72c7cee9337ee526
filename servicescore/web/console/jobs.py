"""``/console/jobs`` and ``/console/organisations/{id}/jobs``: background jobs as the job table has them (queued,
running, failed with the reason, done), each batch's progress; the page reloads itself while any job is under way."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from litestar import get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from servicescore.db.jobs import JobRow, jobs
from servicescore.db.mail import SEND_KIND
from servicescore.db.organisations import slug_and_name
from servicescore.web.pages import AnyRequest, page

UNDER_WAY = frozenset({"queued", "running"})
RELOAD_SECONDS = 3


@dataclass(frozen=True, slots=True)
class Batch:
    """Jobs enqueued together (a batch of reports, a mail round's send jobs): how many, how many finished, how many
    failed; when the first was queued and, once all are finished, when the last finished (what tells two rounds of
    the same kind apart)."""

    id: str
    kind: str
    total: int
    done: int
    failed: int
    queued_at: datetime
    finished_at: datetime | None

    @property
    def finished(self) -> int:
        return self.done + self.failed


def batches(rows: list[JobRow]) -> list[Batch]:
    """The batches of more than one job among ``rows``, newest first."""
    grouped: dict[str, list[JobRow]] = {}
    for row in rows:
        grouped.setdefault(row.batch, []).append(row)
    return [_batch(batch, members) for batch, members in grouped.items() if len(members) > 1]


def _batch(batch: str, members: list[JobRow]) -> Batch:
    ends = [row.finished_at for row in members if row.status in ("done", "failed") and row.finished_at is not None]
    finished_at = max(ends) if len(ends) == len(members) else None
    return Batch(
        batch,
        members[0].kind,
        len(members),
        done=sum(r.status == "done" for r in members),
        failed=sum(r.status == "failed" for r in members),
        queued_at=min(r.created_at for r in members),
        finished_at=finished_at,
    )


def mail_counts(rows: list[JobRow]) -> dict[int, dict[str, int]]:
    """Job id → what a finished send job did (sent, retry, failed, skipped), for the page to word."""
    return {row.id: json.loads(row.result) for row in rows if row.kind == SEND_KIND and row.status == "done"}


def _page(request: AnyRequest, rows: list[JobRow], organisation: tuple[int, str] | None) -> Template:
    reload = RELOAD_SECONDS if any(row.status in UNDER_WAY for row in rows) else 0
    chosen = request.query_params.get("batch", "")
    return page(request, "console/jobs.html", jobs=rows, batches=batches(rows), organisation=organisation,
                chosen_batch=chosen, reload=reload, mail=mail_counts(rows))  # fmt: skip


@get("/jobs")
async def jobs_page(request: AnyRequest) -> Template:
    return _page(request, await jobs(), None)


@get("/organisations/{organisation_id:int}/jobs")
async def organisation_jobs_page(request: AnyRequest, organisation_id: FromPath[int]) -> Template:
    found = await slug_and_name(organisation_id)
    if found is None:
        raise NotFoundException()
    return _page(request, await jobs(organisation_id), (organisation_id, found[1]))


HANDLERS = [jobs_page, organisation_jobs_page]
