"""Storage by URL: where uploaded files, the report cache and the snapshot live (`SERVICESCORE_STORAGE_URL`).

Empty (the default) is the data dir on local disk; ``file:///abs/path`` another local folder; ``s3://bucket/prefix``
an S3-compatible bucket, reached through ``obstore`` with the standard AWS environment variables
(``AWS_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_REGION``, ``AWS_ALLOW_HTTP``). Every
process that shares one storage URL sees the same files, so app processes on many machines need no shared disk.

A file is named by a key, a relative path with ``/`` between its parts: ``logos/<sha256>``,
``attachments/<sha256[:2]>/<sha256>``, ``cache/reports/<key>.pdf``, ``reports/<file>.pdf``, ``surveys/<id>.yaml``,
``snapshot/manifest.json`` (the snapshot's Delta table is written by ``deltalake`` itself at `table_uri`). On local
disk a key is the same path under the folder as before this module existed, and writes are atomic (temporary file,
fsync, rename: `stored_files`); on an object store one PUT is atomic by itself.

``storage_for(settings)`` makes the storage of these settings once per process.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final, Protocol
from urllib.parse import unquote, urlsplit

import obstore
from obstore.exceptions import BaseError
from obstore.store import ObjectStore, from_url

from servicescore.settings import Settings
from servicescore.stored_files import write_once, write_replacing

_KEY: Final = re.compile(r"[A-Za-z0-9_=.-]+(/[A-Za-z0-9_=.-]+)*")
REPORTS: Final[str] = "reports"  # the reports that jobs write (`report --all`, the console's batch)
# A request to the bucket is retried at most this long (obstore's default, 3 minutes, would hold a page that long
# while the bucket is unreachable); `/healthz` gives up after 5 s and says the storage is down.
RETRY: Final = timedelta(seconds=20)
PROBE_PREFIX: Final[str] = ".healthz"  # hidden on local disk: `list` skips it


class StorageError(ValueError):
    """A storage URL this module cannot use, or a key that is not a plain relative path."""


def checked_key(key: str) -> str:
    """``key`` if it is a relative path of plain names (no ``..``, no leading ``/``, no empty part)."""
    if not _KEY.fullmatch(key) or any(part in {".", ".."} for part in key.split("/")):
        raise StorageError(f"not a storage key: {key!r}")
    return key


@dataclass(frozen=True, slots=True)
class StoredFile:
    key: str
    size: int
    modified: datetime


class Storage(Protocol):
    """What callers use; the two implementations below are the only ones."""

    @property
    def location(self) -> str:
        """The folder or URL, for messages and for naming locks shared by every process of this storage."""

    def put(self, key: str, data: bytes) -> None:
        """Write ``data`` under ``key``, replacing what was there; readers see the old or the new file whole."""

    def put_once(self, key: str, data: bytes) -> bool:
        """Write ``data`` under ``key`` unless a file is there (content-addressed keys); True when this call wrote."""

    def get(self, key: str) -> bytes | None:
        """The file's bytes, or None when there is none."""

    def exists(self, key: str) -> bool: ...

    def list(self, prefix: str) -> list[StoredFile]:
        """The files whose key starts with ``prefix`` + ``/``, sorted by key."""

    def delete(self, key: str) -> None:
        """Remove the file; nothing happens when there is none (another process may have removed it first)."""

    def touch(self, key: str) -> None:
        """Mark the file recently used, for pruning by last use (local disk; an object store keeps write times)."""

    def table_uri(self, key: str) -> str:
        """Where a Delta table under ``key`` lives, as ``deltalake`` and Polars name it."""

    def table_options(self) -> dict[str, str]:
        """``storage_options`` for ``deltalake`` and Polars (empty on local disk)."""


class LocalStorage:
    """A folder on this machine's disk (the data dir unless ``file:///…`` names another)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def location(self) -> str:
        return str(self.root.resolve())

    def path(self, key: str) -> Path:
        return self.root / checked_key(key)

    def put(self, key: str, data: bytes) -> None:
        write_replacing(self.path(key), data)

    def put_once(self, key: str, data: bytes) -> bool:
        return write_once(self.path(key), data)

    def get(self, key: str) -> bytes | None:
        try:
            return self.path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def list(self, prefix: str) -> list[StoredFile]:
        folder = self.path(prefix)
        if not folder.is_dir():
            return []
        found: list[StoredFile] = []
        for path in sorted(folder.rglob("*")):
            if path.name.startswith(".") or not path.is_file():
                continue  # temporary files of writes under way, and lock files
            stat = path.stat()
            found.append(StoredFile(path.relative_to(self.root).as_posix(), stat.st_size, _utc(stat.st_mtime)))
        return found

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def touch(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):  # removed meanwhile by another process's pruning
            os.utime(self.path(key))

    def table_uri(self, key: str) -> str:
        return str(self.path(key))

    def table_options(self) -> dict[str, str]:
        return {}


def _utc(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC)


class ObjectStorage:
    """A bucket (``s3://bucket/prefix``) through ``obstore``; credentials and endpoint from the AWS environment."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        try:
            self.store: ObjectStore = from_url(self.url, retry_config={"max_retries": 3, "retry_timeout": RETRY})
        except (BaseError, ValueError) as error:  # a configuration obstore cannot use: say which URL
            raise StorageError(f"SERVICESCORE_STORAGE_URL={self.url!r}: {error}") from None

    @property
    def location(self) -> str:
        return self.url

    def put(self, key: str, data: bytes) -> None:
        obstore.put(self.store, checked_key(key), data)

    def put_once(self, key: str, data: bytes) -> bool:
        # Content-addressed: a copy already there holds the same bytes, so one HEAD saves the upload; two writers
        # racing both PUT the same bytes, and either PUT leaves the whole file.
        if self.exists(key):
            return False
        obstore.put(self.store, checked_key(key), data)
        return True

    def get(self, key: str) -> bytes | None:
        try:
            return bytes(obstore.get(self.store, checked_key(key)).bytes())
        except FileNotFoundError:
            return None

    def exists(self, key: str) -> bool:
        try:
            obstore.head(self.store, checked_key(key))
        except FileNotFoundError:
            return False
        return True

    def list(self, prefix: str) -> list[StoredFile]:
        found = [
            StoredFile(meta["path"], meta["size"], meta["last_modified"])
            for batch in obstore.list(self.store, checked_key(prefix) + "/")
            for meta in batch
        ]
        return sorted(found, key=lambda stored: stored.key)

    def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):  # S3 answers success for a missing key; others may not
            obstore.delete(self.store, checked_key(key))

    def touch(self, key: str) -> None:
        checked_key(key)  # an object's write time is its last use: pruning keeps the most recently written

    def table_uri(self, key: str) -> str:
        return f"{self.url}/{checked_key(key)}"

    def table_options(self) -> dict[str, str]:
        # delta-rs reads the same AWS variables; passing them says so. Its commits are conditional PUTs
        # (If-None-Match), which AWS S3 and moto honour; a server without them needs AWS_S3_ALLOW_UNSAFE_RENAME=true,
        # safe here because refreshes are serialised by the database (`snapshot.store.refresh_lock`).
        return {name: value for name, value in sorted(os.environ.items()) if name.startswith("AWS_")}


def open_storage(url: str, data_dir: Path) -> Storage:
    """The storage a URL names: "" the data dir, ``file:///abs/path`` a folder, else an object store."""
    if not url:
        return LocalStorage(data_dir)
    parts = urlsplit(url)
    if parts.scheme == "file":
        if parts.netloc not in {"", "localhost"} or not parts.path.startswith("/"):
            raise StorageError(f"SERVICESCORE_STORAGE_URL={url!r}: a file URL names an absolute path: file:///abs/path")
        return LocalStorage(Path(unquote(parts.path)))
    if parts.scheme in {"s3", "s3a"} and parts.netloc:  # other object stores obstore knows are untested here
        return ObjectStorage(url)
    raise StorageError(f"SERVICESCORE_STORAGE_URL={url!r}: use s3://bucket/prefix or file:///abs/path (or nothing)")


_OPENED: dict[tuple[str, str], Storage] = {}
_LOCK = threading.Lock()


def storage_for(settings: Settings) -> Storage:
    """The storage of these settings, made once per process (one client and its connection pool)."""
    key = (settings.storage_url, str(settings.data_dir.resolve()))
    with _LOCK:
        if key not in _OPENED:
            _OPENED[key] = open_storage(settings.storage_url, settings.data_dir)
        return _OPENED[key]


def local_folder(storage: Storage, prefix: str, copy: Path) -> Path:
    """A folder on this machine with the files under ``prefix``, for readers that take folders: on local disk the
    folder itself; else ``copy``, brought up to date now (new and changed files fetched, removed ones removed). A
    file's modification time is set to its object's, so a differing time or size means a changed object."""
    if isinstance(storage, LocalStorage):
        return storage.path(prefix)
    kept: set[Path] = set()
    for stored in storage.list(prefix):
        target = copy / stored.key.removeprefix(f"{prefix}/")
        kept.add(target)
        modified = stored.modified.timestamp()
        found = target.stat() if target.is_file() else None
        if found is not None and (found.st_size, found.st_mtime) == (stored.size, modified):
            continue
        if (data := storage.get(stored.key)) is not None:
            write_replacing(target, data)
            os.utime(target, (modified, modified))
    for path in copy.rglob("*") if copy.is_dir() else ():
        if path.is_file() and path not in kept and not path.name.startswith("."):
            path.unlink(missing_ok=True)
    return copy


def probe(storage: Storage) -> None:
    """Write, read back and remove a small file of this process: raises when the storage cannot (`/healthz`)."""
    key = f"{PROBE_PREFIX}/{re.sub(r'[^A-Za-z0-9.-]', '-', socket.gethostname())}-{os.getpid()}"
    marker = datetime.now(UTC).isoformat().encode()
    storage.put(key, marker)
    if storage.get(key) != marker:
        raise OSError(f"{storage.location}: a file written was not there")
    storage.delete(key)
