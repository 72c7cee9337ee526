"""Where the snapshot lives and how it changes: one Delta Lake table of counted answers, partitioned by instrument
and wave, beside a manifest of what each partition was built from.

Delta Lake (delta-rs, the `deltalake` package) because Polars scans it natively and DuckDB, Spark and Trino read
it in place, on local disk now and on object storage later; its transaction log makes every change atomic, so a
reader in another process sees a partition before or after a refresh, never half of one. A changed partition is
either replaced (`overwrite` with a predicate on the partition) or merged: the changed responses' current rows
replace what the table held of them, and rows of changed responses that no longer count are deleted, in one
commit. The manifest (`manifest.json`, replaced atomically) records per partition the database's version and the
last change applied; losing it, or a crash between a commit and the manifest, only costs a rebuild.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Final

import polars as pl
from deltalake import DeltaTable, write_deltalake

from servicescore.db.locks import advisory_lock

MANIFEST: Final[str] = "manifest.json"
FORMAT: Final[int] = 3  # 3: a Delta table; partitions carry the database's version and last applied change
TABLE: Final[str] = "answers"
PARTITION_BY: Final[list[str]] = ["instrument", "wave"]


@dataclass(frozen=True)
class Fingerprint:
    """What the database says about a partition's counted answers; equal fingerprints mean equal contents."""

    version: int  # `snapshot_partition.version` summed over the instrument's versions (db/snapshot_reads.py)
    seq: int = 0  # the last `snapshot_change.seq` of the partition whose response is applied
    dimensions: str = ""  # `dimensions.stamp`: a rename of an organisation, unit or wave changes the answers' text


@dataclass(frozen=True)
class Entry:
    instrument: str
    wave: str
    fingerprint: Fingerprint
    rows: int
    file: str  # the partition's folder inside the table


Manifest = dict[tuple[str, str], Entry]


def table_path(folder: Path) -> Path:
    return folder / TABLE


def partition_file(instrument: str, wave: str) -> str:
    """The partition's folder as Delta names it (Hive style: `instrument=…/wave=…`), for messages and cache keys."""
    return f"{TABLE}/instrument={instrument}/wave={wave}"


def read_manifest(folder: Path) -> Manifest:
    path = folder / MANIFEST
    if not path.is_file() or not DeltaTable.is_deltatable(str(table_path(folder))):
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


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _partition_predicate(instrument: str, wave: str, alias: str = "") -> str:
    return f"{alias}instrument = {_literal(instrument)} AND {alias}wave = {_literal(wave)}"


def replace_partitions(folder: Path, frames: dict[tuple[str, str], pl.DataFrame]) -> None:
    """Replace whole partitions with `frames` (answers in `ANSWER_SCHEMA`), each in one commit; the first write
    makes the table with all of them in one."""
    path = str(table_path(folder))
    if not DeltaTable.is_deltatable(path):
        whole = pl.concat([frame for _, frame in sorted(frames.items())])
        write_deltalake(path, whole.to_arrow(), partition_by=PARTITION_BY, mode="overwrite", schema_mode="overwrite")
        return
    for (instrument, wave), frame in sorted(frames.items()):
        write_deltalake(path, frame.to_arrow(), mode="overwrite", predicate=_partition_predicate(instrument, wave))


def merge_responses(folder: Path, key: tuple[str, str], frame: pl.DataFrame, changed: Sequence[str]) -> None:
    """In one commit: the rows of `changed` responses in partition `key` become `frame` (their current counted
    answers; a response absent from it no longer counts there and loses its rows)."""
    instrument, wave = key
    target = DeltaTable(str(table_path(folder)))
    ids = ", ".join(_literal(response_id) for response_id in changed)
    partition = _partition_predicate(instrument, wave, "t.")
    (
        target.merge(
            frame.to_arrow(),
            predicate=f"{partition} AND t.instrument = s.instrument "
            "AND t.wave = s.wave AND t.response_id = s.response_id AND t.item = s.item",
            source_alias="s",
            target_alias="t",
        )
        .when_matched_update_all()
        .when_not_matched_insert_all()
        .when_not_matched_by_source_delete(
            f"{_partition_predicate(instrument, wave, 't.')} AND t.response_id IN ({ids})"
        )
        .execute()
    )


def partition_rows(folder: Path) -> dict[tuple[str, str], int]:
    """How many answers each partition holds, from the table's own file statistics (no data read)."""
    path = str(table_path(folder))
    if not DeltaTable.is_deltatable(path):
        return {}
    actions = pl.DataFrame(DeltaTable(path).get_add_actions(flatten=True))
    if actions.is_empty():
        return {}
    counts = actions.group_by("partition.instrument", "partition.wave").agg(pl.col("num_records").sum())
    return {(i, w): int(n) for i, w, n in counts.iter_rows()}


def scan(folder: Path, instrument: str, waves: Sequence[str]) -> pl.LazyFrame:
    """The answers of `instrument` in `waves` (partitions pruned by the scan)."""
    return pl.scan_delta(str(table_path(folder))).filter(
        pl.col("instrument") == instrument, pl.col("wave").is_in(list(waves))
    )


@contextmanager
def refresh_lock(folder: Path, database_url: str) -> Iterator[None]:
    """One refresher at a time per snapshot folder; readers never wait. The processes of one machine queue on a file
    lock in the folder; on PostgreSQL the machines sharing the snapshot's location also queue on an advisory lock
    named after it, which a file lock cannot do across machines. The advisory lock is taken first, so every
    process takes the two in the same order."""
    folder.mkdir(parents=True, exist_ok=True)
    with ExitStack() as held:
        if database_url.startswith(("postgresql://", "postgres://")):
            held.enter_context(advisory_lock(database_url, f"snapshot refresh {folder.resolve()}"))
        handle = held.enter_context((folder / ".lock").open("a"))
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
