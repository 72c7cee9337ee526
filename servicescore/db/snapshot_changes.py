"""Pruning the snapshot's change log: `snapshot_change` keeps a row per response that ever changed what counts
(m0010), forever, although a snapshot needs only the rows after the last change it applied.

`prune_applied` deletes, per partition (instrument × wave), the rows up to the `seq` the snapshot's manifest says
it applied, a bounded batch per transaction, so the respondents' writes (whose triggers write the same table) never
wait long. The first transaction of a partition raises `snapshot_partition.pruned` (m0016) to that `seq`: readers
take a partition's latest change as the larger of its newest row and `pruned`, so it never goes backwards, even
when every row of a partition is deleted; and a snapshot that applied less than `pruned` rebuilds the partition.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Final

from asyncpg.exceptions import LockNotAvailableError
from piccolo.engine.postgres import PostgresEngine

from servicescore.db.engine import write_transaction
from servicescore.db.tables import Response

PRUNE_BATCH: Final[int] = 10_000  # change rows deleted per transaction
# On PostgreSQL a write spanning two instrument versions of one wave locks their partition rows in its own order,
# which may be the reverse of the prune's. The prune waits at most this long for a row, well below the server's
# deadlock_timeout (1 s): when the two would deadlock it is always the prune that gives up (its next run prunes the
# partition), never the respondent's write.
_LOCK_TIMEOUT: Final[str] = "SET LOCAL lock_timeout = '100ms'"

log = logging.getLogger(__name__)

# The rows of one snapshot partition: every instrument version of an instrument (by key), in a wave (by key).
_RAISE: Final[str] = (
    "UPDATE snapshot_partition SET pruned = {} WHERE pruned < {} AND instrument_version IN (SELECT v.id FROM "
    "instrument_version v JOIN instrument i ON i.id = v.instrument WHERE i.key = {}) "
    "AND wave = (SELECT w.id FROM wave w WHERE w.key = {})"
)
_DELETE: Final[str] = (
    "DELETE FROM snapshot_change WHERE seq IN (SELECT seq FROM snapshot_change WHERE instrument_version IN (SELECT "
    "v.id FROM instrument_version v JOIN instrument i ON i.id = v.instrument WHERE i.key = {}) "
    "AND wave = (SELECT w.id FROM wave w WHERE w.key = {}) AND seq <= {} ORDER BY seq LIMIT {}) RETURNING seq"
)


async def _delete_batch(instrument: str, wave: str, upto: int, batch: int, *, raise_mark: bool) -> int:
    engine = Response._meta.db
    async with write_transaction(engine):
        if isinstance(engine, PostgresEngine):
            await Response.raw(_LOCK_TIMEOUT).run()
        if raise_mark:
            await Response.raw(_RAISE, upto, upto, instrument, wave).run()
        return len(await Response.raw(_DELETE, instrument, wave, upto, batch).run())


async def prune_applied(applied: Mapping[tuple[str, str], int], batch: int = PRUNE_BATCH) -> int:
    """Delete the change rows of each partition `(instrument, wave)` up to the `seq` its snapshot applied, `batch`
    rows per transaction; how many rows were deleted. A partition whose rows a write holds is left for the next
    run (see `_LOCK_TIMEOUT`)."""
    deleted = 0
    for (instrument, wave), upto in sorted(applied.items()):
        if upto <= 0:
            continue
        try:
            count = await _delete_batch(instrument, wave, upto, batch, raise_mark=True)
            deleted += count
            while count == batch:
                count = await _delete_batch(instrument, wave, upto, batch, raise_mark=False)
                deleted += count
        except LockNotAvailableError:
            log.info(
                "snapshot change rows of %s %s left for the next upkeep: a write holds the partition", instrument, wave
            )
    return deleted
