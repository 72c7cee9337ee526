"""Who a logged-in user is, as the rest of the application sees them, and the secret tokens that prove it (a session
cookie, an API token): 256 random bits given out once, only their SHA-256 stored.

Pure: ``db/`` reads and writes these, ``accounts/`` decides who may log in.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum

TOKEN_BYTES = 32


class Role(StrEnum):
    consultant = "consultant"
    shopper = "shopper"
    client = "client"


# Each role has one page where its work starts; the home page and the login redirect lead there.
ENTRY_POINTS: dict[Role, str] = {
    Role.consultant: "/console",
    Role.shopper: "/visits",
    Role.client: "/portal",
}


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    username: str
    display_name: str
    role: Role
    organisation_id: int | None
    language: str

    @property
    def name(self) -> str:
        """What pages call the user: the display name, else the username."""
        return self.display_name or self.username

    @property
    def entry_point(self) -> str:
        return ENTRY_POINTS[self.role]


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
