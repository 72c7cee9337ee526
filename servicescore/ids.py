"""Time-ordered ids for the responses the server makes (UUIDv7, RFC 9562 §5.7).

A random UUID (version 4) lands anywhere in the primary key's B-tree and in every index that starts with a
response id (`answer_response_item`): once those indexes outgrow PostgreSQL's buffer cache, each new response reads
and dirties a page of its own. A UUIDv7 starts with the time in milliseconds, so new ids go to the right edge of
those indexes, where the pages are already in memory. It is still a UUID of the same column type, 74 of its bits
random, so ids stay unique and unguessable; what it tells besides is when the response was started, which its row
holds anyway.
"""

from __future__ import annotations

import secrets
import time
import uuid
from typing import Final

_MILLISECONDS: Final[int] = (1 << 48) - 1
_VERSION: Final[int] = 0x7
_VARIANT: Final[int] = 0b10  # RFC 9562's variant


def uuid7(unix_ms: int | None = None) -> uuid.UUID:
    """A version 7 UUID: 48 bits of Unix time in milliseconds (now unless `unix_ms`), the version, 12 random bits,
    the variant, 62 random bits."""
    milliseconds = (time.time_ns() // 1_000_000 if unix_ms is None else unix_ms) & _MILLISECONDS
    rand_a = secrets.randbits(12)
    rand_b = secrets.randbits(62)
    return uuid.UUID(int=milliseconds << 80 | _VERSION << 76 | rand_a << 64 | _VARIANT << 62 | rand_b)
