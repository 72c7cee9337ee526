"""Counters of failed logins in the database, so every app process shares them (the rules: accounts/throttle.py).

A row per SHA-256 of a key; each change is a single UPDATE on its row, so parallel failures from several processes
all count (PostgreSQL re-reads a row another transaction changed before updating it; SQLite writes one at a time).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from servicescore.db.engine import write_transaction
from servicescore.db.tables import LoginThrottle


@dataclass(frozen=True, slots=True)
class Counter:
    failures: int
    window_start: datetime
    until: datetime | None


@dataclass(frozen=True, slots=True)
class Limit:
    """``failures`` within ``window`` of the first set ``until`` to now + ``window`` and restart the count."""

    key_sha256: str
    failures: int
    window: timedelta


async def read_counters(keys: Sequence[str]) -> dict[str, Counter]:
    rows = await LoginThrottle.select(
        LoginThrottle.key_sha256, LoginThrottle.failures, LoginThrottle.window_start, LoginThrottle.until
    ).where(LoginThrottle.key_sha256.is_in(list(keys)))
    return {row["key_sha256"]: Counter(row["failures"], row["window_start"], row["until"]) for row in rows}


async def count_failure(limits: Sequence[Limit], now: datetime) -> None:
    """One more failure on each key; a count that reaches its limit blocks the key for its window."""
    async with write_transaction(LoginThrottle._meta.db):
        for limit in limits:
            await _ensure_row(limit.key_sha256, now)
            # A count whose window has passed starts again; a block that is over is lifted.
            await LoginThrottle.update({LoginThrottle.failures: 0, LoginThrottle.window_start: now}).where(
                (LoginThrottle.key_sha256 == limit.key_sha256) & (LoginThrottle.window_start <= now - limit.window)
            )
            await LoginThrottle.update({LoginThrottle.failures: LoginThrottle.failures + 1}).where(
                LoginThrottle.key_sha256 == limit.key_sha256
            )
            await LoginThrottle.update(
                {LoginThrottle.failures: 0, LoginThrottle.window_start: now, LoginThrottle.until: now + limit.window}
            ).where((LoginThrottle.key_sha256 == limit.key_sha256) & (LoginThrottle.failures >= limit.failures))
        # Rows nobody has failed on for a day and whose block or trust is over are forgotten.
        await LoginThrottle.delete().where(
            (LoginThrottle.window_start < now - timedelta(days=1))
            & (LoginThrottle.until.is_null() | (LoginThrottle.until < now))
        )


async def set_until(key_sha256: str, until: datetime | None, now: datetime) -> None:
    """Mark a key until a time (an address trusted for an account) or clear it (after a good login)."""
    async with write_transaction(LoginThrottle._meta.db):
        await _ensure_row(key_sha256, now)
        await LoginThrottle.update(
            {LoginThrottle.failures: 0, LoginThrottle.window_start: now, LoginThrottle.until: until}
        ).where(LoginThrottle.key_sha256 == key_sha256)


async def _ensure_row(key_sha256: str, now: datetime) -> None:
    await (
        LoginThrottle.insert(LoginThrottle(key_sha256=key_sha256, failures=0, window_start=now, until=None))
        .on_conflict(target=LoginThrottle.key_sha256, action="DO NOTHING")
        .run()
    )
