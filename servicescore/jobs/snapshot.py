"""The analytics snapshot's upkeep as a periodic job ("snapshot-upkeep"), so that no reader's refresh pays for it:
compaction of partitions that grew by many appends, and a vacuum (`snapshot.upkeep`). It runs in a thread: delta-rs
rewrites files and the refresh lock may wait for a refresh under way."""

from __future__ import annotations

import asyncio
from datetime import datetime

from servicescore.settings import Settings
from servicescore.snapshot.upkeep import UpkeepReport, compact_partitions


async def snapshot_upkeep(settings: Settings, _now: datetime) -> UpkeepReport:
    return await asyncio.to_thread(compact_partitions, settings)
