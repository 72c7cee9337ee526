"""Which e-mails a contact is due: the pure decision behind every mail round (no web, no database).

Step 0 is the invitation, step n the n-th reminder, ``reminder_days[n - 1]`` days after the invitation was sent.
The rules:

- Nobody who completed the survey, opted out of the organisation's mail (in this or any other collection) or whose
  address bounced is planned or sent anything, and a message planned before that happened is skipped instead.
- The frequency rule: an address the same organisation invited in another collection less than
  ``frequency_days`` ago is not invited (the invitation is recorded as skipped, so it is never tried again).
- Reminders follow a sent invitation only; when a round comes late and several reminders are due at once, only the
  latest goes out, the earlier ones are skipped as superseded. Nothing is planned or sent once the collection has
  closed.
- Each (contact, step) is planned at most once: a step that has a record (pending, sent, failed or skipped) is never
  planned again, which together with the database's unique (contact, step) makes a repeated or crashed round safe.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

Status = Literal["pending", "sent", "failed", "skipped"]
StopReason = Literal["completed", "opted_out", "bounced"]


@dataclass(frozen=True, slots=True)
class Schedule:
    invite_at: datetime
    reminder_days: tuple[int, ...]
    closes_at: datetime


@dataclass(frozen=True, slots=True)
class StepRecord:
    status: Status
    sent_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ContactState:
    completed: bool = False
    opted_out: bool = False  # this address opted out of the organisation's mail, in any collection
    bounced: bool = False  # this address bounced, in any collection
    steps: Mapping[int, StepRecord] = field(default_factory=dict)
    invited_elsewhere_at: datetime | None = None  # the organisation's latest invitation to the address elsewhere


@dataclass(frozen=True, slots=True)
class Decision:
    step: int
    status: Literal["pending", "skipped"]
    reason: str = ""


def stop_reason(contact: ContactState) -> StopReason | None:
    """Why the contact gets no more mail at all, or None."""
    if contact.completed:
        return "completed"
    if contact.opted_out:
        return "opted_out"
    if contact.bounced:
        return "bounced"
    return None


def plan(contact: ContactState, schedule: Schedule, frequency_days: int, now: datetime) -> list[Decision]:
    """The messages to record for the contact now; empty when nothing is due."""
    if now >= schedule.closes_at or stop_reason(contact) is not None:
        return []
    steps = contact.steps
    if 0 not in steps:
        if now < schedule.invite_at:
            return []
        if _recently_invited(contact, frequency_days, now):
            return [Decision(0, "skipped", "recently_invited")]
        return [Decision(0, "pending")]
    return _reminders(steps, schedule, now)


def _reminders(steps: Mapping[int, StepRecord], schedule: Schedule, now: datetime) -> list[Decision]:
    invited_at = steps[0].sent_at
    if steps[0].status != "sent" or invited_at is None:
        return []
    due = [
        number
        for number, days in enumerate(schedule.reminder_days, start=1)
        if number not in steps and now >= invited_at + timedelta(days=days)
    ]
    if not due:
        return []
    latest = max(due)
    return [Decision(number, "skipped", "superseded") for number in due if number != latest] + [
        Decision(latest, "pending")
    ]


def _recently_invited(contact: ContactState, frequency_days: int, now: datetime) -> bool:
    elsewhere = contact.invited_elsewhere_at
    return elsewhere is not None and now - elsewhere < timedelta(days=frequency_days)


def skip_reason(contact: ContactState, step: int, schedule: Schedule, frequency_days: int, now: datetime) -> str | None:
    """Checked just before a pending message is sent: why it must not go out now and never will, or None. (Two
    collections may plan an invitation to one address in the same round; the second finds the first sent.)"""
    if (reason := stop_reason(contact)) is not None:
        return reason
    if now >= schedule.closes_at:
        return "closed"
    if any(later > step for later in contact.steps):
        return "superseded"
    if step == 0 and _recently_invited(contact, frequency_days, now):
        return "recently_invited"
    return None


RETRY_FIRST = timedelta(minutes=5)
RETRY_LONGEST = timedelta(hours=6)
MAX_ATTEMPTS = 12  # about two days of trying


def retry_delay(attempts: int) -> timedelta:
    """How long a message waits after its ``attempts``-th try failed for now: 5 min, doubling, at most 6 h."""
    longer: timedelta = RETRY_FIRST * 2 ** max(attempts - 1, 0)
    return min(longer, RETRY_LONGEST)


MAX_REMINDERS = 5
LONGEST_WAIT_DAYS = 90


def parse_reminder_days(text: str) -> tuple[int, ...]:
    """``"3, 7"`` → (3, 7): whole days after the invitation, increasing, at most MAX_REMINDERS; "" for none.
    A ValueError says what is wrong."""
    parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    if not all(part.isdigit() and len(part) < 4 for part in parts):
        raise ValueError(f"write whole days separated by commas, e.g. 3,7 (got {text!r})")
    days = tuple(int(part) for part in parts)
    if len(days) > MAX_REMINDERS:
        raise ValueError(f"at most {MAX_REMINDERS} reminders (got {len(days)})")
    if any(day < 1 or day > LONGEST_WAIT_DAYS for day in days):
        raise ValueError(f"each reminder comes 1 to {LONGEST_WAIT_DAYS} days after the invitation")
    if list(days) != sorted(set(days)):
        raise ValueError("the days must increase, e.g. 3,7")
    return days
