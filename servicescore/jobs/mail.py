"""E-mail as jobs: the periodic mail round plans and hands the due messages to send jobs ("mail-send") of at most
`db.mail.SEND_BATCH` messages of one organisation each, which any worker runs, so two workers split a round.

A message is held by its send job while the job is queued or running (`db.mail.assign_send_jobs`, in the same
transaction that stores the job), so a round that runs again meanwhile never hands it out twice; a message that is
to be tried again later (a 4xx, a server that is down) is free once its job has finished, and a later round hands
it to a new job when its time comes. A send job run again (its worker died, or the queue delivered it twice) sends
only what is still pending: `mail.sending` records each message's state before the server can have it.

One round runs at a time across every worker: each worker's scheduler runs the periodic round, and a round that
finds another holding the round's lock (`db.locks.try_lock`, released when its process dies) skips at once instead
of planning the same contacts again after it; the next minute's round does what is left.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from servicescore.collections.addresses import AddressBook
from servicescore.db.locks import try_lock
from servicescore.db.mail import SEND_KIND, assign_send_jobs, job_messages
from servicescore.db.secret_key import resolve_secret_key
from servicescore.db.tables import Message
from servicescore.jobs import send_jobs
from servicescore.jobs.registry import JobRun, job_kind
from servicescore.mail.round import prepare_round, send_alerts
from servicescore.mail.sending import RoundReport, deliver
from servicescore.mail.transport import open_transport
from servicescore.settings import Settings

ROUND_LOCK = "mail round"
log = logging.getLogger("servicescore.jobs")


async def mail_round(settings: Settings, now: datetime) -> RoundReport:
    """The periodic round: plan, queue the send jobs, send the alerts, unless another round is under way. Its line
    says what it did."""
    async with try_lock(settings.database, ROUND_LOCK) as held:
        if not held:
            log.info("mail round skipped: another round is under way")
            return RoundReport(round_skipped=True)
        return await _locked_round(settings, now)


async def _locked_round(settings: Settings, now: datetime) -> RoundReport:
    engine = Message._meta.db
    book = AddressBook(resolve_secret_key(settings))
    report = await prepare_round(settings, engine, book, now)
    minute = now.replace(second=0, microsecond=0).isoformat()
    jobs = await assign_send_jobs(engine, now, minute=minute, max_attempts=settings.job_attempts)
    await send_jobs(settings, jobs)
    report.jobs = len(jobs)
    sender = open_transport(settings.smtp_url.get_secret_value(), settings.outbox_dir)
    try:
        await send_alerts(settings, engine, sender, now, report)
    finally:
        sender.close()
    return report


@job_kind(SEND_KIND)
async def send_batch(run: JobRun) -> str:
    """Send the job's messages over one connection; its result counts what became of them (JSON: sent, retry,
    failed, skipped), which the console's jobs page words in the consultant's language."""
    settings, now = run.settings, datetime.now(UTC)
    engine = Message._meta.db
    batch = await job_messages(run.id, now)
    report = RoundReport()
    sender = open_transport(settings.smtp_url.get_secret_value(), settings.outbox_dir)
    try:
        await run.progress(0, len(batch))
        await deliver(settings, engine, batch, sender, book=AddressBook(resolve_secret_key(settings)), now=now,
                      report=report, progress=run.progress)  # fmt: skip
    finally:
        sender.close()
    counts = {"sent": report.sent, "retry": report.retry, "failed": report.failed, "skipped": report.skipped}
    return json.dumps(counts, sort_keys=True)
