"""Writing answers as a long answer file (CSV, XLSX or Parquet) in the import's own columns."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import BinaryIO, Final

import polars as pl
import pyarrow.parquet as pq

from servicescore.interchange.columns import LONG_COLUMNS
from servicescore.interchange.formulas import neutralise
from servicescore.scoring import ANSWER_SCHEMA

# Rows per Parquet row group, the most a Parquet export holds at once: pyarrow's default of 1Mi rows held 1.3 GB at
# 11M answers. A part with fewer rows is one group, as when each part was written whole.
ROW_GROUP: Final[int] = 128 * 1024


def is_weighted(answers: pl.DataFrame | pl.LazyFrame) -> bool:
    """Whether some respondent's weight differs from 1: only then does a file get a weight column."""
    found = answers.lazy().select((pl.col("weight") != 1.0).any()).collect().item()
    return bool(found)


def long_answers(answers: pl.DataFrame, weighted: bool | None = None) -> pl.DataFrame:
    """`ANSWER_SCHEMA` answers in the file columns: no section (the definition says it), no weight column
    unless some respondent's weight differs from 1 (`weighted`, found in `answers` when not given)."""
    columns = list(LONG_COLUMNS)
    if is_weighted(answers) if weighted is None else weighted:
        columns.append("weight")
    return answers.select(columns)


def _as_text(frame: pl.DataFrame) -> pl.DataFrame:
    # ISO 8601 text: spreadsheets have no time zones, and the import reads this form back exactly. A response's
    # answers are adjacent and share its time, so each run of equal times is formatted once (11 answers a response
    # at 11M answers: formatting every row cost 1.7 s of 10.8 s CPU).
    times = pl.col("submitted_at")
    text = times.rle().struct.field("value").dt.to_string("%Y-%m-%dT%H:%M:%S%.fZ").gather(times.rle_id())
    return neutralise(frame.with_columns(text.alias("submitted_at")))


def write_answers(answers: pl.DataFrame, path: Path, file_format: str) -> None:
    """Write `ANSWER_SCHEMA` answers to `path`; CSV and XLSX text cells are neutralised against formulas."""
    frame = long_answers(answers)
    if file_format == "parquet":
        frame.write_parquet(path, compression="zstd")
    elif file_format == "csv":
        _as_text(frame).write_csv(path)
    elif file_format == "xlsx":
        _as_text(frame).write_excel(path, worksheet="answers", autofit=False)
    else:
        raise ValueError(f"unknown format {file_format!r}")


def write_answer_parts(parts: Iterable[Iterable[pl.DataFrame]], path: Path, file_format: str, weighted: bool) -> None:
    """Write `ANSWER_SCHEMA` answers given part by part, each part as batches, one batch in memory at a time (CSV;
    Parquet holds a row group of `ROW_GROUP` rows at most; a spreadsheet is built whole), as `write_answers` writes
    them all: the file is the parts one after another, and a Parquet row group never spans two parts."""
    empty = pl.DataFrame(schema=ANSWER_SCHEMA)
    if file_format == "xlsx":
        whole = [batch for part in parts for batch in part]
        write_answers(pl.concat(whole) if whole else empty, path, file_format)
        return
    if file_format not in {"csv", "parquet"}:
        raise ValueError(f"unknown format {file_format!r}")
    write = _write_csv if file_format == "csv" else _write_parquet
    with path.open("wb") as handle:
        written = write(parts, handle, weighted)
    if not written:
        write_answers(empty, path, file_format)


def _write_csv(parts: Iterable[Iterable[pl.DataFrame]], handle: BinaryIO, weighted: bool) -> bool:
    """Each batch is made text here while a thread writes the batch before, so both cores work: at 11M answers,
    the CSV serialisation and the system's writing of 1.6 GB cost as much CPU as reading and formatting. Only the
    writing moves to the thread; reading the snapshot (and the database) stays on this one."""
    header = True
    with ThreadPoolExecutor(1, thread_name_prefix="csv-write") as writer:
        written: Future[None] | None = None
        for batch in (batch for part in parts for batch in part):
            text = _as_text(long_answers(batch, weighted))
            if written is not None:
                written.result()
            written = writer.submit(text.write_csv, handle, include_header=header)
            header = False
        if written is not None:
            written.result()
    return not header


def _write_parquet(parts: Iterable[Iterable[pl.DataFrame]], handle: BinaryIO, weighted: bool) -> bool:
    with ExitStack() as stack:
        writer: pq.ParquetWriter | None = None
        for part in parts:
            for group in _row_groups(long_answers(batch, weighted) for batch in part):
                table = group.to_arrow()
                if writer is None:
                    writer = stack.enter_context(pq.ParquetWriter(handle, table.schema, compression="zstd"))
                writer.write_table(table)
        return writer is not None


def _row_groups(batches: Iterable[pl.DataFrame]) -> Iterator[pl.DataFrame]:
    """`batches` regrouped into frames of `ROW_GROUP` rows (the last one shorter), each one contiguous block."""
    held: list[pl.DataFrame] = []
    rows = 0
    for batch in batches:
        start = 0
        while start < batch.height:
            taken = batch.slice(start, ROW_GROUP - rows)
            held.append(taken)
            rows += taken.height
            start += taken.height
            if rows == ROW_GROUP:
                yield pl.concat(held, rechunk=True)
                held, rows = [], 0
    if held:
        yield pl.concat(held, rechunk=True)
