"""Where the snapshot lives and how it changes: one Delta Lake table of counted answers, partitioned by instrument
and wave, beside a manifest of what each partition was built from.

Delta Lake (delta-rs, the `deltalake` package) because Polars scans it natively and DuckDB, Spark and Trino read
it in place, on local disk now and on object storage later; its transaction log makes every change atomic, so a
reader in another process sees a partition before or after a refresh, never half of one. A changed partition is
either replaced (`overwrite` with a predicate on the partition) or merged: the changed responses' current rows
replace what the table held of them, and rows of changed responses that no longer count are deleted, in one
commit. When the table holds none of the changed responses (the common case: new responses) their rows are
appended instead, one small file, and a partition with many such files is compacted (`optimize.compact`, then a
vacuum of files no version of the last hour needs). The manifest (`manifest.json`, replaced atomically) records
per partition the database's version and the last change applied; losing it, or a crash between a commit and the
manifest, only costs a rebuild.

Both live in the storage (`servicescore.storage`) under ``snapshot/``: the data dir's ``snapshot`` folder by default,
or a bucket that every machine reads in place (the table through delta-rs's own object store, with the storage's
``storage_options``; the manifest through the storage). delta-rs commits a version with a conditional PUT, so two
writers can never both write one version; refreshes are serialised besides (`refresh_lock`).
"""

from __future__ import annotations

import fcntl
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Final

import polars as pl
import pyarrow as pa
from deltalake import DeltaTable, write_deltalake

from servicescore.db.locks import advisory_lock
from servicescore.scoring import ANSWER_SCHEMA
from servicescore.settings import Settings
from servicescore.storage import Storage, storage_for

FOLDER: Final[str] = "snapshot"  # the storage's prefix of the snapshot
MANIFEST: Final[str] = "manifest.json"
FORMAT: Final[int] = 3  # 3: a Delta table; partitions carry the database's version and last applied change
TABLE: Final[str] = "answers"
PARTITION_BY: Final[list[str]] = ["instrument", "wave"]
VACUUM_HOURS: Final[int] = 1


@dataclass(frozen=True)
class Fingerprint:
    """What the database says about a partition's counted answers; equal fingerprints mean equal contents."""

    version: int  # `snapshot_partition.version` summed over the instrument's versions (db/snapshot_reads.py)
    seq: int = 0  # the last `snapshot_change.seq` of the partition whose response is applied
    dimensions: str = ""  # `dimensions.stamp`: a rename of an organisation, unit or wave changes the answers' text
    # No row reflects a change after this `seq` (a rebuild reads the answers after planning, so it may be above
    # `seq`): a response first logged after it (`snapshot_change.first_seq`, m0022) is not held.
    held: int = 0


@dataclass(frozen=True)
class Entry:
    instrument: str
    wave: str
    fingerprint: Fingerprint
    rows: int
    file: str  # the partition's folder inside the table


Manifest = dict[tuple[str, str], Entry]


@dataclass(frozen=True)
class Place:
    """Where a snapshot lives: ``storage`` holds the table and manifest under `FOLDER`; ``lock_folder`` is this
    machine's folder of the file lock that queues its own processes (`refresh_lock`)."""

    storage: Storage
    lock_folder: Path

    @property
    def table(self) -> str:
        """The Delta table's path or URL, for ``deltalake`` and Polars (with `options`)."""
        return self.storage.table_uri(f"{FOLDER}/{TABLE}")

    @property
    def options(self) -> dict[str, str] | None:
        return self.storage.table_options() or None

    @property
    def location(self) -> str:
        """The same text on every machine sharing the snapshot: it names their common lock and cached reads."""
        return f"{self.storage.location}/{FOLDER}"


def place(settings: Settings) -> Place:
    """The snapshot of these settings: in their storage, locked on this machine in the data dir's ``snapshot``."""
    return Place(storage_for(settings), settings.snapshot_dir)


def is_table(where: Place) -> bool:
    return DeltaTable.is_deltatable(where.table, where.options)


def partition_file(instrument: str, wave: str) -> str:
    """The partition's folder as Delta names it (Hive style: `instrument=…/wave=…`), for messages and cache keys."""
    return f"{TABLE}/instrument={instrument}/wave={wave}"


def read_manifest(where: Place) -> Manifest:
    text = where.storage.get(f"{FOLDER}/{MANIFEST}")
    if text is None or not is_table(where):
        return {}
    try:
        data = json.loads(text.decode("utf-8"))
    except ValueError:
        return {}  # an unreadable manifest only costs a rebuild
    if data.get("format") != FORMAT:
        return {}
    entries = (  # a manifest written before `held` existed: its rows were read before any first_seq was logged
        Entry(
            e["instrument"],
            e["wave"],
            Fingerprint(**{"held": e["fingerprint"]["seq"], **e["fingerprint"]}),
            e["rows"],
            e["file"],
        )
        for e in data["partitions"]
    )
    return {(e.instrument, e.wave): e for e in entries}


def write_manifest(where: Place, manifest: Manifest) -> None:
    data = {
        "format": FORMAT,
        "partitions": [asdict(entry) for _, entry in sorted(manifest.items())],
    }
    text = json.dumps(data, indent=1, ensure_ascii=False)
    where.storage.put(f"{FOLDER}/{MANIFEST}", text.encode("utf-8"))


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _partition_predicate(instrument: str, wave: str, alias: str = "") -> str:
    return f"{alias}instrument = {_literal(instrument)} AND {alias}wave = {_literal(wave)}"


def replace_partitions(where: Place, keys: Sequence[tuple[str, str]], frames: Iterable[pl.DataFrame]) -> int:
    """Replace the partitions `keys` with the answers `frames` yield (in `ANSWER_SCHEMA`, any of those partitions
    mixed), in one commit, one frame in memory at a time: delta-rs writes the stream into the partitions' files
    as it comes. The first write makes the table. Returns the rows written."""
    schema = pl.DataFrame(schema=ANSWER_SCHEMA).to_arrow().schema
    written = 0

    def batches() -> Iterator[pa.RecordBatch]:
        nonlocal written
        for frame in frames:
            written += frame.height
            yield from frame.to_arrow().cast(schema).to_batches()

    stream = pa.RecordBatchReader.from_batches(schema, batches())
    if not is_table(where):
        write_deltalake(where.table, stream, partition_by=PARTITION_BY, mode="overwrite", schema_mode="overwrite",
                        storage_options=where.options)  # fmt: skip
    else:
        predicate = " OR ".join(f"({_partition_predicate(instrument, wave)})" for instrument, wave in keys)
        write_deltalake(where.table, stream, mode="overwrite", predicate=predicate, storage_options=where.options)
    return written


def merge_responses(where: Place, key: tuple[str, str], frame: pl.DataFrame, changed: Sequence[str]) -> None:
    """In one commit: the rows of `changed` responses in partition `key` become `frame` (their current counted
    answers; a response absent from it no longer counts there and loses its rows)."""
    instrument, wave = key
    target = DeltaTable(where.table, storage_options=where.options)
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


def append_rows(where: Place, frame: pl.DataFrame) -> None:
    """Add the answers of responses the table does not hold yet, in one commit: a new small file per partition,
    nothing rewritten."""
    write_deltalake(where.table, frame.to_arrow(), mode="append", storage_options=where.options)


def files_per_partition(where: Place) -> dict[tuple[str, str], int]:
    actions = pl.DataFrame(DeltaTable(where.table, storage_options=where.options).get_add_actions(flatten=True))
    if actions.is_empty():
        return {}
    counts = actions.group_by("partition.instrument", "partition.wave").len()
    return {(i, w): int(n) for i, w, n in counts.iter_rows()}


def compact(where: Place, key: tuple[str, str]) -> None:
    """Rewrite a partition's small files into few large ones, then delete files no version of the last hour needs:
    a reader in another process may still be scanning a version that was current before the compaction."""
    instrument, wave = key
    table = DeltaTable(where.table, storage_options=where.options)
    table.optimize.compact(partition_filters=[("instrument", "=", instrument), ("wave", "=", wave)])
    table.vacuum(retention_hours=VACUUM_HOURS, enforce_retention_duration=False, dry_run=False)


def vacuum(where: Place) -> int:
    """Delete the files no version of the last hour needs (left by merges, replacements and compactions); how many."""
    table = DeltaTable(where.table, storage_options=where.options)
    return len(table.vacuum(retention_hours=VACUUM_HOURS, enforce_retention_duration=False, dry_run=False))


def partition_rows(where: Place) -> dict[tuple[str, str], int]:
    """How many answers each partition holds, from the table's own file statistics (no data read)."""
    if not is_table(where):
        return {}
    actions = pl.DataFrame(DeltaTable(where.table, storage_options=where.options).get_add_actions(flatten=True))
    if actions.is_empty():
        return {}
    counts = actions.group_by("partition.instrument", "partition.wave").agg(pl.col("num_records").sum())
    return {(i, w): int(n) for i, w, n in counts.iter_rows()}


def scan(where: Place, instrument: str, waves: Sequence[str]) -> pl.LazyFrame:
    """The answers of `instrument` in `waves` (partitions pruned by the scan)."""
    return pl.scan_delta(where.table, storage_options=where.options).filter(
        pl.col("instrument") == instrument, pl.col("wave").is_in(list(waves))
    )


@contextmanager
def refresh_lock(folder: Path, database_url: str, location: str | None = None) -> Iterator[None]:
    """One refresher at a time per snapshot; readers never wait. The processes of one machine queue on a file lock
    in `folder`; on PostgreSQL the machines sharing the snapshot's `location` (default: the folder) also queue on an
    advisory lock named after it, which a file lock cannot do across machines. The advisory lock is taken first, so
    every process takes the two in the same order."""
    folder.mkdir(parents=True, exist_ok=True)
    with ExitStack() as held:
        if database_url.startswith(("postgresql://", "postgres://")):
            held.enter_context(advisory_lock(database_url, f"snapshot refresh {location or folder.resolve()}"))
        handle = held.enter_context((folder / ".lock").open("a"))
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
