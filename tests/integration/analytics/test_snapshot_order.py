"""The snapshot stores every partition in the order `export answers` writes (organisation, unit, response_id, item),
through a build, appended responses, edits, removals and the upkeep's compaction, so an export streams it as stored:
batches of bounded size, never a partition sorted whole."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from deltalake import DeltaTable, write_deltalake

from servicescore.cli import export
from servicescore.db.tables import Answer, Response
from servicescore.interchange.writing import write_answer_parts
from servicescore.jobs.kinds import snapshot_upkeep
from servicescore.snapshot import answers_in_order, export_batches, load_answers, refresh_snapshot, store, upkeep
from servicescore.snapshot.ordered import ORDER
from tests.support.analytics_world import build_world, settings_for
from tests.support.answer_rows import of_response
from tests.support.batch_sizes import BatchSizes
from tests.support.cli_runs import invoke

pytestmark = pytest.mark.anyio
Q1 = ("employee-pulse", "2026-Q1")


def _stored_files(folder: Path, key: tuple[str, str]) -> list[pl.DataFrame]:
    """The rows of each data file the table's current version holds for partition `key`, as stored."""
    table = DeltaTable(str(folder / "answers"))
    wanted = f"instrument={key[0]}/wave={key[1]}/"
    return [pl.read_parquet(uri) for uri in table.file_uris() if wanted in uri]


def _assert_each_file_in_order(folder: Path, key: tuple[str, str]) -> int:
    files = _stored_files(folder, key)
    for frame in files:
        assert frame.select(ORDER).equals(frame.select(ORDER).sort(ORDER)), "a data file is not in export order"
    return len(files)


async def _counted(database_url: str) -> pl.DataFrame:
    rows = await Answer.select(Answer.response_number._.id.as_alias("response"), Answer.item, Answer.value).where(
        Answer.response_number._.status.is_in(["complete", "approved"])
    )
    return pl.DataFrame(
        [(str(r["response"]), r["item"], r["value"]) for r in rows],
        schema={"response_id": pl.String, "item": pl.String, "value": pl.Float64},
        orient="row",
    ).sort("response_id", "item")


async def test_partitions_stay_in_export_order(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(upkeep, "COMPACT_FILES", 2)
    world = await build_world(database_url)
    settings = settings_for(database_url, tmp_path)
    ids = [
        await world.add(("zorngarden", "carl-larssons-gard")[n % 2], "2026-Q1", [n % 5 + 1, 3, 4]) for n in range(12)
    ]
    await asyncio.to_thread(refresh_snapshot, settings)
    assert _assert_each_file_in_order(settings.snapshot_dir, Q1) == 1
    table = DeltaTable(str(settings.snapshot_dir / "answers"))
    assert table.metadata().configuration[store.LAYOUT_KEY] == store.LAYOUT  # what tells an older table apart

    # New responses are appended, each file in order; an edit and a removal rewrite only the files holding them.
    for n in range(3):
        await world.add("carl-larssons-gard", "2026-Q1", [n + 1, 2, 2])
        await asyncio.to_thread(refresh_snapshot, settings)
    await Answer.update({Answer.value: 1.0}).where(of_response(ids[0])).run()
    await Response.update({Response.status: "partial"}).where(Response.id == ids[1]).run()
    report = await asyncio.to_thread(refresh_snapshot, settings)
    assert report.merged == [Q1]
    assert _assert_each_file_in_order(settings.snapshot_dir, Q1) > 2

    expected = await _counted(database_url)
    streamed = pl.concat(await asyncio.to_thread(lambda: list(answers_in_order(settings, *Q1))))
    assert streamed.select(ORDER).equals(streamed.select(ORDER).sort(ORDER))
    assert streamed.select("response_id", "item", "value").sort("response_id", "item").equals(expected)

    # The upkeep's compaction merges the files into one, still in order, with the same answers.
    done = await snapshot_upkeep(settings, datetime.now(UTC))
    assert done.compacted == [Q1]
    assert _assert_each_file_in_order(settings.snapshot_dir, Q1) == 1
    (compacted,) = _stored_files(settings.snapshot_dir, Q1)
    assert compacted.select(ORDER).equals(streamed.select(ORDER))
    frame = await asyncio.to_thread(lambda: load_answers(settings, "employee-pulse").collect())
    assert frame.select("response_id", "item", "value").sort("response_id", "item").equals(expected)


async def test_export_streams_each_partition_in_bounded_batches(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With files read 4 rows at a time, a partition of 12 responses in three files reaches the export writer as
    batches of at most 3 × 4 rows (one batch of each file merged), never as the whole partition, and the file it
    writes is the answers sorted by the export's six keys."""
    monkeypatch.setattr(store, "READ_BATCH", 4, raising=False)
    world = await build_world(database_url)
    settings = settings_for(database_url, tmp_path)
    for n in range(8):
        await world.add(("zorngarden", "carl-larssons-gard")[n % 2], f"2026-Q{n % 2 + 1}", [n % 5 + 1, 3, 4])
    await asyncio.to_thread(refresh_snapshot, settings)
    for waves in (["2026-Q1"] * 4, ["2026-Q1", "2026-Q1", "2026-Q2", "2026-Q2"]):  # two more files in Q1, one in Q2
        for n, wave in enumerate(waves):
            await world.add(("zorngarden", "carl-larssons-gard")[n % 2], wave, [n % 5 + 1, 2, 2])
        await asyncio.to_thread(refresh_snapshot, settings)
    assert _assert_each_file_in_order(settings.snapshot_dir, Q1) == 3

    sizes = BatchSizes()

    def spy(parts: Iterable[Iterable[pl.DataFrame]], path: Path, file_format: str, weighted: bool) -> None:
        write_answer_parts((sizes.counted(part) for part in parts), path, file_format, weighted)

    monkeypatch.setattr(export, "write_answer_parts", spy)
    monkeypatch.setenv("SERVICESCORE_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SERVICESCORE_DATABASE_URL", database_url)
    output = tmp_path / "answers.csv"
    result = await invoke("export", "answers", "-o", str(output))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"wrote 48 answers of 16 responses to {output}"
    assert [sum(part) for part in sizes] == [30, 18]
    assert max(size for part in sizes for size in part) <= 3 * 4
    assert len(sizes[0]) > 3
    exported = pl.read_csv(output, infer_schema=False)
    keys = ["instrument", "wave", *ORDER]
    assert exported.select(keys).equals(exported.select(keys).sort(keys))


async def test_an_organisations_export_reads_only_its_rows_from_the_files(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export of one organisation (a console or portal download) gives the files' scan its condition, which
    skips the row groups that cannot hold the organisation (at 1M responses, one organisation of 36: 1.5-1.7 s and
    645 MB reading every row, 0.13-0.6 s and 247 MB after); its rows come in the same order as before."""
    world = await build_world(database_url)
    settings = settings_for(database_url, tmp_path)
    for n in range(8):
        await world.add(("zorngarden", "carl-larssons-gard")[n % 2], "2026-Q1", [n % 5 + 1, 3, 4])
        if n % 4 == 3:  # two files
            await asyncio.to_thread(refresh_snapshot, settings)
    whole = pl.concat(await asyncio.to_thread(lambda: list(answers_in_order(settings, *Q1))))
    read: list[list[str]] = []
    real = store._file_batches

    def spy(where: store.Place, file: Any, keep: pl.Expr | None = None) -> Iterator[pl.DataFrame]:
        for batch in real(where, file) if keep is None else real(where, file, keep):
            read.append(batch.get_column("organisation").unique().sort().to_list())
            yield batch

    monkeypatch.setattr(store, "_file_batches", spy)
    zorngarden = pl.col("organisation") == "zorngarden"
    scoped = await asyncio.to_thread(lambda: [b for part in export_batches(settings, [Q1], zorngarden) for b in part])
    assert len(read) >= 2
    assert all(organisations == ["zorngarden"] for organisations in read), read
    assert pl.concat(scoped).equals(whole.filter(zorngarden))


async def test_a_snapshot_written_before_the_ordered_layout_is_rebuilt_in_order(
    database_url: str, tmp_path: Path
) -> None:
    """A table without the layout in its configuration, under a manifest of the format before it (as an older
    ServiceScore left them: delta-rs's own writer, rows in no particular order), is made anew at the next refresh."""
    world = await build_world(database_url)
    settings = settings_for(database_url, tmp_path)
    for n in range(8):
        await world.add(("zorngarden", "carl-larssons-gard")[n % 2], f"2026-Q{n % 2 + 1}", [n % 5 + 1, 3, 4])
    await asyncio.to_thread(refresh_snapshot, settings)
    answers = await asyncio.to_thread(lambda: load_answers(settings, "employee-pulse").collect())
    folder = settings.snapshot_dir
    shutil.rmtree(folder / "answers")
    write_deltalake(str(folder / "answers"), answers.sort(ORDER, descending=True).to_arrow(),
                    partition_by=["instrument", "wave"])  # fmt: skip
    manifest = json.loads((folder / "manifest.json").read_text())
    (folder / "manifest.json").write_text(json.dumps({**manifest, "format": 3}))
    assert store.LAYOUT_KEY not in DeltaTable(str(folder / "answers")).metadata().configuration

    report = await asyncio.to_thread(refresh_snapshot, settings)
    assert sorted(report.rebuilt) == [Q1, ("employee-pulse", "2026-Q2")]
    table = DeltaTable(str(folder / "answers"))
    assert table.metadata().configuration[store.LAYOUT_KEY] == store.LAYOUT
    for key in report.rebuilt:
        assert _assert_each_file_in_order(folder, key) == 1
    again = await asyncio.to_thread(lambda: load_answers(settings, "employee-pulse").collect())
    assert again.sort("response_id", "item").equals(answers.sort("response_id", "item"))
