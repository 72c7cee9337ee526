from __future__ import annotations

import asyncio
import json
import sys
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

import polars as pl
import pytest
from deltalake import DeltaTable

from servicescore.db import snapshot_reads
from servicescore.db.tables import Answer, Organisation, Response, Wave
from servicescore.jobs.kinds import snapshot_upkeep  # and with it every periodic job
from servicescore.jobs.registry import PERIODIC
from servicescore.scoring import ANSWER_SCHEMA
from servicescore.snapshot import answers_in_order, load_answers, refresh, refresh_snapshot, upkeep
from servicescore.snapshot.ordered import ORDER
from tests.support.analytics_world import build_world, settings_for
from tests.support.answer_rows import of_response

pytestmark = pytest.mark.anyio


async def _counted_answers_in_sql() -> int:
    return await Answer.count().where(Answer.response_number._.status.is_in(["complete", "approved"])).run()


def _files(folder: Path, wave: str) -> set[str]:
    """The data files the Delta table's current version holds for one employee-pulse wave."""
    table = DeltaTable(str(folder / "answers"))
    return {uri for uri in table.file_uris() if f"wave={wave}/" in uri}


async def test_snapshot_follows_the_database(database_url: str, tmp_path: Path) -> None:
    world = await build_world(database_url)
    settings = settings_for(database_url, tmp_path)
    kept = [await world.add("zorngarden", "2026-Q1", [5, 4, 5]) for _ in range(3)]
    await world.add("carl-larssons-gard", "2026-Q1", [3, 3, 2], segment="staff")
    await world.add("carl-larssons-gard", "2026-Q2", [2, 3, 3])
    await world.add("zorngarden", "2026-Q2", [4, 4, 4], status="partial")  # never counted

    frame = await asyncio.to_thread(lambda: load_answers(settings, "employee-pulse").collect())
    assert frame.schema == pl.Schema(ANSWER_SCHEMA)
    assert frame.height == await _counted_answers_in_sql() == 15
    assert frame.filter(pl.col("wave") == "2026-Q1").height == 12
    assert set(frame.get_column("section")) == {"engagement", "overall"}
    assert frame.filter(pl.col("segment") == "staff").height == 3
    assert frame.get_column("segment").null_count() == 12
    assert frame.get_column("submitted_at").min() == datetime(2026, 3, 1, 0, 0, 1, tzinfo=UTC)

    # A status change that takes a response out of the results (approved→returned, complete→partial).
    before = _files(settings.snapshot_dir, "2026-Q2")
    await Response.update({Response.status: "partial"}).where(Response.id == kept[0]).run()
    report = await asyncio.to_thread(refresh_snapshot, settings, "employee-pulse")
    assert report.merged == [("employee-pulse", "2026-Q1")]  # the one changed response, not the wave
    assert report.rebuilt == []
    assert report.kept == 1
    assert _files(settings.snapshot_dir, "2026-Q2") == before  # the untouched partition was not rewritten

    frame = await asyncio.to_thread(lambda: load_answers(settings, "employee-pulse", ["2026-Q1"]).collect())
    assert kept[0] not in set(frame.get_column("response_id"))
    assert frame.height == 9

    # A new response appears at the next read, with nothing to rebuild afterwards.
    new = await world.add("zorngarden", "2026-Q2", [1, 2, 3])
    frame = await asyncio.to_thread(lambda: load_answers(settings, "employee-pulse").collect())
    assert new in set(frame.get_column("response_id"))
    assert frame.height == await _counted_answers_in_sql() == 15
    again = await asyncio.to_thread(refresh_snapshot, settings, "employee-pulse")
    assert again.rebuilt == again.merged == []
    assert again.kept == 2

    # The last counted response of a wave leaves: the partition becomes empty, not stale.
    for response_id in frame.filter(pl.col("wave") == "2026-Q2").get_column("response_id").unique():
        await Response.update({Response.status: "partial"}).where(Response.id == response_id).run()
    report = await asyncio.to_thread(refresh_snapshot, settings)
    assert report.emptied == [("employee-pulse", "2026-Q2")]
    frame = await asyncio.to_thread(lambda: load_answers(settings, "employee-pulse").collect())
    assert set(frame.get_column("wave")) == {"2026-Q1"}
    assert frame.height == await _counted_answers_in_sql() == 9


async def test_unknown_instrument_or_wave_reads_empty(database_url: str, tmp_path: Path) -> None:
    world = await build_world(database_url)
    settings = settings_for(database_url, tmp_path)
    await world.add("zorngarden", "2026-Q1", [5, 4, 5])
    frame = await asyncio.to_thread(lambda: load_answers(settings, "employee-pulse", ["1999-Q1"]).collect())
    assert frame.height == 0
    assert frame.schema == pl.Schema(ANSWER_SCHEMA)
    frame = await asyncio.to_thread(lambda: load_answers(settings, "visitor-survey").collect())
    assert frame.height == 0


async def test_a_renamed_organisation_reaches_the_snapshot(database_url: str, tmp_path: Path) -> None:
    world = await build_world(database_url)
    settings = settings_for(database_url, tmp_path)
    await world.add("zorngarden", "2026-Q1", [5, 4, 5])
    frame = await asyncio.to_thread(lambda: load_answers(settings, "employee-pulse").collect())
    assert set(frame.get_column("organisation")) == {"zorngarden"}
    # New organisations and waves leave built partitions alone...
    await Organisation.insert(Organisation(slug="nya", name="Nya")).run()
    await Wave.insert(Wave(key="2027-Q1")).run()
    report = await asyncio.to_thread(refresh_snapshot, settings, "employee-pulse")
    assert report.rebuilt == report.merged == []
    # ...but a rename reaches them, though no response changes: the names' digest in the fingerprint notices.
    await Organisation.update({Organisation.slug: "zorn"}).where(Organisation.slug == "zorngarden").run()
    report = await asyncio.to_thread(refresh_snapshot, settings, "employee-pulse")
    assert report.rebuilt == [("employee-pulse", "2026-Q1")]
    frame = await asyncio.to_thread(lambda: load_answers(settings, "employee-pulse").collect())
    assert set(frame.get_column("organisation")) == {"zorn"}


async def test_refreshes_append_and_the_upkeep_job_compacts(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Responses the snapshot does not hold yet are appended as a small file (the partition is not read or
    rewritten); an edited one is merged. No refresh compacts, however many files a partition has (a reader paid for
    the compaction of the refresh that passed the limit): the periodic upkeep job compacts every partition past
    COMPACT_FILES files, and the answers stay those of the database throughout."""
    monkeypatch.setattr(upkeep, "COMPACT_FILES", 3)
    assert "snapshot-upkeep" in PERIODIC
    world = await build_world(database_url)
    settings = settings_for(database_url, tmp_path)
    first = await world.add("zorngarden", "2026-Q1", [5, 4, 5])
    await asyncio.to_thread(refresh_snapshot, settings)
    before = _files(settings.snapshot_dir, "2026-Q1")

    await world.add("zorngarden", "2026-Q1", [3, 3, 3])
    report = await asyncio.to_thread(refresh_snapshot, settings)
    assert report.appended == report.merged == [("employee-pulse", "2026-Q1")]
    assert _files(settings.snapshot_dir, "2026-Q1") > before  # the old file kept, one added

    await Answer.update({Answer.value: 1.0}).where(of_response(first)).run()
    report = await asyncio.to_thread(refresh_snapshot, settings)
    assert report.merged == [("employee-pulse", "2026-Q1")]
    assert report.appended == []

    files = []
    for _ in range(4):
        await world.add("carl-larssons-gard", "2026-Q1", [2, 2, 2])
        await asyncio.to_thread(refresh_snapshot, settings)
        files.append(len(_files(settings.snapshot_dir, "2026-Q1")))
    assert files == [files[0] + n for n in range(4)]
    assert files[-1] > upkeep.COMPACT_FILES

    done = await snapshot_upkeep(settings, datetime.now(UTC))
    assert done.compacted == [("employee-pulse", "2026-Q1")]
    assert len(_files(settings.snapshot_dir, "2026-Q1")) == 1
    assert (await snapshot_upkeep(settings, datetime.now(UTC))).compacted == []
    frame = await asyncio.to_thread(lambda: load_answers(settings, "employee-pulse").collect())
    assert frame.height == await _counted_answers_in_sql() == 18
    assert frame.filter(pl.col("response_id") == first).get_column("value").to_list() == [1.0, 1.0, 1.0]


async def test_new_responses_in_several_waves_cost_one_plan_and_one_commit(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refresh that finds only new responses reads the partition versions once (not again under the lock when no
    other refresher changed the manifest meanwhile), appends to every partition in one Delta commit, and counts the
    rows without listing the table's files: a thousand new responses across the waves cost what one does (before:
    two plans, a commit and a scan per partition, then a file listing)."""
    world = await build_world(database_url)
    settings = settings_for(database_url, tmp_path)
    for wave in ("2026-Q1", "2026-Q2"):
        await world.add("zorngarden", wave, [5, 4, 5])
    await asyncio.to_thread(refresh_snapshot, settings)
    commits = len(DeltaTable(str(settings.snapshot_dir / "answers")).history())
    plans: list[str | None] = []
    check = snapshot_reads.freshness

    def counted_checks(url: str, instrument: str | None = None) -> snapshot_reads.Freshness:
        plans.append(instrument)
        return check(url, instrument)

    def no_listing(*_: object) -> None:
        raise AssertionError("an append-only refresh listed the table's files")

    monkeypatch.setattr(snapshot_reads, "freshness", counted_checks)
    monkeypatch.setattr(refresh, "partition_rows", no_listing)
    for wave in ("2026-Q1", "2026-Q2", "2026-Q2"):
        await world.add("carl-larssons-gard", wave, [1, 2, 3])
    report = await asyncio.to_thread(refresh_snapshot, settings)
    assert sorted(report.appended) == [("employee-pulse", "2026-Q1"), ("employee-pulse", "2026-Q2")]
    assert len(plans) == 1
    assert len(DeltaTable(str(settings.snapshot_dir / "answers")).history()) == commits + 1
    monkeypatch.undo()
    frame = await asyncio.to_thread(lambda: load_answers(settings, "employee-pulse").collect())
    assert frame.height == await _counted_answers_in_sql() == 15
    assert frame.group_by("wave").len().sort("wave").get_column("len").to_list() == [6, 9]


async def test_a_new_response_is_appended_without_reading_the_snapshot(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refresh tells a new response from a changed one by its change row (m0022: the first change logged of the
    response in the partition), not by reading the partition's response ids (2.75M of them at 1M responses): a new
    one is appended and no row of the table is read. A response the snapshot holds is merged, also when the upkeep
    has pruned its change rows; one that leaves and comes back is counted once."""
    world = await build_world(database_url)
    settings = settings_for(database_url, tmp_path)
    key = ("employee-pulse", "2026-Q1")
    first = await world.add("zorngarden", "2026-Q1", [5, 4, 5])
    await asyncio.to_thread(refresh_snapshot, settings)

    def no_scan(*_: object, **__: object) -> pl.LazyFrame:
        raise AssertionError("the refresh read the snapshot's rows")

    monkeypatch.setattr(pl, "scan_delta", no_scan)
    new = await world.add("carl-larssons-gard", "2026-Q1", [1, 2, 3])
    report = await asyncio.to_thread(refresh_snapshot, settings)
    assert report.appended == [key]
    monkeypatch.undo()

    async def counted_once() -> None:
        frame = await asyncio.to_thread(lambda: load_answers(settings, "employee-pulse").collect())
        assert frame.height == await _counted_answers_in_sql()
        assert frame.select(pl.struct("response_id", "item").is_unique().all()).item()

    # Every change row the snapshot applied is pruned: an edit of a held response is merged, not appended again.
    assert (await snapshot_upkeep(settings, datetime.now(UTC))).pruned == 2
    await Answer.update({Answer.value: 1.0}).where(of_response(first)).run()
    report = await asyncio.to_thread(refresh_snapshot, settings)
    assert (report.merged, report.appended) == ([key], [])
    await counted_once()

    # Leaving and coming back between two refreshes: the snapshot holds it, so it is merged.
    for status in ("partial", "complete"):
        await Response.update({Response.status: status}).where(Response.id == new).run()
    report = await asyncio.to_thread(refresh_snapshot, settings)
    assert (report.merged, report.appended) == ([key], [])
    await counted_once()

    # Gone from the snapshot and its rows pruned, it comes back as new.
    await Response.update({Response.status: "partial"}).where(Response.id == new).run()
    await asyncio.to_thread(refresh_snapshot, settings)
    await snapshot_upkeep(settings, datetime.now(UTC))
    await Response.update({Response.status: "complete"}).where(Response.id == new).run()
    report = await asyncio.to_thread(refresh_snapshot, settings)
    assert report.appended == [key]
    await counted_once()


async def test_a_refresh_reads_the_database_through_one_connection(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refresh's reads (partition versions, names' stamp, changes, the new responses and their answers) share one
    connection: on PostgreSQL each connection costs the client about 40 ms of CPU, and the six a refresh after one
    new response opened were 240 of its 340 ms."""
    world = await build_world(database_url)
    settings = settings_for(database_url, tmp_path)
    await world.add("zorngarden", "2026-Q1", [5, 4, 5])
    await asyncio.to_thread(refresh_snapshot, settings)
    opened: list[str] = []
    reading = snapshot_reads._reading

    def counted(url: str) -> AbstractContextManager[snapshot_reads.Read]:
        opened.append(url)
        return reading(url)

    monkeypatch.setattr(snapshot_reads, "_reading", counted)
    await world.add("zorngarden", "2026-Q1", [1, 2, 3])
    report = await asyncio.to_thread(refresh_snapshot, settings)
    assert report.appended == [("employee-pulse", "2026-Q1")]
    assert opened == [settings.database]


_COMPACTING = """
import sys, time
from pathlib import Path
from servicescore.settings import CHECKOUT_DIR, Settings
from servicescore.snapshot import upkeep
upkeep.COMPACT_FILES = 1
settings = Settings(data_dir=Path(sys.argv[1]), database_url=sys.argv[2], surveys_dir=CHECKOUT_DIR / "surveys")
stop = Path(sys.argv[3])
compactions = 0
print("ready", flush=True)
while not stop.exists():
    compactions += len(upkeep.compact_partitions(settings).compacted)
    time.sleep(0.05)
print(compactions)
"""


async def test_upkeep_in_another_process_never_loses_or_doubles_an_answer(database_url: str, tmp_path: Path) -> None:
    """Another process compacts every partition over and over while this one writes and refreshes: both hold the
    refresh lock (a file lock, and on PostgreSQL an advisory lock), so the snapshot never counts an answer twice or
    misses one."""
    world = await build_world(database_url)
    settings = settings_for(database_url, tmp_path)
    await world.add("zorngarden", "2026-Q1", [5, 4, 5])
    await asyncio.to_thread(refresh_snapshot, settings)
    stop = tmp_path / "stop"
    compacting = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _COMPACTING, str(settings.data_dir), database_url, str(stop),
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        assert compacting.stdout is not None
        assert await compacting.stdout.readline() == b"ready\n"
        for number in range(12):
            await world.add("carl-larssons-gard", f"2026-Q{number % 2 + 1}", [number % 5 + 1, 2, 3])
            frame = await asyncio.to_thread(lambda: load_answers(settings, "employee-pulse").collect())
            assert frame.height == await _counted_answers_in_sql()
            assert frame.group_by("response_id", "item").len().get_column("len").max() == 1
    finally:
        stop.touch()
        output, _ = await compacting.communicate()
    assert compacting.returncode == 0, output
    assert int(output) > 0  # it did compact while this process appended


async def test_a_first_build_in_runs_holds_every_counted_answer_in_order(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full build sorts a run of answers at a time (memory holds one run, not the table), each run one file of its
    partition, and adds every file in one commit after the one that makes the table (with its ordered layout): with
    runs of 4 answers, read 2 at a time, a response's answers are split over files. Every file is in `ORDER`, and a
    partition read in export order equals its answers sorted whole."""
    monkeypatch.setattr(refresh, "BUILD_ANSWERS", 4)
    monkeypatch.setattr(snapshot_reads, "_SLICE", 2)
    world = await build_world(database_url)
    settings = settings_for(database_url, tmp_path)
    for number in range(7):
        status = "partial" if number == 3 else "complete"
        organisation = "zorngarden" if number % 3 else "carl-larssons-gard"
        await world.add(organisation, f"2026-Q{number % 2 + 1}", [number % 5 + 1, 4, 5], status=status)
    report = await asyncio.to_thread(refresh_snapshot, settings)
    assert sorted(report.rebuilt) == [("employee-pulse", "2026-Q1"), ("employee-pulse", "2026-Q2")]
    assert report.rows_written == 18
    table = DeltaTable(str(settings.snapshot_dir / "answers"))
    assert [entry["operation"] for entry in reversed(table.history())] == ["CREATE OR REPLACE TABLE", "WRITE"]
    files = pl.DataFrame(table.get_add_actions(flatten=True))
    assert files.group_by("partition.wave").len().sort("partition.wave").get_column("len").to_list() == [3, 2]
    for path in files.get_column("path"):
        stored = pl.read_parquet(settings.snapshot_dir / "answers" / unquote(path))
        assert stored.equals(stored.sort(ORDER))
    frame = await asyncio.to_thread(lambda: load_answers(settings, "employee-pulse").collect())
    assert frame.height == await _counted_answers_in_sql() == 18
    assert frame.group_by("response_id").len().get_column("len").to_list() == [3] * 6
    for wave in ("2026-Q1", "2026-Q2"):
        exported = pl.concat(answers_in_order(settings, "employee-pulse", wave))
        assert exported.equals(frame.filter(pl.col("wave") == wave).sort(ORDER).select(exported.columns))


async def test_a_refresh_that_died_before_its_manifest_is_not_applied_twice(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refresh commits the table, then writes the manifest. Dead in between (a SIGKILL in the kill test doubled
    30 answers of a dashboard), the next refresh found the partition's version moved and appended the same responses
    again. The partitions a refresh that did not finish was writing are rebuilt instead."""
    world = await build_world(database_url)
    settings = settings_for(database_url, tmp_path)
    await world.add("zorngarden", "2026-Q1", [4, 4, 5])
    await asyncio.to_thread(refresh_snapshot, settings)

    def dies(*_: object) -> None:
        raise SystemExit("killed after the table's commit")

    monkeypatch.setattr(refresh, "write_manifest", dies)
    await world.add("zorngarden", "2026-Q1", [3, 2, 5])
    with pytest.raises(SystemExit):
        await asyncio.to_thread(refresh_snapshot, settings)
    monkeypatch.undo()
    report = await asyncio.to_thread(refresh_snapshot, settings)
    assert (report.rebuilt, report.appended) == ([("employee-pulse", "2026-Q1")], [])
    frame = await asyncio.to_thread(lambda: load_answers(settings, "employee-pulse").collect())
    assert frame.height == await _counted_answers_in_sql() == 6
    assert frame.group_by("response_id", "item").len().get_column("len").max() == 1
    assert not (settings.snapshot_dir / "writing.json").exists(), "a refresh that finished leaves no mark"


_APPEND_IN_A_NEW_PROCESS = """
import sys
from pathlib import Path
from servicescore.settings import CHECKOUT_DIR, Settings
from servicescore.snapshot import refresh_snapshot
settings = Settings(data_dir=Path(sys.argv[1]), database_url=sys.argv[2], surveys_dir=CHECKOUT_DIR / "surveys")
report = refresh_snapshot(settings)
print(report.appended, "pyarrow.compute" in sys.modules)
"""


async def test_a_first_append_in_a_process_does_not_load_pyarrow_compute(database_url: str, tmp_path: Path) -> None:
    """Each data file was cast to its own schema, which loaded `pyarrow.compute` (60–300 ms of CPU on a loaded
    machine) in every process's first refresh that wrote, to change nothing: Polars gives the file's types."""
    world = await build_world(database_url)
    settings = settings_for(database_url, tmp_path)
    await world.add("zorngarden", "2026-Q1", [5, 4, 5])
    await asyncio.to_thread(refresh_snapshot, settings)
    await world.add("carl-larssons-gard", "2026-Q1", [1, 2, 3])
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _APPEND_IN_A_NEW_PROCESS, str(settings.data_dir), database_url,
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    output, _ = await child.communicate()
    assert child.returncode == 0
    assert output.decode().split("\n")[0] == "[('employee-pulse', '2026-Q1')] False"
    frame = await asyncio.to_thread(lambda: load_answers(settings, "employee-pulse").collect())
    assert frame.height == await _counted_answers_in_sql() == 6


async def test_the_upkeep_checkpoints_the_tables_log(database_url: str, tmp_path: Path) -> None:
    """A refresh that writes loads the table, reading every log entry since the last checkpoint (delta-rs writes one
    every 100 commits; each such refresh is a commit): the upkeep writes one at the table's current version, and
    refreshes go on from it."""
    world = await build_world(database_url)
    settings = settings_for(database_url, tmp_path)
    log = settings.snapshot_dir / "answers" / "_delta_log"
    for number in range(3):
        await world.add("zorngarden", "2026-Q1", [number + 1, 4, 5])
        await asyncio.to_thread(refresh_snapshot, settings)
    assert not (log / "_last_checkpoint").exists()

    await snapshot_upkeep(settings, datetime.now(UTC))
    version = DeltaTable(str(settings.snapshot_dir / "answers")).version()
    assert (log / "_last_checkpoint").is_file()
    assert json.loads((log / "_last_checkpoint").read_text())["version"] == version

    await world.add("carl-larssons-gard", "2026-Q1", [1, 2, 3])
    report = await asyncio.to_thread(refresh_snapshot, settings)
    assert report.appended == [("employee-pulse", "2026-Q1")]
    frame = await asyncio.to_thread(lambda: load_answers(settings, "employee-pulse").collect())
    assert frame.height == await _counted_answers_in_sql() == 12
