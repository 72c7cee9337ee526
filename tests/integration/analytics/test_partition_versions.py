"""The database bumps a partition's version in the writer's own transaction, whatever wrote: the snapshot's next read
sees every change to what counts, including writes that leave the response row's `updated_at` alone (the old
response checksum missed those), and nothing else rebuilds a partition."""

from __future__ import annotations

import asyncio
from pathlib import Path

import polars as pl
import pytest
from analytics_world import World, build_world, settings_for

from servicescore.db.snapshot_reads import partition_versions
from servicescore.db.tables import Answer, Response
from servicescore.settings import Settings
from servicescore.snapshot import load_answers

pytestmark = pytest.mark.anyio


async def _snapshot(settings: Settings) -> pl.DataFrame:
    frame = await asyncio.to_thread(lambda: load_answers(settings, "employee-pulse").collect())
    return frame.sort("response_id", "item")


async def _sql(world: World) -> pl.DataFrame:
    """The counted answers straight from the database, in the snapshot's terms."""
    rows = (
        await Answer.select(Answer.response, Answer.item, Answer.value)
        .where(Answer.response._.status.is_in(["complete", "approved"]))
        .run()
    )
    frame = pl.DataFrame(
        [(str(r["response"]), r["item"], r["value"]) for r in rows],
        schema={"response_id": pl.String, "item": pl.String, "value": pl.Float64},
        orient="row",
    )
    assert world.versions
    return frame.sort("response_id", "item")


async def _versions(url: str) -> dict[tuple[str, str], int]:
    frame = await asyncio.to_thread(partition_versions, url)
    return {(i, w): v for i, w, v in frame.iter_rows()}


async def test_every_change_to_what_counts_reaches_the_next_read(database_url: str, tmp_path: Path) -> None:
    world = await build_world(database_url)
    settings = settings_for(database_url, tmp_path)
    first = await world.add("zorngarden", "2026-Q1", [5, 4, 5])
    second = await world.add("carl-larssons-gard", "2026-Q1", [3, 3, 2])
    partial = await world.add("zorngarden", "2026-Q2", [4, 4, 4], status="partial")
    columns = ["response_id", "item", "value"]
    assert (await _snapshot(settings)).select(columns).equals(await _sql(world))
    before = await _versions(database_url)

    # A partial response's answers change nothing that counts: no version moves.
    await Answer.update({Answer.value: 1.0}).where(Answer.response == partial).run()
    assert await _versions(database_url) == before

    steps = [
        # an answer of a counted response edited, the response row untouched
        Answer.update({Answer.value: 1.0}).where((Answer.response == first) & (Answer.item == "proud_of_service")),
        # an answer removed, another added
        Answer.delete().where((Answer.response == second) & (Answer.item == "proud_of_service")),
        Answer.insert(Answer(response=second, item="proud_of_service", value=2.0)),
        # a response completed, another leaving the counted statuses, one deleted outright
        Response.update({Response.status: "complete"}).where(Response.id == partial),
        Response.update({Response.status: "partial"}).where(Response.id == first),
        Response.delete().where(Response.id == second),
        # a response moved to another wave
        Response.update({Response.wave: world.waves["2026-Q1"]}).where(Response.id == partial),
    ]
    for step in steps:
        versions = await _versions(database_url)
        await step.run()
        assert await _versions(database_url) != versions, step
        assert (await _snapshot(settings)).select(columns).equals(await _sql(world)), step
