"""XLSForm workbook → instrument document: settings, choices and survey read, then checked by ``parse_instrument``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from servicescore.definitions.errors import DefinitionError
from servicescore.definitions.loading import parse_instrument
from servicescore.definitions.xlsform.choices import read_choices
from servicescore.definitions.xlsform.languages import language_of, missing_language_problems, text_columns
from servicescore.definitions.xlsform.names import instrument_id as slug_id
from servicescore.definitions.xlsform.problems import ImportProblem
from servicescore.definitions.xlsform.survey import SurveyReader, SurveyResult
from servicescore.definitions.xlsform.workbook import NotAWorkbook, Sheet, read_workbook

Kind = Literal["survey", "scorecard"]
_SETTINGS_USED = {"form_id", "form_title", "default_language", "set_form_id", "set_form_title"}
# Settings that only matter to ODK servers and devices; they carry no meaning for ServiceScore.
_SETTINGS_DEVICE = {"version", "instance_name", "submission_url", "public_key", "auto_send", "auto_delete", "style",
                    "allow_choice_duplicates", "name", "namespaces", "clean_text_values"}  # fmt: skip
_SHEET_ORDER = {"(file)": 0, "(workbook)": 1, "settings": 2, "survey": 3, "choices": 4}
_VALIDATION_LOC = re.compile(r"sections\[(\d+)\](?:\.items\[(\d+)\])?\.?(.*)")


@dataclass
class Conversion:
    """The instrument document (None when a fatal problem stopped the import) and every listed problem."""

    source: str
    document: dict[str, Any] | None
    problems: list[ImportProblem] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # item id → the XLSForm question name it came from
    groups: dict[str, str | None] = field(default_factory=dict)  # section id → its XLSForm group, None if none

    @property
    def ok(self) -> bool:
        """True when the document can be written: it exists, passed validation and nothing fatal was found."""
        return self.document is not None and not any(problem.fatal for problem in self.problems)

    def lines(self) -> list[str]:
        """Every problem as ``FILE: sheet row N: message``, fatal ones first."""
        ordered = sorted(
            self.problems, key=lambda problem: (not problem.fatal, _SHEET_ORDER.get(problem.sheet, 9), problem.row or 0)
        )
        return [problem.line(self.source) for problem in ordered]


def convert_xlsform_file(path: Path, *, instrument_id: str | None = None, kind: Kind = "survey") -> Conversion:
    """Read an ``.xlsx`` file and convert it; a file that cannot be read is one fatal problem."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        problem = ImportProblem("(file)", None, f"cannot be read ({error.strerror or error})", fatal=True)
        return Conversion(str(path), None, [problem])
    return convert_xlsform(data, str(path), instrument_id=instrument_id, kind=kind, default_id=Path(path).stem)


def convert_xlsform(
    data: bytes,
    source: str,
    *,
    instrument_id: str | None = None,
    kind: Kind = "survey",
    default_id: str | None = None,
) -> Conversion:
    """Convert an XLSX workbook's bytes (an upload, a file). ``source`` names it in every problem line."""
    problems: list[ImportProblem] = []
    try:
        sheets = read_workbook(data)
    except NotAWorkbook as error:
        return Conversion(source, None, [ImportProblem("(file)", None, str(error), fatal=True)])
    survey = sheets.get("survey")
    if survey is None:
        found = ", ".join(repr(name) for name in sheets) or "none"
        message = f"no 'survey' sheet (sheets found: {found}); an XLSForm needs survey, choices and settings sheets"
        return Conversion(source, None, [ImportProblem("(workbook)", None, message, fatal=True)])
    settings = _settings(sheets.get("settings"), problems)
    default_language = language_of(settings.get("default_language", "")) if settings.get("default_language") else None
    _check_survey_columns(survey, problems)
    if any(problem.fatal for problem in problems):
        return Conversion(source, None, problems)
    choices = read_choices(sheets.get("choices"), default_language, problems)
    labels = text_columns(survey.columns, "label", default_language, survey.written)
    hints = text_columns(survey.columns, "hint", default_language, survey.written)
    problems += missing_language_problems(labels, "survey")
    if hints.present():
        problems += missing_language_problems(hints, "survey")
    reader = SurveyReader(survey, choices, labels, hints, kind, problems)
    result = reader.read()
    if not result.sections and not any(problem.fatal for problem in problems):
        problems.append(ImportProblem("survey", None, "no question could be carried over", fatal=True))
    if any(problem.fatal for problem in problems):
        return Conversion(source, None, problems)
    document = {
        "id": _identifier(instrument_id, settings, default_id or source, problems),
        "kind": kind,
        "title": _title(settings, default_id or source, problems),
        "sections": result.sections,
    }
    _validate(document, result, problems)
    return Conversion(source, document, problems, names=result.names, groups=result.groups)


def _settings(sheet: Sheet | None, problems: list[ImportProblem]) -> dict[str, str]:
    if sheet is None or not sheet.rows:
        return {}
    row = sheet.rows[0]
    for extra in sheet.rows[1:]:
        problems.append(ImportProblem("settings", extra.number, "only the first settings row is read"))
    for column, value in row.cells.items():
        if column not in _SETTINGS_USED and column not in _SETTINGS_DEVICE:
            problems.append(
                ImportProblem("settings", row.number, f'column {column!r} ("{value}") cannot be carried over')
            )
    return {column.removeprefix("set_"): value for column, value in row.cells.items()}


def _check_survey_columns(survey: Sheet, problems: list[ImportProblem]) -> None:
    for column in ("type", "name"):
        if column not in survey.columns:
            problems.append(ImportProblem("survey", 1, f"no {column!r} column; add it to the header row", fatal=True))
    if not any(column == "label" or column.startswith("label:") for column in survey.columns):
        problems.append(
            ImportProblem("survey", 1, "no label column; add label::Svenska (sv) and label::English (en)", fatal=True)
        )


def _identifier(given: str | None, settings: dict[str, str], fallback: str, problems: list[ImportProblem]) -> str:
    written = given or settings.get("form_id") or Path(fallback).stem
    slug = slug_id(written)
    if slug != written:
        where = "--id" if given else ("form_id" if settings.get("form_id") else "the file name")
        problems.append(ImportProblem("settings", None, f"{where} {written!r} became the instrument id {slug!r}"))
    return slug


def _title(settings: dict[str, str], fallback: str, problems: list[ImportProblem]) -> dict[str, str]:
    title = settings.get("form_title")
    if not title:
        title = settings.get("form_id") or Path(fallback).stem
        problems.append(ImportProblem("settings", None, f"no form_title; the title is {title!r}, change it"))
    else:
        problems.append(
            ImportProblem(
                "settings", None, "form_title has one language; it was used for both Swedish and English, translate it"
            )
        )
    return {"sv": title, "en": title}


def _validate(document: dict[str, Any], result: SurveyResult, problems: list[ImportProblem]) -> None:
    """Run the project's own validation; each problem is pointed back to its survey row where one exists."""
    try:
        parse_instrument(document, "<xlsform>")
    except DefinitionError as error:
        for line in error.lines:
            path, _, message = line.removeprefix("<xlsform>: ").partition(": ")
            problems.append(_validation_problem(path, message, result))


def _validation_problem(path: str, message: str, result: SurveyResult) -> ImportProblem:
    match = _VALIDATION_LOC.fullmatch(path)
    if match is None:
        return ImportProblem("(instrument)", None, f"{path}: {message}", fatal=True)
    section, item, rest = int(match.group(1)), match.group(2), match.group(3)
    row = result.section_rows.get(section) if item is None else result.rows.get((section, int(item)))
    return ImportProblem("survey", row, f"{rest or 'item'}: {message}", fatal=True)
