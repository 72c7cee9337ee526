"""Where the snapshot lives and how its files change: one Parquet file per instrument and wave, a manifest of
each file's fingerprint, every file replaced atomically (write a temporary file, then `os.replace`)."""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Final
from urllib.parse import quote

import polars as pl

MANIFEST: Final[str] = "manifest.json"
FORMAT: Final[int] = 2  # 2: partitions carry the database's partition version instead of a response checksum
# Small row groups let a streaming scan hold less at once: 295 → 235 MB peak scoring 10M answers (bench_scoring).
ROW_GROUP_ROWS: Final[int] = 32_768


@dataclass(frozen=True)
class Fingerprint:
    """What the database says about a partition's counted answers; equal fingerprints mean equal files."""

    version: int  # `snapshot_partition.version` summed over the instrument's versions (db/snapshot_reads.py)
    dimensions: str = ""  # `dimensions.stamp`: a rename of an organisation, unit or wave changes the answers' text


@dataclass(frozen=True)
class Entry:
    instrument: str
    wave: str
    fingerprint: Fingerprint
    rows: int
    file: str  # relative to the snapshot folder


Manifest = dict[tuple[str, str], Entry]


def _component(name: str) -> str:
    """A file-name-safe spelling of an id or wave key (they are user data)."""
    safe = quote(name, safe="")
    return "%2E" + safe[1:] if safe.startswith(".") else safe


def partition_file(instrument: str, wave: str) -> str:
    return f"answers/{_component(instrument)}/{_component(wave)}.parquet"


def read_manifest(folder: Path) -> Manifest:
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # an unreadable manifest only costs a rebuild
    if data.get("format") != FORMAT:
        return {}
    entries = (
        Entry(e["instrument"], e["wave"], Fingerprint(**e["fingerprint"]), e["rows"], e["file"])
        for e in data["partitions"]
    )
    return {(e.instrument, e.wave): e for e in entries}


def _replace(target: Path, write: Callable[[Path], object]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    os.close(handle)
    try:
        write(Path(temporary))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_manifest(folder: Path, manifest: Manifest) -> None:
    data = {
        "format": FORMAT,
        "partitions": [asdict(entry) for _, entry in sorted(manifest.items())],
    }
    text = json.dumps(data, indent=1, ensure_ascii=False)
    _replace(folder / MANIFEST, lambda path: path.write_text(text, encoding="utf-8"))


def write_partition(folder: Path, relative: str, frame: pl.DataFrame) -> None:
    _replace(
        folder / relative,
        lambda path: frame.write_parquet(path, compression="zstd", statistics=True, row_group_size=ROW_GROUP_ROWS),
    )


@contextmanager
def refresh_lock(folder: Path) -> Iterator[None]:
    """One refresher at a time per snapshot folder (several app processes may share it); readers never wait."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
