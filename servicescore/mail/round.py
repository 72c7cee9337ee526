"""One mail round: read bounces, delete expired addresses, plan what is due, deliver it, then the alerts.

The periodic job "mail-round" (`jobs.mail`, every minute) runs the round's first part here (`prepare_round`), hands
the due messages to send jobs that any worker runs, and sends the alerts. ``run_mail_round`` is the whole round in
this process, batch after batch over one connection: the ``servicescore invitations send`` command and the demo.
Both send through `mail.sending`, which records each message's state so that a run killed at any moment leaves
nothing to be sent twice.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Any

from piccolo.engine.base import Engine

from servicescore.collections.addresses import AddressBook
from servicescore.collections.mail_plan import plan
from servicescore.db.alerts import (
    NewAlert,
    claim_alert,
    due_notices,
    mark_alert_sending,
    record_alerts,
    settle_abandoned_alerts,
)
from servicescore.db.mail import (
    delete_expired_details,
    due_message_ids,
    messages_by_id,
    planning_states,
    record_bounces,
    record_decisions,
    record_outcome,
    settle_abandoned,
)
from servicescore.db.secret_key import resolve_secret_key
from servicescore.db.tables import Alert, Message
from servicescore.mail.alerts import alert_words, compose_alert
from servicescore.mail.bounces import scan_maildir
from servicescore.mail.compose import new_message_id
from servicescore.mail.sending import RoundReport, classify, deliver
from servicescore.mail.transport import Transport, open_transport
from servicescore.settings import Settings

__all__ = ["RoundReport", "prepare_round", "run_mail_round", "send_alerts"]


async def prepare_round(settings: Settings, engine: Engine[Any], book: AddressBook, now: datetime) -> RoundReport:
    """Delete expired addresses, read the bounce folder, settle what a dead run left sending, and record the
    invitations and reminders that are due as pending messages."""
    report = RoundReport(deleted=await delete_expired_details(engine, now, settings.contact_retention_days))
    if settings.bounce_maildir is not None:
        scan = await asyncio.to_thread(scan_maildir, settings.bounce_maildir)
        digests = [book.digest(address) for address in sorted(scan.permanent)]
        report.bounced = await record_bounces(engine, digests, "hard bounce", now)
    report.sent += await settle_abandoned(engine, now)
    await settle_abandoned_alerts(engine, now)
    decisions = [
        (found.contact_id, decision, new_message_id(settings.mail_from))
        for found in await planning_states(now)
        for decision in plan(found.state, found.schedule, settings.contact_frequency_days, now)
    ]
    report.planned = await record_decisions(engine, decisions, now)
    return report


async def send_alerts(
    settings: Settings, engine: Engine[Any], sender: Transport, now: datetime, report: RoundReport
) -> None:
    """Record the alerts that are due, then send every pending one: each marked ``sending`` once the server holds it
    all but its final dot (as messages are, `mail.sending`), so a round killed at any moment never sends one twice;
    each outcome recorded at once."""
    alerts = [NewAlert(notice, *alert_words(notice, settings.base_url), new_message_id(settings.mail_from))
              for notice in await due_notices(now)]  # fmt: skip
    report.alerts = await record_alerts(engine, alerts, now)
    while (due := await claim_alert(engine, now)) is not None:
        message = compose_alert(due, sender=settings.mail_from, templates_dir=settings.templates_dir, now=now)
        outcome = await asyncio.to_thread(sender.send, message, _marker(engine, due.id, now))
        if outcome.status == "taken":  # another round is sending it
            continue
        status, reason, later = classify(due.attempts, outcome, now, report)
        await record_outcome(engine, due.id, status, reason, now, next_try_at=later, table=Alert)
        if outcome.unreachable:
            return


def _marker(engine: Engine[Any], alert: int, now: datetime) -> Callable[[], bool]:
    loop = asyncio.get_running_loop()

    def on_data() -> bool:  # on the transport's thread
        return asyncio.run_coroutine_threadsafe(mark_alert_sending(engine, alert, now), loop).result()

    return on_data


async def run_mail_round(settings: Settings, now: datetime, *, transport: Transport | None = None) -> RoundReport:
    """Plan the due invitations and reminders of every open collection and deliver every due message that no send
    job holds, in this process. The database must be open (``db.lifecycle.database``)."""
    engine = Message._meta.db
    book = AddressBook(resolve_secret_key(settings))
    report = await prepare_round(settings, engine, book, now)
    own = transport is None
    sender = transport or open_transport(settings.smtp_url.get_secret_value(), settings.outbox_dir)
    try:
        for _, ids in await due_message_ids(now):
            if await deliver(settings, engine, await messages_by_id(ids), sender, book=book, now=now, report=report):
                return report  # the server is unreachable: the rest waits for its retry time
        await send_alerts(settings, engine, sender, now, report)
    finally:
        if own:
            sender.close()
    return report
