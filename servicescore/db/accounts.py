"""Queries for users, their login counters and their sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from servicescore.db.engine import write_transaction
from servicescore.db.tables import Organisation, Session, User
from servicescore.identity import Account, Role


class UsernameTaken(ValueError):
    def __init__(self, username: str) -> None:
        super().__init__(f'user "{username}" already exists')


class UnknownOrganisation(ValueError):
    def __init__(self, slug: str) -> None:
        super().__init__(f'organisation "{slug}" does not exist')


@dataclass(frozen=True, slots=True)
class Credentials:
    account: Account
    password_hash: str
    active: bool


# Piccolo adds the ``id`` primary keys at class creation, where the type checker cannot see them.
user_key = User._meta.primary_key
organisation_key = Organisation._meta.primary_key
_ACCOUNT_COLUMNS = (user_key, User.username, User.display_name, User.role, User.organisation, User.language)


def _account(row: dict[str, Any], prefix: str = "") -> Account:
    return Account(
        id=row[f"{prefix}id"],
        username=row[f"{prefix}username"],
        display_name=row[f"{prefix}display_name"],
        role=Role(row[f"{prefix}role"]),
        organisation_id=row[f"{prefix}organisation"],
        language=row[f"{prefix}language"],
    )


async def insert_user(
    *,
    username: str,
    role: Role,
    password_hash: str,
    organisation_slug: str | None,
    display_name: str,
    language: str,
) -> Account:
    """Insert one user; a taken username or an unknown organisation raises before anything is written."""
    async with write_transaction(User._meta.db):
        if await User.exists().where(User.username == username).run():
            raise UsernameTaken(username)
        organisation_id = None
        if organisation_slug is not None:
            row = (
                await Organisation.select(organisation_key).where(Organisation.slug == organisation_slug).first().run()
            )
            if row is None:
                raise UnknownOrganisation(organisation_slug)
            organisation_id = row["id"]
        user = User(
            username=username,
            display_name=display_name,
            role=role.value,
            organisation=organisation_id,
            password_hash=password_hash,
            language=language,
        )
        (inserted,) = await User.insert(user).returning(user_key).run()
    return Account(inserted["id"], username, display_name, role, organisation_id, language)


async def find_credentials(username: str) -> Credentials | None:
    row = await (
        User.select(*_ACCOUNT_COLUMNS, User.password_hash, User.active).where(User.username == username).first().run()
    )
    if row is None:
        return None
    return Credentials(_account(row), row["password_hash"], row["active"])


async def open_session(
    user_id: int,
    token_sha256: str,
    *,
    expires_at: datetime,
    now: datetime,
    replaces: str | None,
    new_password_hash: str | None,
) -> None:
    """Start a session after a good password: drop the session being replaced and every expired one, store the
    new token's digest (and a fresher password hash when parameters changed)."""
    async with write_transaction(User._meta.db):
        if new_password_hash is not None:
            await User.update({User.password_hash: new_password_hash}).where(user_key == user_id).run()
        if replaces is not None:
            await Session.delete().where(Session.token_sha256 == replaces).run()
        await Session.delete().where(Session.expires_at <= now).run()
        await Session.insert(Session(token_sha256=token_sha256, account=user_id, expires_at=expires_at)).run()


async def account_for_session(token_sha256: str, now: datetime) -> Account | None:
    row = await (
        Session.select(*(getattr(Session.account, column._meta.name) for column in _ACCOUNT_COLUMNS))
        .where(
            (Session.token_sha256 == token_sha256) & (Session.expires_at > now) & (Session.account._.active.eq(True))
        )
        .first()
        .run()
    )
    return None if row is None else _account(row, prefix="account.")


async def close_session(token_sha256: str) -> int | None:
    """Delete the session; returns its user's id, or None when there was no such session."""
    async with write_transaction(Session._meta.db):
        row = await Session.select(Session.account).where(Session.token_sha256 == token_sha256).first().run()
        await Session.delete().where(Session.token_sha256 == token_sha256).run()
    return None if row is None else int(row["account"])
