"""Files on local disk written whole and durably: once per content hash (photos, logos), or replacing a file."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path


def write_once(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` unless a copy is there; True when this call wrote it.

    The bytes go to a temporary name, are fsynced and then renamed, so a reader (or a crash) never sees half a file;
    two writers of the same content both end with the one complete copy."""
    if path.is_file():
        return False
    write_replacing(path, data)
    return True


def write_replacing(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` in its place (temporary name, fsync, rename): a reader sees the old or the new file
    whole, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    try:
        with temporary.open("wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
