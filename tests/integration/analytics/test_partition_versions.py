"""The database bumps a partition's version in the writer's own transaction, whatever wrote: the snapshot's next read
sees every change to what counts, including writes that leave the response row's `updated_at` alone (the old
response checksum missed those), and nothing else rebuilds a partition."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servicescore.db.snapshot_changes import prune_applied
from servicescore.db.snapshot_reads import partition_versions
from servicescore.db.tables import Answer, Response
from servicescore.jobs.snapshot import snapshot_upkeep
from servicescore.settings import Settings as AppSettings
from servicescore.snapshot import load_answers, refresh_snapshot
from servicescore.snapshot.upkeep import applied_changes
from tests.support.analytics_world import PULSE_ITEMS, World, build_world, settings_for
from tests.support.answer_rows import number_of, of_response

pytestmark = pytest.mark.anyio


async def _snapshot(settings: AppSettings) -> pl.DataFrame:
    frame = await asyncio.to_thread(lambda: load_answers(settings, "employee-pulse").collect())
    return frame.sort("response_id", "item")


async def _sql(world: World) -> pl.DataFrame:
    """The counted answers straight from the database, in the snapshot's terms."""
    rows = (
        await Answer.select(Answer.response_number._.id.as_alias("response"), Answer.item, Answer.value)
        .where(Answer.response_number._.status.is_in(["complete", "approved"]))
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
    return {(i, w): v for i, w, v, _ in frame.iter_rows()}


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
    await Answer.update({Answer.value: 1.0}).where(of_response(partial)).run()
    assert await _versions(database_url) == before

    steps = [
        # an answer of a counted response edited, the response row untouched
        Answer.update({Answer.value: 1.0}).where((of_response(first)) & (Answer.item == "proud_of_service")),
        # an answer removed, another added
        Answer.delete().where((of_response(second)) & (Answer.item == "proud_of_service")),
        Answer.insert(Answer(response_number=await number_of(second), item="proud_of_service", value=2.0)),
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


async def test_the_change_log_keeps_one_row_per_response(database_url: str, tmp_path: Path) -> None:
    """Every edit replaces the response's change row with a later one: the log is bounded by the responses, not by
    the writes (m0005 added a row per answer and per edit, more rows than answers at 1M responses), and an edit
    after a read still reaches the next read."""
    world = await build_world(database_url)
    settings = settings_for(database_url, tmp_path)
    kept = await world.add("zorngarden", "2026-Q1", [5, 4, 5])
    edited = await world.add("zorngarden", "2026-Q1", [3, 3, 2])
    await _snapshot(settings)
    for value in (1.0, 2.0):
        for item in PULSE_ITEMS:
            await Answer.update({Answer.value: value}).where((of_response(edited)) & (Answer.item == item)).run()
    rows = await Answer.raw("SELECT CAST(response AS TEXT) AS response, seq FROM snapshot_change ORDER BY seq").run()
    assert sorted(str(row["response"]) for row in rows) == sorted([kept, edited])
    assert str(rows[-1]["response"]) == edited
    columns = ["response_id", "item", "value"]
    assert (await _snapshot(settings)).select(columns).equals(await _sql(world))


async def _change_rows() -> int:
    rows = await Answer.raw("SELECT count(*) AS n FROM snapshot_change").run()
    return int(rows[0]["n"])


async def test_applied_change_rows_are_pruned_and_never_missed(database_url: str, tmp_path: Path) -> None:
    """The upkeep job deletes the change rows its snapshot applied, in batches; a partition's latest change does not
    go backwards when all its rows are gone, so the next write is merged, not rebuilt; a lost manifest rebuilds;
    a second snapshot of the database that applied less than was pruned rebuilds the partition instead of missing
    the pruned changes. The snapshot equals the database throughout."""
    world = await build_world(database_url)
    settings = settings_for(database_url, tmp_path)
    columns = ["response_id", "item", "value"]
    first = await world.add("zorngarden", "2026-Q1", [5, 4, 5])
    for _ in range(4):
        await world.add("carl-larssons-gard", "2026-Q1", [3, 3, 2])
    await world.add("zorngarden", "2026-Q2", [2, 2, 2])
    elsewhere = settings_for(database_url, tmp_path / "elsewhere")  # another machine's snapshot, same database
    assert (await _snapshot(elsewhere)).select(columns).equals(await _sql(world))
    assert (await _snapshot(settings)).select(columns).equals(await _sql(world))
    versions = await _versions_and_seqs(database_url)

    assert await prune_applied(await asyncio.to_thread(applied_changes, settings), batch=2) == 6
    assert await _change_rows() == 0
    assert await _versions_and_seqs(database_url) == versions  # every row of both partitions gone, seq kept

    await world.add("zorngarden", "2026-Q1", [1, 1, 1])
    report = await asyncio.to_thread(refresh_snapshot, settings)
    assert (report.appended, report.rebuilt) == ([("employee-pulse", "2026-Q1")], [])
    await Answer.update({Answer.value: 4.0}).where(of_response(first)).run()
    report = await asyncio.to_thread(refresh_snapshot, settings)
    assert (report.merged, report.rebuilt) == ([("employee-pulse", "2026-Q1")], [])
    assert (await _snapshot(settings)).select(columns).equals(await _sql(world))
    assert (await snapshot_upkeep(settings, datetime.now(UTC))).pruned == 2

    # The other snapshot applied changes only up to the first prune: it rebuilds Q1 rather than merge too little.
    report = await asyncio.to_thread(refresh_snapshot, elsewhere)
    assert (report.rebuilt, report.merged) == ([("employee-pulse", "2026-Q1")], [])
    assert (await _snapshot(elsewhere)).select(columns).equals(await _sql(world))

    # A lost manifest rebuilds everything; the next write merges again.
    (settings.snapshot_dir / "manifest.json").unlink()
    report = await asyncio.to_thread(refresh_snapshot, settings)
    assert sorted(report.rebuilt) == [("employee-pulse", "2026-Q1"), ("employee-pulse", "2026-Q2")]
    await world.add("zorngarden", "2026-Q2", [5, 5, 5])
    report = await asyncio.to_thread(refresh_snapshot, settings)
    assert (report.appended, report.rebuilt) == ([("employee-pulse", "2026-Q2")], [])
    assert (await _snapshot(settings)).select(columns).equals(await _sql(world))


async def test_the_prune_gives_way_to_a_write_that_holds_a_partition(database_url: str, tmp_path: Path) -> None:
    """A write holding one partition's row (on PostgreSQL it may lock two in the reverse of the prune's order): the
    prune leaves that partition for its next run instead of waiting (and deadlocking the respondent's write), and
    prunes the others."""
    if not database_url.startswith("postgres"):
        pytest.skip("SQLite runs one write transaction at a time: nothing holds a row while the prune runs")
    world = await build_world(database_url)
    settings = settings_for(database_url, tmp_path)
    await world.add("zorngarden", "2026-Q1", [5, 4, 5])
    await world.add("zorngarden", "2026-Q2", [2, 2, 2])
    await _snapshot(settings)
    applied = await asyncio.to_thread(applied_changes, settings)
    writer = await asyncpg.connect(database_url)
    try:
        async with writer.transaction():
            await writer.execute(
                "SELECT 1 FROM snapshot_partition p JOIN wave w ON w.id = p.wave WHERE w.key = '2026-Q1' FOR UPDATE"
            )
            assert await asyncio.wait_for(prune_applied(applied), timeout=20) == 1  # Q2's row; it waited forever
        assert await _change_rows() == 1
    finally:
        await writer.close()
    assert await prune_applied(applied) == 1
    assert await _change_rows() == 0


async def _versions_and_seqs(url: str) -> list[tuple[Any, ...]]:
    frame = await asyncio.to_thread(partition_versions, url)
    return sorted(frame.iter_rows())


WAVES = st.sampled_from(["2026-Q1", "2026-Q2"])
OPERATIONS = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(["zorngarden", "carl-larssons-gard"]), WAVES,
              st.lists(st.integers(1, 5), min_size=3, max_size=3), st.sampled_from(["complete", "partial"])),
    st.tuples(st.just("status"), st.integers(0, 50), st.sampled_from(["complete", "partial", "approved", "returned"])),
    st.tuples(st.just("edit"), st.integers(0, 50), st.sampled_from(PULSE_ITEMS), st.integers(1, 5)),
    st.tuples(st.just("drop_answer"), st.integers(0, 50), st.sampled_from(PULSE_ITEMS)),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("move"), st.integers(0, 50), WAVES),
    st.tuples(st.just("upkeep")),
)  # fmt: skip


async def _apply(world: World, ids: list[str], operation: tuple[Any, ...], settings: AppSettings) -> None:
    kind, *rest = operation
    if kind == "upkeep":  # compaction, vacuum and pruning of the applied change rows, as the periodic job does them
        await snapshot_upkeep(settings, datetime.now(UTC))
        return
    if kind == "add":
        organisation, wave, values, status = rest
        ids.append(await world.add(organisation, wave, [float(v) for v in values], status=status))
        return
    if not ids:
        return
    response = ids[rest[0] % len(ids)]
    if kind == "status":
        await Response.update({Response.status: rest[1]}).where(Response.id == response).run()
    elif kind == "edit":
        where = (of_response(response)) & (Answer.item == rest[1])
        await Answer.update({Answer.value: float(rest[2])}).where(where).run()
    elif kind == "drop_answer":
        await Answer.delete().where((of_response(response)) & (Answer.item == rest[1])).run()
    elif kind == "delete":
        await Response.delete().where(Response.id == response).run()
    else:
        await Response.update({Response.wave: world.waves[rest[1]]}).where(Response.id == response).run()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(OPERATIONS, min_size=1, max_size=14))
def test_the_snapshot_equals_the_database_after_any_writes(
    operations: list[tuple[Any, ...]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("world")
    url = f"sqlite:///{folder / 'data' / 'servicescore.sqlite3'}"
    columns = ["response_id", "item", "value"]

    async def scenario() -> None:
        world = await build_world(url)
        settings = settings_for(url, folder)
        ids: list[str] = []
        for done, operation in enumerate(operations, start=1):
            await _apply(world, ids, operation, settings)
            if done % 2 == 0 or done == len(operations):  # reads between writes make the snapshot merge
                assert (await _snapshot(settings)).select(columns).equals(await _sql(world)), operations[:done]

    asyncio.run(scenario())


def _steps(path: Path, statement: str, parameters: tuple[Any, ...]) -> int:
    """How many SQLite virtual-machine steps `statement` (and the triggers it fires) takes: work, not time."""
    with closing(sqlite3.connect(path)) as connection:
        steps = 0

        def count() -> int:
            nonlocal steps
            steps += 1
            return 0

        connection.set_progress_handler(count, 1)
        connection.execute(statement, parameters)
        connection.rollback()
    return steps


async def test_logging_a_change_costs_the_same_however_long_the_log(tmp_path: Path) -> None:
    """Replacing a response's change row is one index lookup: m0010's triggers scanned every change row of the
    partition for each logged answer, so a 20,000-response import took 263 s (m0013)."""
    path = tmp_path / "servicescore.sqlite3"
    world = await build_world(f"sqlite:///{path}")
    response = await world.add("zorngarden", "2026-Q1", [5, 4, 5])
    edit = "UPDATE answer SET value = 2 WHERE response_number = (SELECT number FROM response WHERE id = ?) AND item = ?"
    short = _steps(path, edit, (response, PULSE_ITEMS[0]))
    with closing(sqlite3.connect(path)) as connection:
        connection.execute(
            "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 5000)"
            " INSERT INTO snapshot_change (instrument_version, wave, response)"
            " SELECT ?, ?, lower(hex(randomblob(16))) FROM n",
            (world.versions["employee-pulse"], world.waves["2026-Q1"]),
        )
        connection.commit()
    long = _steps(path, edit, (response, PULSE_ITEMS[0]))
    assert long < short * 1.5, (short, long)
