"""Answer files in and out (DESIGN.md, "Contracts"): reading CSV, XLSX and Parquet in the long or the wide
layout, checking every row against its instrument, and writing long files. Pure: no database.

- `load_answer_file(path, instruments, instrument=None) -> (answers, problems)` — answers in `ANSWER_SCHEMA`
  plus `_row` (the spreadsheet row), and every `Problem(row, column, message)`;
- `write_answers(answers, path, format)` — long layout, formula-looking text neutralised in CSV and XLSX.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import polars as pl

from servicescore.definitions import Instrument
from servicescore.interchange.columns import FORMATS, LONG_COLUMNS, RESPONSE_COLUMNS
from servicescore.interchange.reading import AnswerFileError, Problem, header_problems, read_table, to_long
from servicescore.interchange.rules import rules_frame
from servicescore.interchange.validation import validate
from servicescore.interchange.writing import write_answers

__all__ = [
    "FORMATS",
    "LONG_COLUMNS",
    "RESPONSE_COLUMNS",
    "AnswerFileError",
    "Problem",
    "load_answer_file",
    "write_answers",
]


def load_answer_file(
    path: Path, instruments: Iterable[Instrument], instrument: str | None = None
) -> tuple[pl.DataFrame, list[Problem]]:
    """Read and check an answer file; with problems, the answers must not be stored."""
    rules = rules_frame(instruments)
    try:
        table = read_table(path)
    except AnswerFileError as error:
        return pl.DataFrame(), error.problems
    problems = header_problems(table, instrument)
    if problems:
        return pl.DataFrame(), problems
    if table.height == 0:
        return pl.DataFrame(), [Problem(1, "-", "the file has no answers")]
    return validate(to_long(table, rules, instrument), rules, instrument)
