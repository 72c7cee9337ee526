"""Writing answers as a long answer file (CSV, XLSX or Parquet) in the import's own columns."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from functools import partial
from pathlib import Path
from typing import BinaryIO, Final, TypeVar

import polars as pl
import pyarrow.parquet as pq

from servicescore.interchange.columns import LONG_COLUMNS
from servicescore.interchange.formulas import neutralise
from servicescore.interchange.xlsx import Sheet, write_workbook
from servicescore.scoring import ANSWER_SCHEMA

# Rows per Parquet row group, the most a Parquet export holds at once: pyarrow's default of 1Mi rows held 1.3 GB at
# 11M answers. A part with fewer rows is one group, as when each part was written whole.
ROW_GROUP: Final[int] = 128 * 1024
SHEET: Final[str] = "answers"  # an XLSX file's sheet
Written = TypeVar("Written")


def is_weighted(answers: pl.DataFrame | pl.LazyFrame) -> bool:
    """Whether some respondent's weight differs from 1: only then does a file get a weight column."""
    found = answers.lazy().select((pl.col("weight") != 1.0).any()).collect().item()
    return bool(found)


def long_answers(answers: pl.DataFrame, weighted: bool | None = None) -> pl.DataFrame:
    """`ANSWER_SCHEMA` answers in the file columns: no section (the definition says it), no weight column
    unless some respondent's weight differs from 1 (`weighted`, found in `answers` when not given)."""
    return answers.select(answer_columns(is_weighted(answers) if weighted is None else weighted))


def _as_text(frame: pl.DataFrame) -> pl.DataFrame:
    # ISO 8601 text: spreadsheets have no time zones, and the import reads this form back exactly. A response's
    # answers are adjacent and share its time, so each run of equal times is formatted once (11 answers a response
    # at 11M answers: formatting every row cost 1.7 s of 10.8 s CPU). A client viewer's copy holds dates only.
    if "submitted_at" not in frame.columns:
        return neutralise(frame)
    times = pl.col("submitted_at")
    form = "%Y-%m-%d" if frame.schema["submitted_at"] == pl.Date else "%Y-%m-%dT%H:%M:%S%.fZ"
    text = times.rle().struct.field("value").dt.to_string(form).gather(times.rle_id())
    return neutralise(frame.with_columns(text.alias("submitted_at")))


def write_answers(answers: pl.DataFrame, path: Path, file_format: str) -> None:
    """Write `ANSWER_SCHEMA` answers to `path`; CSV and XLSX text cells are neutralised against formulas."""
    frame = long_answers(answers)
    if file_format == "parquet":
        frame.write_parquet(path, compression="zstd")
    elif file_format == "csv":
        _as_text(frame).write_csv(path)
    elif file_format == "xlsx":
        write_workbook(path, [Sheet(SHEET, frame.columns, [frame])], prepare=_as_text)
    else:
        raise ValueError(f"unknown format {file_format!r}")


def answer_columns(weighted: bool) -> list[str]:
    """The columns of a long answer file: `LONG_COLUMNS`, and the weight when some respondent's differs from 1."""
    return [*LONG_COLUMNS, "weight"] if weighted else list(LONG_COLUMNS)


def write_answer_parts(parts: Iterable[Iterable[pl.DataFrame]], path: Path, file_format: str, weighted: bool) -> None:
    """Write `ANSWER_SCHEMA` answers given part by part, each part as batches, one batch in memory at a time (CSV and
    XLSX; Parquet holds a row group of `ROW_GROUP` rows at most), as `write_answers` writes them all: the file is the
    parts one after another, and a Parquet row group never spans two parts. The bytes are those of `answer_chunks`;
    CSV goes from the writer thread straight into the file. More rows than a sheet holds (`MAX_ROWS`) is a
    ValueError: check the count before (the file is left cut short)."""
    columns = answer_columns(weighted)
    if file_format == "xlsx":
        batches = (batch for part in _selected(parts, columns, []) for batch in part)
        write_workbook(path, [Sheet(SHEET, columns, batches)], prepare=_as_text)
        return
    if file_format != "csv":
        chunks = answer_chunks(parts, file_format, columns)
        with path.open("wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
        return
    with path.open("wb") as handle:
        written = sum(1 for _ in _csv_pipeline(_selected(parts, columns, []), partial(_csv_into, handle)))
    if not written:
        write_answers(pl.DataFrame(schema=ANSWER_SCHEMA), path, file_format)


def answer_chunks(parts: Iterable[Iterable[pl.DataFrame]], file_format: str, columns: Sequence[str]) -> Iterator[bytes]:
    """The bytes of a long answer file in CSV or Parquet, made from answers given part by part, each part as batches
    (as `write_answer_parts` writes them; a download sends them as they come): the file holds `columns`, CSV text
    neutralised against formulas. A file without rows is the first batch seen (or `ANSWER_SCHEMA`) written empty,
    so that its header and types are those of the rows it would have held."""
    if file_format not in {"csv", "parquet"}:
        raise ValueError(f"unknown format {file_format!r}")
    seen: list[pl.DataFrame] = []
    selected = _selected(parts, columns, seen)
    chunks = _csv_pipeline(selected, _csv_bytes) if file_format == "csv" else _parquet_chunks(selected)
    written = False
    for chunk in chunks:
        written = True
        yield chunk
    if not written:
        empty = seen[0] if seen else pl.DataFrame(schema=ANSWER_SCHEMA).select(columns)
        yield _whole(empty, file_format)


def _selected(
    parts: Iterable[Iterable[pl.DataFrame]], columns: Sequence[str], seen: list[pl.DataFrame]
) -> Iterator[Iterator[pl.DataFrame]]:
    """The parts' batches in `columns`; the first batch's empty copy is kept in `seen` (a file's types)."""
    for part in parts:
        yield (_remembered(batch.select(columns), seen) for batch in part)


def _remembered(batch: pl.DataFrame, seen: list[pl.DataFrame]) -> pl.DataFrame:
    if not seen:
        seen.append(batch.clear())
    return batch


def _whole(frame: pl.DataFrame, file_format: str) -> bytes:
    buffer = io.BytesIO()
    if file_format == "csv":
        _as_text(frame).write_csv(buffer)
    else:
        frame.write_parquet(buffer, compression="zstd")
    return buffer.getvalue()


def _csv_bytes(text: pl.DataFrame, header: bool) -> bytes:
    buffer = io.BytesIO()
    text.write_csv(buffer, include_header=header)
    return buffer.getvalue()


def _csv_into(handle: BinaryIO, text: pl.DataFrame, header: bool) -> None:
    text.write_csv(handle, include_header=header)


def _csv_pipeline(
    parts: Iterable[Iterable[pl.DataFrame]], serialise: Callable[[pl.DataFrame, bool], Written]
) -> Iterator[Written]:
    """Each batch is made text here while a thread serialises the batch before as CSV (`serialise`: into a file, or
    to bytes for a download), so both cores work: at 11M answers, the CSV serialisation and the system's writing of
    1.6 GB cost as much CPU as reading and formatting. Reading the snapshot (and the database) stays on this thread.
    The thread gets the next batch before the one before is handed on, so it works while the caller sends it."""
    header = True
    with ThreadPoolExecutor(1, thread_name_prefix="csv-write") as writer:
        done: Future[Written] | None = None
        for batch in (batch for part in parts for batch in part):
            job = writer.submit(serialise, _as_text(batch), header)
            header = False
            if done is not None:
                yield done.result()
            done = job
        if done is not None:
            yield done.result()


def _parquet_chunks(parts: Iterable[Iterable[pl.DataFrame]]) -> Iterator[bytes]:
    """Each row group's bytes once pyarrow has written it, then the file's footer."""
    sink = _Drain()
    with ExitStack() as stack:
        writer: pq.ParquetWriter | None = None
        for part in parts:
            for group in _row_groups(part):
                table = group.to_arrow()
                if writer is None:
                    writer = stack.enter_context(pq.ParquetWriter(sink, table.schema, compression="zstd"))
                writer.write_table(table)
                if written := sink.take():
                    yield written
    if tail := sink.take():
        yield tail


class _Drain:
    """A file for pyarrow to write to whose bytes are taken away as they come (it asks where it is with `tell`)."""

    def __init__(self) -> None:
        self._held: list[bytes] = []
        self._position = 0
        self.closed = False

    def write(self, data: bytes) -> int:
        self._held.append(bytes(data))
        self._position += len(data)
        return len(data)

    def tell(self) -> int:
        return self._position

    def flush(self) -> None:
        """Nothing to flush: the bytes wait for `take`."""

    def close(self) -> None:
        self.closed = True

    def take(self) -> bytes:
        data, self._held = b"".join(self._held), []
        return data


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
