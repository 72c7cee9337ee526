"""The snapshot's upkeep, off every reader's path: compaction, vacuum and pruning of the change rows it applied, run
by a periodic job (`jobs.snapshot`).

A refresh appends new responses to their partition as one small file and never compacts (a reader waited seconds
for the refresh that happened to pass the limit); the upkeep rewrites each partition holding more than
`COMPACT_FILES` files into one through `store.compact`, merging the files (each in the export's order) into that
order a batch at a time, then deletes the files no version of the last hour needs. It holds the refresh lock
throughout, so no refresh of this snapshot, in any process or on any machine sharing it, plans against a table that
is being rewritten, and last writes a checkpoint of the table's log, so the next refreshes read the entries since the
upkeep rather than up to a hundred. Then the change rows up to each partition's last applied change (the manifest's)
are deleted (`db.snapshot_changes`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from servicescore.settings import Settings
from servicescore.snapshot.store import (
    checkpoint,
    compact,
    files_per_partition,
    is_table,
    place,
    read_manifest,
    refresh_lock,
    vacuum,
)

# A partition holding more files than this is compacted by the next upkeep.
COMPACT_FILES = 24


@dataclass
class UpkeepReport:
    compacted: list[tuple[str, str]] = field(default_factory=list)
    vacuumed: int = 0  # files deleted
    pruned: int = 0  # change rows deleted

    def __str__(self) -> str:
        partitions = ", ".join(f"{instrument}/{wave}" for instrument, wave in self.compacted) or "none"
        return f"compacted: {partitions}; files deleted: {self.vacuumed}; change rows pruned: {self.pruned}"


def compact_partitions(settings: Settings) -> UpkeepReport:
    """Compact every partition past `COMPACT_FILES` files, vacuum, then checkpoint the log; nothing when there is no
    snapshot yet."""
    report = UpkeepReport()
    where = place(settings)
    if not is_table(where):
        return report
    with refresh_lock(where.lock_folder, settings.database, where.location):
        files = files_per_partition(where)
        for key in sorted(key for key, count in files.items() if count > COMPACT_FILES):
            compact(where, key)
            report.compacted.append(key)
        report.vacuumed = vacuum(where)
        checkpoint(where)
    return report


def applied_changes(settings: Settings) -> dict[tuple[str, str], int]:
    """Each partition's last change the snapshot applied (its manifest's); none when there is no snapshot. The
    manifest is written only after the table's commit, so whatever it says is applied."""
    return {key: entry.fingerprint.seq for key, entry in read_manifest(place(settings)).items()}
