"""Small XLSForms written in the tests: sheets as lists of rows, the first row the header."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from servicescore.definitions.xlsform import Conversion, convert_xlsform

Rows = list[list[Any]]

LIKERT: Rows = [
    ["list_name", "name", "label::Svenska (sv)", "label::English (en)"],
    ["agree5", "strongly_disagree", "Instämmer inte alls", "Strongly disagree"],
    ["agree5", "disagree", "Instämmer inte", "Disagree"],
    ["agree5", "neutral", "Varken eller", "Neither"],
    ["agree5", "agree", "Instämmer", "Agree"],
    ["agree5", "strongly_agree", "Instämmer helt", "Strongly agree"],
]
SETTINGS: Rows = [["form_id", "form_title"], ["Museum Visit 2026", "Museibesöket"]]
HEADER = ["type", "name", "label::Svenska (sv)", "label::English (en)", "required", "relevant", "constraint",
          "appearance", "parameters", "hint::Svenska (sv)", "hint::English (en)"]  # fmt: skip


def workbook_bytes(sheets: dict[str, Rows]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_ALIASES = {"hint_sv": "hint::Svenska (sv)", "hint_en": "hint::English (en)"}


def question(kind: str, name: str, sv: str = "", en: str = "", **columns: str) -> list[Any]:
    """A survey row in HEADER's column order; labels default to the name, hints are hint_sv and hint_en."""
    cells = {_ALIASES.get(key, key): value for key, value in columns.items()}
    assert set(cells) <= set(HEADER), set(cells) - set(HEADER)
    return [kind, name, sv or name, en or name, *(cells.get(column, "") for column in HEADER[4:])]


def convert(
    rows: list[list[Any]], choices: Rows | None = None, settings: Rows | None = None, **options: Any
) -> Conversion:
    """Convert a survey sheet of HEADER columns (plus the LIKERT choices and SETTINGS unless given)."""
    sheets = {"survey": [HEADER, *rows], "choices": LIKERT if choices is None else choices,
              "settings": SETTINGS if settings is None else settings}  # fmt: skip
    return convert_xlsform(workbook_bytes(sheets), "form.xlsx", **options)


def items(conversion: Conversion) -> dict[str, dict[str, Any]]:
    assert conversion.document is not None, conversion.lines()
    return {item["id"]: item for section in conversion.document["sections"] for item in section["items"]}


def messages(conversion: Conversion) -> list[str]:
    return conversion.lines()
