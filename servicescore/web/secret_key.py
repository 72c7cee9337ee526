"""The key that signs CSRF tokens: from SERVICESCORE_SECRET_KEY, else made once and kept in the data dir.

Every process of one installation must agree on it (a form served by one process is posted to another), and a
restart must not invalidate open forms, so a random per-process key will not do.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from servicescore.settings import Settings

FILE_NAME = "secret_key"


class SecretKeyUnreadable(Exception):
    pass


def resolve_secret_key(settings: Settings) -> str:
    if "secret_key" in settings.model_fields_set:
        return settings.secret_key.get_secret_value()
    path = settings.data_dir / FILE_NAME
    if not path.exists():
        _create(path)
    key = path.read_text(encoding="utf-8").strip()
    if len(key) < 32:
        raise SecretKeyUnreadable(f"{path} holds no usable key: delete it to have a new one made")
    return key


def _create(path: Path) -> None:
    """Write a new key to a private temporary file, then link it into place: linking fails if another process
    won the race, and then both use the winner's key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{FILE_NAME}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(secrets.token_urlsafe(48) + "\n")
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
