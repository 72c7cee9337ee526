"""The analytics snapshot in a bucket (SERVICESCORE_STORAGE_URL=s3://…): `servicescore export answers` builds it
there, not in the data dir, and other engines read it in place: Polars' Delta scanner and delta-rs's PyArrow
dataset count the same answers as the export, and another machine reads it without building its own."""

from __future__ import annotations

import asyncio
from pathlib import Path

import polars as pl
import pytest
from deltalake import DeltaTable

from servicescore.settings import Settings
from servicescore.snapshot import load_answers, refresh_snapshot
from servicescore.storage import storage_for
from tests.support.cli_runs import invoke

pytestmark = pytest.mark.anyio
KEY = ["instrument", "wave", "response_id", "item"]


def _counted(frame: pl.DataFrame) -> pl.DataFrame:
    """Answers per instrument and wave, and their values' sum: the counted answers, compared as numbers."""
    return (
        frame.group_by("instrument", "wave")
        .agg(pl.len().alias("answers"), pl.col("response_id").n_unique().alias("responses"), pl.col("value").sum())
        .sort("instrument", "wave")
    )


async def test_engines_read_the_snapshot_in_the_bucket_as_the_export_counts(
    storage_url: str, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    monkeypatch.setenv("SERVICESCORE_DATA_DIR", str(data_dir))
    monkeypatch.setenv("SERVICESCORE_DATABASE_URL", database_url)
    monkeypatch.setenv("SERVICESCORE_STORAGE_URL", storage_url)
    exported = await invoke("export", "answers", "-o", str(tmp_path / "answers.parquet"))
    assert exported.exit_code == 0, exported.output
    export = pl.read_parquet(tmp_path / "answers.parquet")
    assert export.height > 1000  # the demo world

    settings = Settings(data_dir=data_dir, database_url=database_url, storage_url=storage_url)
    stored = [stored.key for stored in storage_for(settings).list("snapshot")]
    assert "snapshot/manifest.json" in stored
    assert any(key.startswith("snapshot/answers/_delta_log/") for key in stored)
    assert any(key.startswith("snapshot/answers/instrument=visitor-survey/wave=") for key in stored)
    assert not (data_dir / "snapshot" / "answers").exists()  # nothing of it on this machine's disk
    assert not (data_dir / "snapshot" / "manifest.json").exists()

    table = f"{storage_url}/snapshot/answers"
    options = storage_for(settings).table_options()
    assert options["AWS_ENDPOINT_URL"].startswith("http://127.0.0.1:")
    by_polars = pl.scan_delta(table, storage_options=options).collect()
    dataset = DeltaTable(table, storage_options=options).to_pyarrow_dataset()
    by_arrow = pl.from_arrow(dataset.to_table())
    assert isinstance(by_arrow, pl.DataFrame)

    assert by_polars.height == by_arrow.height == export.height
    expected = _counted(export)
    assert _counted(by_polars).equals(expected)
    assert _counted(by_arrow).equals(expected)
    columns = [*KEY, "value"]
    assert by_polars.select(columns).sort(KEY).equals(export.select(columns).sort(KEY))
    assert by_arrow.select(columns).sort(KEY).equals(export.select(columns).sort(KEY))

    # Another machine (its own, empty data dir) finds the snapshot current: it builds no copy of its own.
    elsewhere = Settings(data_dir=tmp_path / "other", database_url=database_url, storage_url=storage_url)
    report = await asyncio.to_thread(refresh_snapshot, elsewhere)
    assert (report.rebuilt, report.merged, report.rows_written) == ([], [], 0)
    assert report.kept == by_polars.select("instrument", "wave").n_unique()
    frame = await asyncio.to_thread(lambda: load_answers(elsewhere, "visitor-survey").collect())
    assert frame.height == export.filter(pl.col("instrument") == "visitor-survey").height
