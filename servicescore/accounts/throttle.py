"""Which login attempts are refused before the password is checked, and what a failure counts against.

OWASP's Authentication Cheat Sheet ("Protect against automated attacks", "Account lockout") asks for limits per
account and per client that an attacker cannot turn against the user. The rule here, with the defaults:

- per client address: 20 failures in 15 minutes, against any usernames, block that address for 15 minutes
  (password spraying: one client trying a few passwords on many accounts);
- per account and address: ``login_attempts`` (5) failures in ``login_lockout_minutes`` (15) lock that account
  from that address only, so a stranger elsewhere cannot lock the user out;
- per account from everywhere: 10 × ``login_attempts`` failures in the window (guessing spread over many
  addresses) close the account to every address that has not logged in to it in the last 90 days; addresses the
  user logged in from keep working (their own per-address lock still applies).

Unknown usernames are counted exactly like known ones, so the limits say nothing about which accounts exist.
The counters live in the database, shared by every app process (``db/login_throttle.py``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from servicescore.db.login_throttle import Counter, Limit, count_failure, read_counters, set_until

ADDRESS_ATTEMPTS = 20
ACCOUNT_FACTOR = 10
TRUSTED_FOR = timedelta(days=90)


class TooManyAttempts(Exception):
    """This client address failed too often: no login from it until ``until``."""

    def __init__(self, until: datetime) -> None:
        super().__init__(f"too many failed logins from this address until {until.isoformat()}")
        self.until = until


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Attempt:
    """The counters one login attempt (a normalised username from an address) is judged and counted by."""

    username: str
    address: str
    attempts: int
    window: timedelta

    @property
    def address_limit(self) -> Limit:
        return Limit(_key("address", self.address), ADDRESS_ATTEMPTS, self.window)

    @property
    def pair_limit(self) -> Limit:
        return Limit(_key("pair", self.username, self.address), self.attempts, self.window)

    @property
    def account_limit(self) -> Limit:
        return Limit(_key("account", self.username), self.attempts * ACCOUNT_FACTOR, self.window)

    @property
    def trusted_key(self) -> str:
        return _key("trusted", self.username, self.address)


def _active(counter: Counter | None, now: datetime) -> bool:
    return counter is not None and counter.until is not None and counter.until > now


async def refused(attempt: Attempt, now: datetime) -> bool:
    """Whether the attempt is refused without looking at the password (TooManyAttempts for a blocked address).
    A refused attempt still counts against its address."""
    keys = [attempt.address_limit.key_sha256, attempt.pair_limit.key_sha256, attempt.account_limit.key_sha256]
    counters = await read_counters([*keys, attempt.trusted_key])
    address, pair, account = (counters.get(key) for key in keys)
    if _active(address, now):
        assert address is not None and address.until is not None  # noqa: PT018 - narrows for the type checker
        raise TooManyAttempts(address.until)
    locked = _active(pair, now) or (_active(account, now) and not _active(counters.get(attempt.trusted_key), now))
    if locked:
        await count_failure([attempt.address_limit], now)
    return locked


async def failed(attempt: Attempt, now: datetime) -> None:
    """A wrong password (or an unknown or inactive account): one more failure on every counter."""
    await count_failure([attempt.address_limit, attempt.pair_limit, attempt.account_limit], now)


async def succeeded(attempt: Attempt, now: datetime) -> None:
    """A good login clears its address's lock on the account and makes the address trusted for it."""
    await set_until(attempt.pair_limit.key_sha256, None, now)
    await set_until(attempt.trusted_key, now + TRUSTED_FOR, now)
