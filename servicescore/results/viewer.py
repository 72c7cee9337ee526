"""Whose eyes a table is for, and the minimum sizes every output keeps (the one rule of `results`).

The installation's `SERVICESCORE_MIN_GROUP_SIZE` is a floor: a command or a report may ask for a larger minimum
group, never a smaller one (`group_minimum`). Peers appear only in a peer group of at least `MIN_PEERS` shown
organisations, again a floor a caller may raise (`peer_minimum`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from servicescore.scoring.schema import MIN_PEERS
from servicescore.settings import Settings


def group_minimum(floor: int, asked: int | None = None) -> int:
    """The minimum group size in force: the installation's `floor`, or a larger one `asked` for; never lower."""
    return floor if asked is None else max(floor, asked)


def peer_minimum(asked: int | None = None) -> int:
    """The minimum number of shown organisations in a peer group before any peer is shown; never under 5."""
    return MIN_PEERS if asked is None else max(MIN_PEERS, asked)


def derived_key(settings: Settings, purpose: str) -> bytes:
    """A key for one purpose, derived from the installation's secret (`SERVICESCORE_SECRET_KEY`, else the key kept
    in the database, shared by every process) so it reveals nothing about the secret or another key. The key's
    module loads here: its database driver (asyncpg, with asyncio) is for the outputs that need a key, not `scores`."""
    from servicescore.db.secret_key import resolve_secret_key

    return hashlib.sha256(f"servicescore {purpose}\0".encode() + resolve_secret_key(settings).encode()).digest()


def label_key(settings: Settings) -> bytes:
    """The key that orders tied peers (`peers.peer_labels`)."""
    return derived_key(settings, "peer labels")


@dataclass(frozen=True, slots=True)
class Viewer:
    """A consultant (`organisation` None: every organisation, stored ids and times) or a client viewer of one
    organisation (its slug), with the minimum group size in force and the keys of pseudonyms and peer labels."""

    organisation: str | None
    min_group_size: int
    pseudonym_key: bytes = field(repr=False)
    label_key: bytes = field(repr=False)

    @classmethod
    def of(cls, settings: Settings, organisation: str | None, *, min_n: int | None = None) -> Viewer:
        """The viewer of `organisation` (None: a consultant) under `settings`; `min_n` may raise the minimum."""
        return cls(
            organisation,
            group_minimum(settings.min_group_size, min_n),
            derived_key(settings, "export pseudonyms"),
            label_key(settings),
        )

    @property
    def is_client(self) -> bool:
        return self.organisation is not None
