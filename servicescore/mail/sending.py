"""Sending a batch of survey messages over one transport (one SMTP connection), the part of a mail round that a
send job runs (`jobs.mail`) and `invitations send` runs itself.

Each message's state is committed before the server can have it and its outcome right after, in one write
transaction a message: the transaction that marks message k as ``sending`` (`db.mail.mark_sending`) also records
the outcome of message k − 1 and of any skipped since, and the mark is made once the server has accepted the
recipient and holds the whole message but its final dot (`transport.OnData`). So, whenever the process dies:

- a message still ``pending`` never reached the server whole (a line that drops mid-message is thrown away), and a
  later run sends it;
- a message ``sending`` reached the server whole before the mark was committed, and only the final dot (a few
  bytes written right after the commit returns) stands between it and the server taking it: it is recorded as sent
  (``db.mail.UNCONFIRMED``), never sent again. The one way this loses a message is a death in the instant between
  the commit and that write, or a server that refuses at the final dot just as the process dies: at most one
  message per crash, and a reminder still follows it, since it counts as sent.

Sending again after an unknown reply could not be made safe: the server's acceptance and our record of it are two
commits in two systems, and a death between them leaves the sender the same knowledge whether the server took the
message or not. Marking before the final dot keeps that gap to one write, and resolving it towards "sent" means no
one is ever mailed twice for the same step.

What is the same for every message of the batch is worked out once: the contacts' states (one read), the survey's
title per version and language, the logo per organisation, the templates (compiled once per process). One message
is on its way at a time, over one connection; the next is composed meanwhile.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

from piccolo.engine.base import Engine

from servicescore.collections.addresses import AddressBook, Unsealable
from servicescore.collections.mail_plan import MAX_ATTEMPTS, retry_delay, skip_reason
from servicescore.db.logos import read_logo
from servicescore.db.mail import (
    UNCONFIRMED,
    DueMessage,
    Planned,
    Recorded,
    contact_states,
    mark_sending,
    record_messages,
)
from servicescore.definitions import Instrument
from servicescore.definitions.reports.loading import load_brand
from servicescore.mail.compose import SurveyComposer, SurveyMail
from servicescore.mail.transport import Flat, Outcome, Transport
from servicescore.settings import Settings
from servicescore.storage import storage_for

PROGRESS_EVERY = 50  # messages between two progress records of a send job


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
    jobs: int | None = None  # send jobs queued (a periodic round hands its messages to them); None: sent itself
    round_skipped: bool = False  # a periodic round that found another under way and did nothing

    def __str__(self) -> str:
        return self.line()

    def line(self) -> str:
        if self.round_skipped:
            return "skipped: another mail round was under way"
        line = (f"{self.sent} sent, {self.retry} to try again, {self.failed} failed, {self.skipped} skipped, "
                f"{self.planned} planned, {self.alerts} alert(s), {self.bounced} bounced, "
                f"{self.deleted} address(es) deleted")  # fmt: skip
        return line if self.jobs is None else f"{line}, {self.jobs} send job(s) queued"


@cache
def _brand_logo(brands_dir: Path, brand: str) -> tuple[bytes, str] | None:
    loaded = load_brand(brands_dir, brand)
    if loaded.key != brand:
        return None
    return loaded.logo.read_bytes(), "image/svg+xml" if loaded.logo.suffix.lower() == ".svg" else "image/png"


class Composer:
    """Survey messages of one batch, with what they share read once."""

    def __init__(self, settings: Settings, book: AddressBook, now: datetime) -> None:
        self.settings, self.book, self.now = settings, book, now
        self.base = settings.base_url.rstrip("/")
        self.composer = SurveyComposer(sender=settings.mail_from, templates_dir=settings.templates_dir, now=now)
        self._titles: dict[tuple[int, str], str] = {}
        self._logos: dict[tuple[str, str], tuple[bytes, str] | None] = {}

    def title(self, due: DueMessage) -> str:
        language: Literal["sv", "en"] = "en" if due.language == "en" else "sv"
        if (key := (due.version, language)) not in self._titles:
            self._titles[key] = Instrument.model_validate_json(due.definition).title.pick(language)
        return self._titles[key]

    def logo(self, due: DueMessage) -> tuple[bytes, str] | None:
        """The organisation's uploaded logo, else its brand folder's, as its survey pages show it."""
        if (key := (due.logo_sha256, due.brand)) not in self._logos:
            uploaded = read_logo(storage_for(self.settings), due.logo_sha256) if due.logo_sha256 else None
            if uploaded is not None:
                self._logos[key] = uploaded.data, uploaded.content_type
            else:
                self._logos[key] = _brand_logo(self.settings.reports_dir / "brands", due.brand) if due.brand else None
        return self._logos[key]

    def message(self, due: DueMessage) -> Flat:
        """The message to the contact; Unsealable when its details cannot be opened."""
        details = self.book.open(due.sealed)
        mail = SurveyMail(
            to=details.email, name=details.name, language="en" if due.language == "en" else "sv", step=due.step,
            organisation=due.organisation, unit=due.unit, title=self.title(due), closes_at=due.closes_at,
            survey_url=f"{self.base}/i/{details.token}?lang={due.language}",  # opens in the contact's language
            opt_out_url=f"{self.base}/o/{self.book.opt_out_token(due.contact_id)}?lang={due.language}",
            colour=due.brand_colour, logo=self.logo(due), message_id=due.message_id,
        )  # fmt: skip
        return self.composer.compose(mail)


def _skip(settings: Settings, due: DueMessage, found: Planned | None, now: datetime, invited: set[Any]) -> str | None:
    """Why the message must not go out, or None."""
    if found is None or not due.sealed:
        return "deleted"
    if (reason := skip_reason(found.state, due.step, found.schedule, settings.contact_frequency_days, now)) is not None:
        return reason
    if due.step == 0 and (due.organisation_id, due.digest) in invited:
        return "recently_invited"  # two collections' invitations to one address in one batch
    return None


def classify(attempts: int, outcome: Outcome, now: datetime, report: RoundReport) -> tuple[str, str, datetime | None]:
    """(status, reason, next try) to record for a message or alert tried ``attempts`` times before, counted in
    ``report``: sent; failed for good (a 5xx, or the last of MAX_ATTEMPTS tries); or pending until its retry time."""
    if outcome.status == "sent":
        report.sent += 1
        return "sent", "", None
    if outcome.status == "failed" or attempts + 1 >= MAX_ATTEMPTS:
        report.failed += 1
        gave_up = f"gave up after {attempts + 1} tries: {outcome.reason}"
        return "failed", outcome.reason if outcome.status == "failed" else gave_up, None
    report.retry += 1
    return "pending", outcome.reason, now + retry_delay(attempts + 1)


class _Batch:
    """One batch on its way: the outcomes not yet committed, the addresses invited, the message in flight."""

    def __init__(self, settings: Settings, engine: Engine[Any], transport: Transport, composer: Composer, *,
                 states: dict[int, Planned], report: RoundReport) -> None:  # fmt: skip
        self.settings, self.engine, self.transport, self.composer = settings, engine, transport, composer
        self.states, self.report, self.now = states, report, composer.now
        self.loop = asyncio.get_running_loop()
        self.records: list[Recorded] = []  # appended on the loop only while no message is in flight
        self.invited: set[tuple[int, str]] = set()  # (organisation, digest) invited by this batch
        self.flight: tuple[DueMessage, asyncio.Future[Outcome]] | None = None

    def _marker(self, due: DueMessage) -> Callable[[], bool]:
        def on_data() -> bool:  # on the transport's thread, with the message on the server but its final dot
            flushed = list(self.records)
            marking = mark_sending(self.engine, flushed, due.id, self.now)
            marked = asyncio.run_coroutine_threadsafe(marking, self.loop).result()
            del self.records[: len(flushed)]
            return marked

        return on_data

    def launch(self, due: DueMessage, message: Flat) -> None:
        sending = asyncio.to_thread(self.transport.send, message, self._marker(due))
        self.flight = (due, asyncio.ensure_future(sending))

    async def land(self) -> Outcome | None:
        """Wait for the message in flight and record its outcome; the outcome when the server was unreachable."""
        if self.flight is None:
            return None
        due, sending = self.flight
        outcome = await asyncio.shield(sending)  # a cancelled job still waits for the thread (`settle`)
        self.flight = None
        if outcome.status == "taken":
            return None
        self.records.append(Recorded(due.id, *classify(due.attempts, outcome, self.now, self.report)))
        if outcome.status == "sent" and due.step == 0:
            self.invited.add((due.organisation_id, due.digest))
        return outcome if outcome.unreachable else None

    def compose(self, due: DueMessage) -> Flat | str:
        """The message, or why there is none to send (before the contact's state is checked)."""
        if due.status == "sending" or not due.sealed:
            return "deleted"
        try:
            return self.composer.message(due)
        except Unsealable:
            return "unreadable"

    def settled(self, due: DueMessage, message: Flat | str) -> bool:
        """Record a message that is not to be sent (left sending by a dead run, or skipped); False to send it."""
        if due.status == "sending":  # left by a run of this job that died after handing it to the server
            self.records.append(Recorded(due.id, "sent", UNCONFIRMED))
            self.report.sent += 1
            return True
        reason = _skip(self.settings, due, self.states.get(due.contact_id), self.now, self.invited)
        if reason is None and isinstance(message, str):
            reason = message
        if reason is not None:
            self.records.append(Recorded(due.id, "skipped", reason))
            self.report.skipped += 1
        return reason is not None

    def put_off(self, rest: Sequence[DueMessage], outcome: Outcome) -> None:
        for later in rest:
            if later.status == "pending":
                self.records.append(Recorded(later.id, *classify(later.attempts, outcome, self.now, self.report)))

    async def settle(self) -> None:
        """After an error or a cancellation: let the message in flight land, then commit every outcome."""
        if self.flight is not None:
            sending = self.flight[1]
            await asyncio.wait([sending])
            if not sending.cancelled() and sending.exception() is None:
                await self.land()
        await record_messages(self.engine, self.records, self.now)


async def deliver(
    settings: Settings,
    engine: Engine[Any],
    batch: Sequence[DueMessage],
    transport: Transport,
    *,
    book: AddressBook,
    now: datetime,
    report: RoundReport,
    progress: Callable[[int, int], Awaitable[None]] | None = None,
) -> bool:
    """Send the batch (see the module docstring), adding to ``report``; every outcome is recorded before this
    returns or raises. True when the server could not be reached: the rest of the batch then waits for its retry
    time too, each counting a try."""
    states = await contact_states(engine, [due.contact_id for due in batch])
    sender = _Batch(settings, engine, transport, Composer(settings, book, now), states=states, report=report)
    try:
        for number, due in enumerate(batch):
            message = sender.compose(due)  # while the message before it is on its way
            if (down := await sender.land()) is not None:
                sender.put_off(batch[number:], down)
                return True
            if progress is not None and number and number % PROGRESS_EVERY == 0:
                await progress(number, len(batch))
            if not sender.settled(due, message):
                assert isinstance(message, Flat)  # settled says why when there is no message
                sender.launch(due, message)
        if (down := await sender.land()) is not None:
            return True
        if progress is not None:
            await progress(len(batch), len(batch))
        return False
    finally:
        await sender.settle()
