"""One mail round: read bounces, delete expired addresses, plan what is due, deliver it, then the alerts.
``run_mail_round`` is meant to run every minute (a periodic job); it is also the ``servicescore invitations send``
command.

Messages are claimed a batch at a time (one write transaction), checked against their contacts' state once more,
then each is composed, handed to the transport and its outcome recorded at once, so a round killed mid-batch leaves
every message it sent recorded as sent (a rerun skips them: only pending messages are claimed, and each (contact,
step) has one row). The rest of the killed round's batch waits for its claim to run out (10 minutes); the one
message in flight when the process died is then sent again, with the same Message-ID.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from piccolo.engine.base import Engine

from servicescore.collections.addresses import AddressBook, Unsealable
from servicescore.collections.mail_plan import MAX_ATTEMPTS, plan, retry_delay, skip_reason
from servicescore.db.alerts import NewAlert, claim_alert, due_notices, record_alerts
from servicescore.db.logos import logos_dir, read_logo
from servicescore.db.mail import (
    DueMessage,
    Planned,
    claim_due,
    contact_states,
    delete_expired_details,
    planning_states,
    record_bounces,
    record_decisions,
    record_outcome,
    release,
)
from servicescore.db.secret_key import resolve_secret_key
from servicescore.db.tables import Alert, Message
from servicescore.definitions.reports.loading import load_brand
from servicescore.mail.alerts import alert_words, compose_alert
from servicescore.mail.bounces import scan_maildir
from servicescore.mail.compose import SurveyMail, compose, new_message_id
from servicescore.mail.transport import SENT, Outcome, Transport, open_transport
from servicescore.settings import Settings


@dataclass
class RoundReport:
    deleted: int = 0  # contacts whose address was deleted (collection closed past the retention period)
    bounced: int = 0  # contacts newly marked bounced from the bounce folder
    alerts: int = 0  # alerts noticed (new follow-up cases, returned visits, new assignments); sent counts them too
    planned: int = 0  # messages recorded as due (pending) or skipped by the frequency rule
    sent: int = 0
    retry: int = 0  # left pending for a later try (4xx, server down)
    failed: int = 0  # refused for good (5xx) or given up after MAX_ATTEMPTS tries
    skipped: int = 0  # the contact completed, opted out or bounced, the collection closed, or superseded

    def __str__(self) -> str:
        return self.line()

    def line(self) -> str:
        return (f"{self.sent} sent, {self.retry} to try again, {self.failed} failed, {self.skipped} skipped, "
                f"{self.planned} planned, {self.alerts} alert(s), {self.bounced} bounced, "
                f"{self.deleted} address(es) deleted")  # fmt: skip


@cache
def _brand_logo(brands_dir: Path, brand: str) -> tuple[bytes, str] | None:
    loaded = load_brand(brands_dir, brand)
    if loaded.key != brand:
        return None
    return loaded.logo.read_bytes(), "image/svg+xml" if loaded.logo.suffix.lower() == ".svg" else "image/png"


def _logo(settings: Settings, due: DueMessage) -> tuple[bytes, str] | None:
    """The organisation's uploaded logo, else its brand folder's, as its survey pages show it."""
    if due.logo_sha256 and (uploaded := read_logo(logos_dir(settings.data_dir), due.logo_sha256)):
        return uploaded.data, uploaded.content_type
    return _brand_logo(settings.reports_dir / "brands", due.brand) if due.brand else None


def _compose(settings: Settings, book: AddressBook, due: DueMessage) -> SurveyMail:
    details = book.open(due.sealed)
    base = settings.base_url.rstrip("/")
    return SurveyMail(
        to=details.email, name=details.name, language="en" if due.language == "en" else "sv", step=due.step,
        organisation=due.organisation, unit=due.unit, title=due.title(), closes_at=due.closes_at,
        survey_url=f"{base}/i/{details.token}?lang={due.language}",  # the survey opens in the contact's language
        opt_out_url=f"{base}/o/{book.opt_out_token(due.contact_id)}?lang={due.language}",
        colour=due.brand_colour, logo=_logo(settings, due), message_id=due.message_id,
    )  # fmt: skip


async def _deliver(
    settings: Settings,
    book: AddressBook,
    transport: Transport,
    due: DueMessage,
    now: datetime,
    *,
    found: Planned | None,
) -> Outcome | str:
    """The transport's outcome, or why the message is skipped instead."""
    if found is None:
        return "deleted"
    if (reason := skip_reason(found.state, due.step, found.schedule, settings.contact_frequency_days, now)) is not None:
        return reason
    if not due.sealed:
        return "deleted"
    try:
        mail = _compose(settings, book, due)
    except Unsealable:
        return "unreadable"
    message = compose(mail, sender=settings.mail_from, templates_dir=settings.templates_dir, now=now)
    return await asyncio.to_thread(transport.send, message)


async def _record(engine: Engine[Any], outcome: Outcome | str, now: datetime, report: RoundReport, *,
                  table: type[Message] | type[Alert], row: int, attempts: int) -> bool:  # fmt: skip
    """Record what became of the message or alert; True when the server could not be reached at all."""
    if isinstance(outcome, str):
        await record_outcome(engine, row, "skipped", outcome, now, table=table)
        report.skipped += 1
    elif outcome.status == "sent":
        await record_outcome(engine, row, "sent", "", now, table=table)
        report.sent += 1
    elif outcome.status == "failed" or attempts + 1 >= MAX_ATTEMPTS:
        reason = (
            outcome.reason if outcome.status == "failed" else f"gave up after {attempts + 1} tries: {outcome.reason}"
        )
        await record_outcome(engine, row, "failed", reason, now, table=table)
        report.failed += 1
    else:
        later = now + retry_delay(attempts + 1)
        await record_outcome(engine, row, "pending", outcome.reason, now, next_try_at=later, table=table)
        report.retry += 1
        return outcome.unreachable
    return False


async def _alerts(
    settings: Settings, engine: Engine[Any], sender: Transport, now: datetime, report: RoundReport
) -> None:
    """Record the alerts that are due, then send every pending one."""
    alerts = [NewAlert(notice, *alert_words(notice, settings.base_url), new_message_id(settings.mail_from))
              for notice in await due_notices(now)]  # fmt: skip
    report.alerts = await record_alerts(engine, alerts, now)
    while (due := await claim_alert(engine, now)) is not None:
        message = compose_alert(due, sender=settings.mail_from, templates_dir=settings.templates_dir, now=now)
        outcome = await asyncio.to_thread(sender.send, message)
        if await _record(engine, outcome, now, report, table=Alert, row=due.id, attempts=due.attempts):
            return


async def run_mail_round(settings: Settings, now: datetime, *, transport: Transport | None = None) -> RoundReport:
    """Plan the due invitations and reminders of every open collection and deliver every due message. The database
    must be open (``db.lifecycle.database``)."""
    engine = Message._meta.db
    book = AddressBook(resolve_secret_key(settings))
    report = RoundReport(deleted=await delete_expired_details(engine, now, settings.contact_retention_days))
    if settings.bounce_maildir is not None:
        scan = await asyncio.to_thread(scan_maildir, settings.bounce_maildir)
        digests = [book.digest(address) for address in sorted(scan.permanent)]
        report.bounced = await record_bounces(engine, digests, "hard bounce", now)
    decisions = [
        (found.contact_id, decision, new_message_id(settings.mail_from))
        for found in await planning_states(now)
        for decision in plan(found.state, found.schedule, settings.contact_frequency_days, now)
    ]
    report.planned = await record_decisions(engine, decisions, now)
    own = transport is None
    sender = transport or open_transport(settings.smtp_url.get_secret_value(), settings.outbox_dir)
    try:
        invited: set[tuple[int, str]] = set()  # (organisation, digest) invited by this round
        while batch := await claim_due(engine, now):
            states = await contact_states(engine, [due.contact_id for due in batch])
            for number, due in enumerate(batch):
                if due.step == 0 and (due.organisation_id, due.digest) in invited:
                    outcome: Outcome | str = "recently_invited"  # two collections' invitations in one batch
                else:
                    outcome = await _deliver(settings, book, sender, due, now, found=states.get(due.contact_id))
                if outcome == SENT and due.step == 0:
                    invited.add((due.organisation_id, due.digest))
                if await _record(engine, outcome, now, report, table=Message, row=due.id, attempts=due.attempts):
                    # the server is unreachable: the rest waits for the next round, not each for the same timeout
                    await release(engine, [later.id for later in batch[number + 1 :]])
                    return report
        await _alerts(settings, engine, sender, now, report)
    finally:
        if own:
            sender.close()
    return report
