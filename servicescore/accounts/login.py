"""Logging in and out: password check, throttling by address and account (``throttle``), session rotation, audit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from anyio import to_thread

from servicescore.accounts import throttle
from servicescore.accounts.passwords import hash_password, needs_rehash, spend_verification_time, verify_password
from servicescore.accounts.users import normalise_username
from servicescore.db import accounts as queries
from servicescore.db.audit import record_event
from servicescore.identity import Account, new_token, token_digest
from servicescore.settings import Settings

# Audit details keep what was typed only this long: enough to spot guessing, too short to store a pasted password.
AUDIT_USERNAME_CHARS = 80


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    attempts: int
    lockout: timedelta
    session_lifetime: timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginPolicy:
        return cls(
            attempts=settings.login_attempts,
            lockout=timedelta(minutes=settings.login_lockout_minutes),
            session_lifetime=timedelta(hours=settings.session_hours),
        )


@dataclass(frozen=True, slots=True)
class LoggedIn:
    account: Account
    token: str  # goes into the cookie; only its digest is stored


def _now() -> datetime:
    return datetime.now(UTC)


async def log_in(
    username: str, password: str, policy: LoginPolicy, *, address: str, replaces_token: str | None = None
) -> LoggedIn | None:
    """A new session for good credentials, else None. Every failure looks the same to the caller and costs about
    the same time: unknown user, wrong password, locked or deactivated account. ``throttle.TooManyAttempts`` when
    this client address failed too often."""
    now = _now()
    normalised = normalise_username(username)
    attempt = throttle.Attempt(normalised, address, policy.attempts, policy.lockout)
    try:
        locked = await throttle.refused(attempt, now)
    except throttle.TooManyAttempts:
        await _record_failure(username, None, "address_blocked")
        raise
    credentials = await queries.find_credentials(normalised)
    if credentials is None or not credentials.active or locked:
        await to_thread.run_sync(spend_verification_time, password)
        reason = "locked" if locked else ("unknown" if credentials is None else "inactive")
        if not locked:
            await throttle.failed(attempt, now)
        await _record_failure(username, credentials, reason)
        return None
    account = credentials.account
    # argon2 takes a few hundred milliseconds and releases the GIL: in a thread, other requests carry on meanwhile.
    if not await to_thread.run_sync(verify_password, credentials.password_hash, password):
        await throttle.failed(attempt, now)
        await _record_failure(username, credentials, "password")
        return None
    await throttle.succeeded(attempt, now)
    token = new_token()
    fresh_hash = None
    if needs_rehash(credentials.password_hash):
        fresh_hash = await to_thread.run_sync(hash_password, password)
    await queries.open_session(
        account.id,
        token_digest(token),
        expires_at=now + policy.session_lifetime,
        now=now,
        replaces=token_digest(replaces_token) if replaces_token else None,
        new_password_hash=fresh_hash,
    )
    await record_event("login.success", actor_id=account.id, object_type="user", object_id=account.id)
    return LoggedIn(account, token)


async def _record_failure(username: str, credentials: queries.Credentials | None, reason: str) -> None:
    await record_event(
        "login.failure",
        actor_id=None if credentials is None else credentials.account.id,
        object_type="user",
        object_id="" if credentials is None else credentials.account.id,
        detail={"username": username[:AUDIT_USERNAME_CHARS], "reason": reason},
    )


async def log_out(token: str) -> None:
    user_id = await queries.close_session(token_digest(token))
    if user_id is not None:
        await record_event("logout", actor_id=user_id, object_type="user", object_id=user_id)


async def account_for_token(token: str) -> Account | None:
    return await queries.account_for_session(token_digest(token), _now())
