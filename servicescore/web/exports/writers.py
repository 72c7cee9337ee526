"""Turning a finished table into the bytes of a download: CSV, XLSX and Parquet (SPSS is in `spss.py`).

Pure: no Litestar, no database. CSV and XLSX are produced a slice at a time, and every text cell (and every
piece of user text in the XLSX "about" sheet) goes through the interchange's formula neutralisation, so a cell
such as ``=HYPERLINK(...)`` arrives as ``'=HYPERLINK(...)``: shown, never run.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Final

import polars as pl

from servicescore.interchange.formulas import TRIGGERS, neutralise
from servicescore.interchange.xlsx import Sheet, write_workbook

CHUNK_BYTES: Final[int] = 256 * 1024
# Rows turned into text at a time: large enough for Polars to be fast, small enough not to copy the table.
SLICE_ROWS: Final[int] = 20_000
MEDIA_TYPES: Final[dict[str, str]] = {
    "csv": "text/csv",  # Litestar adds "; charset=utf-8" to every text/ type
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
    "sav": "application/x-spss-sav",
}
# ISO 8601 in UTC, the form `responses import` reads back exactly.
_TIME_FORMAT: Final[str] = "%Y-%m-%dT%H:%M:%S%.fZ"


def as_text_cells(frame: pl.DataFrame) -> pl.DataFrame:
    """Dates and times as ISO 8601 text (spreadsheets have no time zones), then formula-looking text quoted."""

    def cell(name: str, dtype: pl.DataType) -> pl.Expr:
        if isinstance(dtype, pl.Datetime):
            column = pl.col(name) if dtype.time_zone is None else pl.col(name).dt.convert_time_zone("UTC")
            return column.dt.to_string(_TIME_FORMAT).alias(name)
        if isinstance(dtype, pl.Date):
            return pl.col(name).dt.to_string("%Y-%m-%d").alias(name)
        return pl.col(name)

    return neutralise(frame.select(cell(name, dtype) for name, dtype in frame.schema.items()))


def safe_text(text: str) -> str:
    """One piece of user text for a spreadsheet cell: quoted like `neutralise` quotes a column."""
    return f"'{text}" if text[:1] in TRIGGERS and text else text


def csv_chunks(frame: pl.DataFrame, slice_rows: int = SLICE_ROWS) -> Iterator[bytes]:
    """The CSV file of a whole table (a score table; answers go through the answer files' own writer) in pieces: one
    header, then each slice of rows neutralised and written on its own."""
    if frame.height == 0:
        yield as_text_cells(frame).write_csv().encode("utf-8")
        return
    for number, part in enumerate(frame.iter_slices(slice_rows)):
        yield as_text_cells(part).write_csv(include_header=number == 0).encode("utf-8")


def write_xlsx(
    header: Sequence[str], batches: Iterable[pl.DataFrame], path: Path, *, sheet: str, about: Sequence[tuple[str, str]]
) -> None:
    """The rows of `batches` (frames of the columns `header` names) on sheet `sheet`, and the (label, value) pairs
    of `about` on a sheet "about"; text quoted against formulas slice by slice, header names and the about sheet's
    user text (an organisation's name) too. The sheet is written as the batches come: memory holds a batch and the
    compressor's window, the file grows on disk."""
    notes = pl.DataFrame([(safe_text(k), safe_text(v)) for k, v in about], schema=["about", "value"], orient="row")
    sheets = [Sheet(sheet, [safe_text(name) for name in header], batches), Sheet("about", notes.columns, [notes])]
    write_workbook(path, sheets, prepare=as_text_cells)


def parquet_bytes(frame: pl.DataFrame) -> bytes:
    """Parquet keeps types and runs nothing, so its text stays exactly as stored."""
    buffer = io.BytesIO()
    frame.write_parquet(buffer, compression="zstd")
    return buffer.getvalue()


def temporary_path(suffix: str) -> Path:
    """A fresh file name for a writer that wants a path (xlsxwriter, pyreadstat); `file_chunks` removes it."""
    handle, name = tempfile.mkstemp(prefix="servicescore-export-", suffix=suffix)
    os.close(handle)
    return Path(name)


def file_chunks(path: Path) -> Iterator[bytes]:
    """Stream a written file and delete it afterwards, also when the download is broken off."""
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK_BYTES):
                yield chunk
    finally:
        path.unlink(missing_ok=True)
