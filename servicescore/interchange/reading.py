"""Reading an answer file (CSV, XLSX or Parquet) into text columns, and bringing a wide file into the long layout.

Every cell is read as text so that validation can quote what the user wrote; `_row` is the row number a
spreadsheet shows (the header is row 1).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from servicescore.interchange.columns import LONG_COLUMNS, NA_WORDS, OPTIONAL, RESPONSE_COLUMNS
from servicescore.interchange.formulas import restore

ROW = "_row"


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str

    def line(self, file: str) -> str:
        return f"{file}: row {self.row}: column {self.column}: {self.message}"


class AnswerFileError(Exception):
    """The file cannot be imported; `problems` lists every reason found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


def file_format(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix in {"csv", "txt"}:
        return "csv"
    if suffix in {"xlsx", "xlsm"}:
        return "xlsx"
    if suffix in {"parquet", "pq"}:
        return "parquet"
    raise AnswerFileError([Problem(1, "-", f"unknown file type {path.suffix!r}: use .csv, .xlsx or .parquet")])


def _csv(path: Path) -> pl.DataFrame:
    with path.open("rb") as handle:
        header = handle.readline().decode("utf-8-sig", errors="replace")
    # Spreadsheets set to Swedish (and other decimal-comma locales) save CSV with semicolons.
    separator = ";" if header.count(";") > header.count(",") else ","
    try:
        return pl.read_csv(path, infer_schema=False, separator=separator, encoding="utf8")
    except pl.exceptions.ComputeError as error:
        problem = _csv_problem(path, separator)
        if problem is None:
            raise
        raise AnswerFileError([problem]) from error


def _csv_problem(path: Path, separator: str) -> Problem | None:
    """The row where a CSV that Polars refused goes wrong (Polars names none): a row with more cells than the header
    has columns, or a quote never closed. None when Python's reader finds neither (the caller then quotes Polars)."""
    row = 0  # the last row read whole
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = csv.reader(handle, delimiter=separator, strict=True)
            columns = len(next(rows, []))
            row = 1
            for row, cells in enumerate(rows, start=2):
                if len(cells) > columns:
                    return Problem(row, "-", f"{len(cells)} cells, but the header names {columns} columns")
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            return Problem(row + 1, "-", 'a quote (") opened in this row is never closed')
        return Problem(row + 1, "-", f"cannot read the row: {error}")
    except UnicodeDecodeError:
        return None
    return None


def _typed_to_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Parquet keeps types; turn them into the text a CSV would hold (dates as ISO 8601 in UTC)."""

    def text(name: str, dtype: pl.DataType) -> pl.Expr:
        column = pl.col(name)
        if isinstance(dtype, pl.Datetime):
            utc = column.dt.replace_time_zone("UTC") if dtype.time_zone is None else column.dt.convert_time_zone("UTC")
            return utc.dt.to_string("%Y-%m-%dT%H:%M:%S%.fZ").alias(name)
        return column.cast(pl.String).alias(name)

    return frame.select(text(name, dtype) for name, dtype in frame.schema.items())


def read_table(path: Path) -> pl.DataFrame:
    """The file's cells as text, column names trimmed, plus `_row`. Raises AnswerFileError when unreadable."""
    kind = file_format(path)
    try:
        if kind == "csv":
            frame = _csv(path)
        elif kind == "xlsx":
            frame = pl.read_excel(path, engine="calamine", read_options={"dtypes": "string"})
        else:
            frame = _typed_to_text(pl.read_parquet(path))
    except (TypeError, AttributeError, NameError, AnswerFileError):
        raise  # our own mistakes, not the file's; or the file's, already said where
    except Exception as error:  # each reader has its own hierarchy; the user needs one line
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise AnswerFileError([Problem(1, "-", f"cannot read the file as {kind}: {first}")]) from error
    frame = frame.rename({name: name.strip().lstrip("\ufeff").strip() for name in frame.columns})
    # One pass over the cells (each step a copy of every column: three passes held 590 MB for a 155 MB file).
    return (
        frame.lazy()
        .select(
            _cell(pl.col(name).cast(pl.String), restore_formulas=kind != "parquet").alias(name)
            for name in frame.columns
        )
        .with_row_index(ROW, offset=2)
        .with_columns(pl.col(ROW).cast(pl.Int64))
        # A blank line is skipped, but it keeps its number so that the rows after it are named as a spreadsheet
        # shows.
        .filter(~pl.all_horizontal(pl.exclude(ROW).is_null()) if frame.width else pl.lit(True))
        .collect()
    )


def _cell(text: pl.Expr, restore_formulas: bool) -> pl.Expr:
    """A cell as validation reads it: a neutralised formula restored (CSV, XLSX), blank as missing."""
    cell = restore(text) if restore_formulas else text
    return pl.when(cell.str.strip_chars() == "").then(None).otherwise(cell)


def is_long(table: pl.DataFrame) -> bool:
    return "item" in table.columns


def header_problems(table: pl.DataFrame, instrument_option: str | None) -> list[Problem]:
    required = ["response_id", "wave", "organisation", "unit"]
    if instrument_option is None:
        required.insert(1, "instrument")
    if is_long(table):
        required.append("value")
        known = {*LONG_COLUMNS, *OPTIONAL, ROW}
        unknown = [Problem(1, c, "unknown column in a long file") for c in table.columns if c not in known]
    else:
        unknown = []
    missing = [Problem(1, c, "missing: this column is required") for c in required if c not in table.columns]
    duplicated = len(set(table.columns)) != len(table.columns)
    return missing + unknown + ([Problem(1, "-", "a column name appears twice")] if duplicated else [])


def _with_optional(table: pl.DataFrame, columns: tuple[str, ...]) -> pl.DataFrame:
    return table.with_columns(pl.lit(None, pl.String).alias(c) for c in columns if c not in table.columns)


def to_long(table: pl.DataFrame, rules: pl.DataFrame, instrument_option: str | None) -> pl.LazyFrame:
    """The long layout with `_col_value`, `_col_na`, `_col_text`: the file column each answer part came from."""
    long = is_long(table)
    table = _with_optional(table, (*LONG_COLUMNS, *OPTIONAL) if long else (*RESPONSE_COLUMNS, *OPTIONAL))
    if instrument_option is not None:
        table = table.with_columns(pl.col("instrument").fill_null(instrument_option))
    if long:
        return table.lazy().with_columns(_col_value=pl.lit("value"), _col_na=pl.lit("na"), _col_text=pl.lit("text"))
    keep = [c for c in table.columns if c in {*RESPONSE_COLUMNS, *OPTIONAL, ROW}]
    items = [c for c in table.columns if c not in keep and c not in LONG_COLUMNS]
    cell = pl.col("_cell")
    textual = pl.col("type").is_in(["text", "choice"])
    na_word = cell.str.strip_chars().str.to_lowercase().is_in(list(NA_WORDS))
    return (
        table.lazy()
        .select(*keep, *items)
        .unpivot(index=keep, on=items, variable_name="item", value_name="_cell")
        .filter(cell.is_not_null())
        .join(
            rules.lazy().select("instrument", "item", "type"),
            on=["instrument", "item"],
            how="left",
            maintain_order="left",
        )
        .with_columns(
            value=pl.when(~textual & ~na_word).then(cell),
            na=pl.when(~textual & na_word).then(pl.lit("true")),
            text=pl.when(textual).then(cell),
            _col_value=pl.col("item"),
            _col_na=pl.col("item"),
            _col_text=pl.col("item"),
        )
        .drop("_cell", "type")
        .sort(ROW, maintain_order=True)
    )
