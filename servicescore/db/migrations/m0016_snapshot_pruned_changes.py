"""A partition remembers up to which change its change rows were pruned.

The snapshot upkeep job deletes the `snapshot_change` rows its snapshot has applied (`db/snapshot_changes.py`), so
the log no longer keeps a row per response forever. `snapshot_partition.pruned` is the highest `seq` deleted (or
allowed to be) for the partition, raised in the transaction of the first deletion:

- a partition's latest change (`partition_versions`' `seq`) is the larger of its newest change row and `pruned`,
  so it never goes backwards when every row of a partition is pruned;
- a snapshot that applied changes only up to a `seq` below `pruned` (another machine's snapshot, or an old copy)
  can no longer learn which responses changed since, and rebuilds the partition instead of merging it.
"""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-06T22:41:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "snapshot pruned changes"

ADD_COLUMN = "ALTER TABLE snapshot_partition ADD COLUMN pruned BIGINT NOT NULL DEFAULT 0"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="servicescore", description=DESCRIPTION)

    async def add_pruned() -> None:
        engine = engine_finder()
        assert engine is not None
        await engine.run_ddl(ADD_COLUMN)

    manager.add_raw(add_pruned)
    return manager
