"""Personal API tokens: create (the token is returned once), list, revoke, and look up the owner of a bearer token.

Only a token's SHA-256 is stored, like sessions: a copy of the database hands out no working token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from servicescore.db.engine import write_transaction
from servicescore.db.tables import ApiToken, User
from servicescore.identity import Account, Role, token_digest

# Recording every use would make each API read a write; a minute's precision is what a tokens page needs.
LAST_USED_PRECISION = timedelta(minutes=1)
MAX_NAME_LENGTH = 80
MAX_TOKENS_PER_ACCOUNT = 50
TOKEN_ROLES = frozenset({Role.consultant, Role.client})

token_key = ApiToken._meta.primary_key
user_key = User._meta.primary_key


class TokenRefused(ValueError):
    """The token cannot be created as asked; ``reason`` is a key of the tokens page's texts."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class TokenOwner:
    token_id: int
    account: Account
    last_used_at: datetime | None


def _info(row: dict[str, Any]) -> TokenInfo:
    return TokenInfo(row["id"], row["name"], row["created_at"], row["last_used_at"], row["revoked_at"])


async def create_token(account: Account, name: str, token: str) -> TokenInfo:
    """Store the digest of ``token`` (made by the caller with ``secrets``) under ``name`` for ``account``."""
    name = " ".join(name.split())
    if account.role not in TOKEN_ROLES:
        raise TokenRefused("role")
    if not name:
        raise TokenRefused("name_missing")
    if len(name) > MAX_NAME_LENGTH:
        raise TokenRefused("name_long")
    async with write_transaction(ApiToken._meta.db):
        live = await ApiToken.count().where((ApiToken.account == account.id) & ApiToken.revoked_at.is_null()).run()
        if live >= MAX_TOKENS_PER_ACCOUNT:
            raise TokenRefused("too_many")
        (row,) = (
            await ApiToken.insert(ApiToken(account=account.id, name=name, token_sha256=token_digest(token)))
            .returning(token_key, ApiToken.name, ApiToken.created_at, ApiToken.last_used_at, ApiToken.revoked_at)
            .run()
        )
    return _info(row)


async def tokens_of(account_id: int) -> list[TokenInfo]:
    """The account's tokens, live ones first, newest first."""
    rows = await (
        ApiToken.select(token_key, ApiToken.name, ApiToken.created_at, ApiToken.last_used_at, ApiToken.revoked_at)
        .where(ApiToken.account == account_id)
        .order_by(token_key, ascending=False)
        .run()
    )
    infos = [_info(row) for row in rows]
    return sorted(infos, key=lambda info: info.revoked_at is not None)


async def revoke_token(account_id: int, token_id: int, now: datetime) -> bool:
    """Revoke one of the account's own live tokens; False when there is no such token (or it is someone else's)."""
    updated = await (
        ApiToken.update({ApiToken.revoked_at: now})
        .where((token_key == token_id) & (ApiToken.account == account_id) & ApiToken.revoked_at.is_null())
        .returning(token_key)
        .run()
    )
    return bool(updated)


_OWNER_COLUMNS = ("id", "username", "display_name", "role", "organisation", "language")


def _owner(row: dict[str, Any]) -> TokenOwner:
    account = Account(
        id=row["account.id"],
        username=row["account.username"],
        display_name=row["account.display_name"],
        role=Role(row["account.role"]),
        organisation_id=row["account.organisation"],
        language=row["account.language"],
    )
    return TokenOwner(row["token_id"], account, row["last_used_at"])


async def owner_of(token: str) -> TokenOwner | None:
    """The live token's owner (an active account), or None for an unknown or revoked token."""
    row = await (
        ApiToken.select(
            token_key.as_alias("token_id"),
            ApiToken.last_used_at,
            *(getattr(ApiToken.account, column).as_alias(f"account.{column}") for column in _OWNER_COLUMNS),
        )
        .where(
            (ApiToken.token_sha256 == token_digest(token))
            & ApiToken.revoked_at.is_null()
            & (ApiToken.account._.active.eq(True))
        )
        .first()
        .run()
    )
    if row is None:
        return None
    return _owner(row)


async def mark_used(owner: TokenOwner, now: datetime) -> None:
    """Record the use when the stored time is older than ``LAST_USED_PRECISION`` (so most reads write nothing)."""
    if owner.last_used_at is not None and now - owner.last_used_at < LAST_USED_PRECISION:
        return
    await ApiToken.update({ApiToken.last_used_at: now}).where(token_key == owner.token_id).run()
