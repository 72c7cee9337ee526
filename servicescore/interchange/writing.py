"""Writing answers as a long answer file (CSV, XLSX or Parquet) in the import's own columns."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq

from servicescore.interchange.columns import LONG_COLUMNS
from servicescore.interchange.formulas import neutralise
from servicescore.scoring import ANSWER_SCHEMA


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
    # ISO 8601 text: spreadsheets have no time zones, and the import reads this form back exactly.
    return neutralise(frame.with_columns(pl.col("submitted_at").dt.to_string("%Y-%m-%dT%H:%M:%S%.fZ")))


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


def write_answer_parts(parts: Iterable[pl.DataFrame], path: Path, file_format: str, weighted: bool) -> None:
    """Write `ANSWER_SCHEMA` answers given part by part, one part in memory at a time (CSV and Parquet; a
    spreadsheet is built whole), as `write_answers` writes them all: the file is the parts one after another."""
    remaining = iter(parts)
    first = next(remaining, None)
    if first is None or file_format == "xlsx":
        whole = [] if first is None else [first, *remaining]
        write_answers(pl.concat(whole) if whole else pl.DataFrame(schema=ANSWER_SCHEMA), path, file_format)
        return
    if file_format not in {"csv", "parquet"}:
        raise ValueError(f"unknown format {file_format!r}")
    with path.open("wb") as handle:
        if file_format == "csv":
            _as_text(long_answers(first, weighted)).write_csv(handle)
            for part in remaining:
                _as_text(long_answers(part, weighted)).write_csv(handle, include_header=False)
            return
        table = long_answers(first, weighted).to_arrow()
        with pq.ParquetWriter(handle, table.schema, compression="zstd") as writer:
            writer.write_table(table)
            for part in remaining:
                writer.write_table(long_answers(part, weighted).to_arrow())
