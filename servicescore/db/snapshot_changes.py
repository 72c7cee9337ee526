"""Pruning the snapshot's change log: `snapshot_change` keeps a row per response that ever changed what counts
(m0010), forever, although a snapshot needs only the rows after the last change it applied.

`prune_applied` deletes, per partition (instrument × wave), the rows up to the `seq` the snapshot's manifest says
it applied, a bounded batch per transaction, so the respondents' writes (whose triggers write the same table) never
wait long. The first transaction of a partition raises `snapshot_partition.pruned` (m0016) to that `seq`: readers
take a partition's latest change as the larger of its newest row and `pruned`, so it never goes backwards, even
when every row of a partition is deleted; and a snapshot that applied less than `pruned` rebuilds the partition.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from servicescore.db.engine import write_transaction
from servicescore.db.tables import Response

PRUNE_BATCH: Final[int] = 10_000  # change rows deleted per transaction

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
        if raise_mark:
            await Response.raw(_RAISE, upto, upto, instrument, wave).run()
        return len(await Response.raw(_DELETE, instrument, wave, upto, batch).run())


async def prune_applied(applied: Mapping[tuple[str, str], int], batch: int = PRUNE_BATCH) -> int:
    """Delete the change rows of each partition `(instrument, wave)` up to the `seq` its snapshot applied, `batch`
    rows per transaction; how many rows were deleted."""
    deleted = 0
    for (instrument, wave), upto in sorted(applied.items()):
        if upto <= 0:
            continue
        count = await _delete_batch(instrument, wave, upto, batch, raise_mark=True)
        deleted += count
        while count == batch:
            count = await _delete_batch(instrument, wave, upto, batch, raise_mark=False)
            deleted += count
    return deleted
