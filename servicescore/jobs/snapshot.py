"""The analytics snapshot's upkeep as a periodic job ("snapshot-upkeep"), so that no reader's refresh pays for it:
compaction of partitions that grew by many appends and a vacuum, in a thread (delta-rs rewrites files, and the refresh
lock may wait for a refresh under way), then pruning of the change rows the snapshot applied (`snapshot.upkeep`).
And the dashboards' warm-up ("dashboards-warm"): every organisation's dashboard made, so that what it is scored from
is kept (`reporting.live.warm_dashboards`) before the next person opens one."""

from __future__ import annotations

import asyncio
from datetime import datetime

from servicescore.db.snapshot_changes import prune_applied
from servicescore.reporting.live import warm_dashboards
from servicescore.settings import Settings
from servicescore.snapshot.upkeep import UpkeepReport, applied_changes, compact_partitions


async def snapshot_upkeep(settings: Settings, _now: datetime) -> UpkeepReport:
    report = await asyncio.to_thread(compact_partitions, settings)
    report.pruned = await prune_applied(await asyncio.to_thread(applied_changes, settings))
    return report


def dashboards_warm(settings: Settings, _now: datetime) -> str:
    return f"dashboards made: {len(warm_dashboards(settings))}"
