"""What Piccolo's engine (`engine`) shares with the code that reads the database without loading Piccolo
(`snapshot_reads`, `secret_key`, a command's readiness check): the embedded database's file, how long a connection
waits for its lock, and the error for a database that cannot be opened or reached."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

BUSY_TIMEOUT_MS = 30_000
MIGRATIONS_FOLDER = Path(__file__).parent / "migrations"


class DatabaseUnreachable(Exception):
    """The configured database cannot be opened or reached; the message is one line for the user."""


def lock_key(name: str) -> int:
    """The lock's number: PostgreSQL names advisory locks by a signed 64-bit integer; ours are named by text."""
    digest = hashlib.sha256(f"servicescore lock\0{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def committed_migrations() -> set[str]:
    """The ids of the migrations in this checkout, from their files' `ID = "…"` lines, as Piccolo records them in
    its `migration` table (without importing them: each loads Piccolo's migration manager). A file without one is a
    ValueError: the caller then asks Piccolo."""
    ids = set()
    for path in sorted(MIGRATIONS_FOLDER.glob("m[0-9]*.py")):
        if (found := re.search(r'^ID = "([^"]+)"', path.read_text(encoding="utf-8"), re.MULTILINE)) is None:
            raise ValueError(f"{path.name}: no ID line")
        ids.add(found.group(1))
    return ids
