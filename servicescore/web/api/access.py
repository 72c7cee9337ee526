"""The tenant rule as the API applies it: a client viewer is limited to their organisation, a consultant is not."""

from __future__ import annotations

from servicescore.db.organisations import slug_and_name
from servicescore.identity import Account, Role
from servicescore.results import Viewer
from servicescore.settings import Settings


def limited_to(account: Account) -> int | None:
    """The organisation id a client viewer is limited to; None for consultants (every organisation)."""
    return account.organisation_id if account.role is Role.client else None


async def viewer_for(account: Account, settings: Settings) -> Viewer:
    limit = limited_to(account)
    # A client viewer always has an organisation (accounts.users); "" would match nothing rather than everything.
    own = None if limit is None else await slug_and_name(limit)
    slug = None if limit is None else (own[0] if own else "")
    return Viewer.of(settings, slug)
