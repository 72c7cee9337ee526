"""Reading an XLSX workbook into plain rows: sheet and column names folded to lower case, cells as text."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException


class NotAWorkbook(Exception):
    """The bytes are not an XLSX workbook."""


@dataclass(frozen=True)
class Row:
    number: int  # the spreadsheet's row number; the header is row 1
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class Sheet:
    name: str
    columns: list[str] = field(default_factory=list)  # as written, lower-cased and stripped, in order
    rows: list[Row] = field(default_factory=list)
    written: dict[str, str] = field(default_factory=dict)  # lower-cased column → as the author wrote it

    def shown(self, column: str) -> str:
        return self.written.get(column, column)


# A form is a few hundred rows; this guards an upload against a small file that unpacks to gigabytes.
MAX_UNPACKED_BYTES = 50_000_000


def read_workbook(data: bytes) -> dict[str, Sheet]:
    """Every sheet by lower-case name (XLSForm sheet and column names are case-insensitive, as in pyxform)."""
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise NotAWorkbook("this is an old .xls workbook; open it in a spreadsheet program and save it as .xlsx")
    _check_size(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise NotAWorkbook(f"not an XLSX workbook ({type(error).__name__}); save the form as .xlsx") from None
    sheets: dict[str, Sheet] = {}
    try:
        for worksheet in book.worksheets:
            sheet = Sheet(name=str(worksheet.title).strip().lower())
            _fill(sheet, worksheet.iter_rows(values_only=True))
            sheets.setdefault(sheet.name, sheet)
    finally:
        book.close()
    return sheets


def _check_size(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        raise NotAWorkbook("not an XLSX workbook (BadZipFile); save the form as .xlsx") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise NotAWorkbook(
            f"the workbook unpacks to {unpacked / 1e6:.0f} MB, more than a form needs "
            f"(at most {MAX_UNPACKED_BYTES / 1e6:.0f} MB); remove other sheets and images"
        )


def _fill(sheet: Sheet, rows: Iterable[tuple[object, ...]]) -> None:
    header: list[str] | None = None
    for number, values in enumerate(rows, start=1):
        texts = [cell_text(value) for value in values]
        if header is None:
            if not any(texts):
                continue  # pyxform also skips blank rows above the header
            header = [text.lower() for text in texts]
            sheet.columns = [name for name in header if name]
            sheet.written = {text.lower(): text for text in texts if text}
            continue
        cells = {name: text for name, text in zip(header, texts, strict=False) if name and text}
        if cells:
            sheet.rows.append(Row(number=number, cells=cells))


def cell_text(value: object) -> str:
    """A cell as the author typed it: 1.0 → "1", True → "true", dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value).strip()
