"""Who a logged-in user is, as the rest of the application sees them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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
