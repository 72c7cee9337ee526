"""Writing answers as a long answer file (CSV, XLSX or Parquet) in the import's own columns."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from servicescore.interchange.columns import LONG_COLUMNS
from servicescore.interchange.formulas import neutralise


def long_answers(answers: pl.DataFrame) -> pl.DataFrame:
    """`ANSWER_SCHEMA` answers in the file columns: no section (the definition says it), no weight column
    unless some respondent's weight differs from 1."""
    columns = list(LONG_COLUMNS)
    if answers.height and (answers.get_column("weight") != 1.0).any():
        columns.append("weight")
    return answers.select(columns)


def write_answers(answers: pl.DataFrame, path: Path, file_format: str) -> None:
    """Write `ANSWER_SCHEMA` answers to `path`; CSV and XLSX text cells are neutralised against formulas."""
    frame = long_answers(answers)
    if file_format == "parquet":
        frame.write_parquet(path, compression="zstd")
        return
    # ISO 8601 text: spreadsheets have no time zones, and the import reads this form back exactly.
    frame = neutralise(frame.with_columns(pl.col("submitted_at").dt.to_string("%Y-%m-%dT%H:%M:%S%.fZ")))
    if file_format == "csv":
        frame.write_csv(path)
    elif file_format == "xlsx":
        frame.write_excel(path, worksheet="answers", autofit=False)
    else:
        raise ValueError(f"unknown format {file_format!r}")
