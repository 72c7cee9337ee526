"""`servicescore export answers` of the demo world gives the same file as it always has: digests taken from the
export before the snapshot was stored in export order (when each partition was sorted whole at export time)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest

from tests.support.cli_runs import invoke
from tests.support.demo_world import copy_demo_world

pytestmark = pytest.mark.anyio

ANSWERS = "wrote 68398 answers of 5485 responses to {}"
CSV_SHA256 = "2a888e4d846d10cbda173cb55fb7ba364b0e552249fcc6dbefbadbf22aa7ee04"
# The Parquet file's bytes also carry the writing pyarrow's version, so its rows (as CSV) and row groups are compared.
PARQUET_ROWS_SHA256 = "40e3571724fbba4251ba0022a8cad76bbda2343d450f4a6c19bace41ab3a74db"
PARQUET_ROW_GROUPS = [218, 226, 225, 127, 3695, 3672, 3610, 3561, 1571, 1563, 1561, 1448, 1563, 1557, 1559, 1258,
                      10260, 10241, 10108, 10375]  # fmt: skip


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


async def test_the_demo_export_keeps_its_bytes(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = copy_demo_world(tmp_path_factory, tmp_path / "data")
    monkeypatch.setenv("SERVICESCORE_DATA_DIR", str(data_dir))
    monkeypatch.delenv("SERVICESCORE_DATABASE_URL", raising=False)
    monkeypatch.delenv("SERVICESCORE_STORAGE_URL", raising=False)
    for file_format in ("csv", "parquet"):
        output = tmp_path / f"answers.{file_format}"
        result = await invoke("export", "answers", "-o", str(output))
        assert result.exit_code == 0, result.output
        assert result.output.strip() == ANSWERS.format(output)
    assert _sha256((tmp_path / "answers.csv").read_bytes()) == CSV_SHA256
    parquet = tmp_path / "answers.parquet"
    assert _sha256(pl.read_parquet(parquet).write_csv().encode()) == PARQUET_ROWS_SHA256
    metadata = pq.ParquetFile(parquet).metadata
    assert [metadata.row_group(n).num_rows for n in range(metadata.num_row_groups)] == PARQUET_ROW_GROUPS
