"""Reading an uploaded list of invitees: a CSV with an ``email`` column (or a single column of addresses).

Every bad row is reported with its row number as the spreadsheet shows it, so the consultant can fix the file;
the good addresses are kept once each, in file order.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

EMAIL_MAX: Final = 320
MAX_ROWS: Final = 10_000
# Deliberately plain: one @, no spaces, a dot in the domain. Mail servers decide the rest.
_EMAIL: Final = re.compile(r"[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+")


def plausible_address(value: str) -> bool:
    """Whether the text looks like one e-mail address (the plain check every upload uses)."""
    return len(value) <= EMAIL_MAX and bool(_EMAIL.fullmatch(value))


class UnreadableRow(ValueError):
    """A row Python's CSV reader refuses, in practice a cell longer than its limit of 131,072 characters."""

    def __init__(self, row: int) -> None:
        super().__init__(f"row {row}: a cell is longer than {csv.field_size_limit():,} characters, or it is not CSV")
        self.row = row


@dataclass(frozen=True, slots=True)
class RowProblem:
    row: int
    value: str
    reason: str  # its text is console.invite.reason.<reason>


@dataclass
class InviteeList:
    emails: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    too_many: bool = False


def csv_rows(text: str) -> list[list[str]]:
    """The rows of a CSV text; a row the reader refuses raises ``UnreadableRow`` with its number (from 1)."""
    rows: list[list[str]] = []
    try:
        rows.extend(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    except csv.Error as error:
        raise UnreadableRow(len(rows) + 1) from error
    return rows


def read_invitees(text: str) -> InviteeList:
    """The addresses of a CSV text and the problem of every row that is not one (``UnreadableRow`` when the
    reader refuses a row)."""
    rows = csv_rows(text)
    numbered = [(number, row) for number, row in enumerate(rows, start=1) if any(cell.strip() for cell in row)]
    result = InviteeList()
    if not numbered:
        return result
    header = [cell.strip().lower() for cell in numbered[0][1]]
    has_header = "email" in header or "e-mail" in header or "e-post" in header
    column = next((header.index(name) for name in ("email", "e-mail", "e-post") if name in header), 0)
    body = numbered[1:] if has_header else numbered
    if len(body) > MAX_ROWS:
        result.too_many = True
        return result
    seen: set[str] = set()
    for number, row in body:
        value = row[column].strip() if column < len(row) else ""
        if (problem := _address_problem(number, value)) is not None:
            result.problems.append(problem)
        elif value.lower() in seen:
            result.problems.append(RowProblem(number, value, "duplicate"))
        else:
            seen.add(value.lower())
            result.emails.append(value)
    return result


# Contacts that ServiceScore e-mails itself: a CSV or XLSX file with a header row naming the columns.
CONTACT_COLUMNS: Final = {
    "email": ("email", "e-mail", "e-post", "epost"),
    "name": ("name", "namn"),
    "language": ("language", "språk", "lang"),
    "unit": ("unit", "enhet"),
    "segment": ("segment",),
}
NAME_MAX: Final = 200
SEGMENT_MAX: Final = 80
LANGUAGES: Final = ("sv", "en")


class UnreadableFile(ValueError):
    """An upload that is neither CSV text in UTF-8 nor an XLSX workbook."""


@dataclass(frozen=True, slots=True)
class ContactRow:
    row: int
    email: str
    name: str
    language: str
    unit_id: int
    segment: str | None


@dataclass
class ContactList:
    contacts: list[ContactRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    too_many: bool = False
    no_email_column: bool = False


def xlsx_rows(data: bytes) -> list[list[str]]:
    """The first sheet's rows as text (numbers as written, empty cells as "")."""
    import openpyxl  # noqa: PLC0415 - only XLSX uploads need it
    from openpyxl.utils.exceptions import InvalidFileException  # noqa: PLC0415 - as openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise UnreadableFile("not an XLSX workbook") from error
    try:
        sheet = workbook.worksheets[0]
        return [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def upload_rows(data: bytes, filename: str) -> list[list[str]]:
    """The rows of an uploaded CSV or XLSX file (by its content: an XLSX file is a ZIP archive)."""
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        return xlsx_rows(data)
    try:
        return csv_rows(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise UnreadableFile("not CSV text in UTF-8") from None


def _columns(header: list[str]) -> dict[str, int]:
    cells = [cell.strip().lower() for cell in header]
    return {key: cells.index(name) for key, names in CONTACT_COLUMNS.items() for name in names if name in cells}


def _unit(value: str, units: dict[str, int]) -> tuple[int | None, str]:
    """The unit id a cell names (``organisation/unit``, or the unit alone when that is unambiguous)."""
    if not value and len(set(units.values())) == 1:
        return next(iter(units.values())), ""
    if not value:
        return None, "no_unit"
    if value in units:
        return units[value], ""
    matches = {unit_id for ref, unit_id in units.items() if ref.rpartition("/")[2] == value}
    return (matches.pop(), "") if len(matches) == 1 else (None, "unknown_unit")


def _address_problem(number: int, email: str) -> RowProblem | None:
    """What is wrong with the address of row ``number``: missing, too long or not one; None when nothing is."""
    if not email:
        return RowProblem(number, email, "no_address")
    if len(email) > EMAIL_MAX:
        return RowProblem(number, email[:80], "too_long")
    if not _EMAIL.fullmatch(email):
        return RowProblem(number, email[:80], "not_an_address")
    return None


def _row_problem(number: int, email: str, language: str, name: str, segment: str) -> RowProblem | None:
    if (problem := _address_problem(number, email)) is not None:
        return problem
    if language not in LANGUAGES:
        return RowProblem(number, language[:80], "bad_language")
    if len(name) > NAME_MAX:
        return RowProblem(number, name[:80], "name_too_long")
    if len(segment) > SEGMENT_MAX:
        return RowProblem(number, segment[:80], "segment_too_long")
    return None


def read_contacts(
    rows: list[list[str]], units: dict[str, int], already: Callable[[str], bool] = lambda _: False
) -> ContactList:
    """Contacts from the rows of a file whose first non-empty row names the columns (``email`` required; ``name``,
    ``language`` sv/en (default sv), ``unit`` as organisation/unit (optional when the collection has one unit),
    ``segment``). ``units`` maps the collection's ``organisation/unit`` to unit ids; ``already`` says whether
    an address is a contact of the collection already. Every bad row is listed; the caller stores nothing when
    any is."""
    numbered = [(number, row) for number, row in enumerate(rows, start=1) if any(cell.strip() for cell in row)]
    result = ContactList()
    if not numbered:
        return result
    columns = _columns(numbered[0][1])
    if "email" not in columns:
        result.no_email_column = True
        return result
    if len(numbered) - 1 > MAX_ROWS:
        result.too_many = True
        return result
    seen: set[str] = set()

    def cell(row: list[str], key: str) -> str:
        return row[columns[key]].strip() if key in columns and columns[key] < len(row) else ""

    for number, row in numbered[1:]:
        email, name, segment = cell(row, "email"), cell(row, "name"), cell(row, "segment")
        language = cell(row, "language").lower() or "sv"
        if (problem := _row_problem(number, email, language, name, segment)) is not None:
            result.problems.append(problem)
            continue
        unit_id, reason = _unit(cell(row, "unit"), units)
        if unit_id is None:
            result.problems.append(RowProblem(number, cell(row, "unit")[:80], reason))
        elif email.lower() in seen:
            result.problems.append(RowProblem(number, email, "duplicate"))
        elif already(email):
            result.problems.append(RowProblem(number, email, "already_contact"))
        else:
            seen.add(email.lower())
            result.contacts.append(ContactRow(number, email, name, language, unit_id, segment or None))
    return result
