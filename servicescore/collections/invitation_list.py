"""Reading an uploaded list of invitees: a CSV with an ``email`` column (or a single column of addresses).

Every bad row is reported with its row number as the spreadsheet shows it, so the consultant can fix the file;
the good addresses are kept once each, in file order.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Final

EMAIL_MAX: Final = 320
MAX_ROWS: Final = 10_000
# Deliberately plain: one @, no spaces, a dot in the domain. Mail servers decide the rest.
_EMAIL: Final = re.compile(r"[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+")


class UnreadableRow(ValueError):
    """A row Python's CSV reader refuses, in practice a cell longer than its limit of 131,072 characters."""

    def __init__(self, row: int) -> None:
        super().__init__(f"row {row}: a cell is longer than {csv.field_size_limit():,} characters, or it is not CSV")
        self.row = row


@dataclass(frozen=True, slots=True)
class RowProblem:
    row: int
    value: str
    reason: str  # not_an_address | too_long | duplicate


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
        if len(value) > EMAIL_MAX:
            result.problems.append(RowProblem(number, value[:80], "too_long"))
        elif not _EMAIL.fullmatch(value):
            result.problems.append(RowProblem(number, value[:80], "not_an_address"))
        elif value.lower() in seen:
            result.problems.append(RowProblem(number, value, "duplicate"))
        else:
            seen.add(value.lower())
            result.emails.append(value)
    return result
