"""Password hashing with argon2id (argon2-cffi's RFC 9106 defaults), and the rules a new password must meet."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 8
# argon2 hashes any length, but a megabyte "password" would be a cheap way to make the server work hard.
MAX_LENGTH = 1024

_hasher = PasswordHasher()  # argon2id


class PasswordRejected(ValueError):
    pass


def check_policy(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise PasswordRejected(f"the password must have at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise PasswordRejected(f"the password must have at most {MAX_LENGTH} characters")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    if len(password) > MAX_LENGTH:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than today's, so a login should store a fresh one."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


@cache
def _dummy_hash() -> str:
    return _hasher.hash("not a password anyone has")


def prepare() -> None:
    """Make the dummy hash now (at start-up), so the first unknown-user login is not slower than later ones."""
    _dummy_hash()


def spend_verification_time(password: str) -> None:
    """Verify against a dummy hash, so an unknown or locked account answers as slowly as a real one."""
    verify_password(_dummy_hash(), password[:MAX_LENGTH])
