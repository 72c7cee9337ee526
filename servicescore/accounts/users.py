"""Creating accounts, with the rules every entry point (the command, the demo, later the console) shares."""

from __future__ import annotations

import re

from anyio import to_thread

from servicescore.accounts.passwords import hash_password
from servicescore.db import accounts as queries
from servicescore.db.audit import record_event
from servicescore.identity import Account, Role

USERNAME = re.compile(r"[a-z0-9][a-z0-9._@-]{0,79}")
LANGUAGES = ("sv", "en")


class AccountRejected(ValueError):
    """The account cannot be created as asked; the message is one line for the user."""


def normalise_username(username: str) -> str:
    """Usernames compare case-insensitively: ``Konsult`` and ``konsult`` are one account."""
    return username.strip().lower()


async def create_account(
    username: str,
    password: str,
    role: Role,
    *,
    organisation: str | None = None,
    display_name: str = "",
    language: str = "sv",
    actor_id: int | None = None,
) -> Account:
    """Create a user. A client viewer belongs to exactly one organisation; other roles belong to none."""
    username = normalise_username(username)
    if not USERNAME.fullmatch(username):
        raise AccountRejected(
            f'username "{username}" must be 1–80 characters: letters a–z, digits, ".", "_", "@" or "-"'
        )
    if role is Role.client and not organisation:
        raise AccountRejected("a client viewer needs --organisation (the slug of the organisation they may see)")
    if role is not Role.client and organisation:
        raise AccountRejected(f"only client viewers belong to an organisation, not a {role.value}")
    if language not in LANGUAGES:
        raise AccountRejected(f'language must be one of {", ".join(LANGUAGES)} (got "{language}")')
    try:
        account = await queries.insert_user(
            username=username,
            role=role,
            password_hash=await to_thread.run_sync(hash_password, password),
            organisation_slug=organisation or None,
            display_name=display_name.strip(),
            language=language,
        )
    except (queries.UsernameTaken, queries.UnknownOrganisation) as error:
        raise AccountRejected(str(error)) from None
    await record_event(
        "user.created",
        actor_id=actor_id,
        object_type="user",
        object_id=account.id,
        detail={"username": username, "role": role.value, "organisation": organisation},
    )
    return account
