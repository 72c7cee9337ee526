"""``label::Svenska (sv)`` and friends: which column holds which language of a text.

ServiceScore needs every text in Swedish and English. A plain ``label`` column (no language) fills
whichever of the two is missing, or the ``default_language`` of the settings sheet when it names one.
A text still missing in one language is copied from the other and the copy is listed, so the form imports
and the author sees what to translate (a copied text is better than an import that refuses a whole form).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from servicescore.definitions.xlsform.problems import ImportProblem
from servicescore.definitions.xlsform.workbook import Row

_CODE = re.compile(r"\(([^()]+)\)\s*$")
_NAMES = {
    "sv": "sv", "swe": "sv", "sv-se": "sv", "swedish": "sv", "svenska": "sv",
    "en": "en", "eng": "en", "en-gb": "en", "en-us": "en", "english": "en", "engelska": "en",
}  # fmt: skip
LANGUAGE_NAMES = {"sv": "Swedish", "en": "English"}


def language_of(tag: str) -> str | None:
    """``Svenska (sv)`` → ``sv``, ``English`` → ``en``, ``Français (fr)`` → None."""
    match = _CODE.search(tag)
    code = (match.group(1) if match else tag).strip().lower()
    return _NAMES.get(code) or _NAMES.get(tag.split("(", maxsplit=1)[0].strip().lower())


@dataclass
class TextColumns:
    """Where one kind of text (label, hint) lives: ``by_language['sv']`` is a column name."""

    kind: str
    by_language: dict[str, str] = field(default_factory=dict)
    plain: str | None = None
    ignored: list[str] = field(default_factory=list)  # columns in other languages
    written: dict[str, str] = field(default_factory=dict)  # lower-cased column → as the author wrote it

    def shown(self, column: str) -> str:
        return self.written.get(column, column)

    def columns(self) -> set[str]:
        return {*self.by_language.values(), *([self.plain] if self.plain else []), *self.ignored}

    def present(self) -> bool:
        return bool(self.by_language or self.plain)


def text_columns(
    columns: list[str], kind: str, default_language: str | None, written: dict[str, str] | None = None
) -> TextColumns:
    """The ``kind`` columns (``label``, ``hint``) among a sheet's lower-cased columns; ``written`` for messages."""
    found = TextColumns(kind=kind, written=dict(written or {}))
    for column in columns:
        if column == kind:
            found.plain = column
            continue
        match = re.fullmatch(rf"{re.escape(kind)}::?(.+)", column)
        if not match:
            continue
        language = language_of(match.group(1))
        if language is None or language in found.by_language:
            found.ignored.append(column)
        else:
            found.by_language[language] = column
    if found.plain and default_language in LANGUAGE_NAMES and default_language not in found.by_language:
        found.by_language[default_language] = found.plain
        found.plain = None
    return found


def bilingual(row: Row, columns: TextColumns, sheet: str, problems: list[ImportProblem]) -> dict[str, str] | None:
    """``{sv, en}`` from a row, a missing language copied from the other and listed; None when both are blank."""
    texts = {language: row.get(column) for language, column in columns.by_language.items()}
    if columns.plain and row.get(columns.plain):
        for language in ("sv", "en"):
            if not texts.get(language):
                texts[language] = row.get(columns.plain)
    sv, en = texts.get("sv", ""), texts.get("en", "")
    if not sv and not en:
        return None
    if not sv or not en:
        have, lack = ("en", "sv") if en else ("sv", "en")
        # Once per cell, only where the language has a column: a form without one is listed once per sheet.
        if lack in columns.by_language:
            problems.append(
                ImportProblem(
                    sheet,
                    row.number,
                    f"{columns.shown(columns.by_language[lack])} is empty; the {LANGUAGE_NAMES[have]} {columns.kind} "
                    "was copied, translate it",
                )
            )
        texts[lack] = texts[have]
    return {"sv": texts["sv"], "en": texts["en"]}


def missing_language_problems(columns: TextColumns, sheet: str) -> list[ImportProblem]:
    """One line per sheet for a language with no column at all, and one per column in another language."""
    problems = [
        ImportProblem(
            sheet, None, f"column {columns.shown(column)!r} is not carried over; ServiceScore keeps Swedish and English"
        )
        for column in columns.ignored
    ]
    if not columns.present():
        return problems
    if columns.plain and not columns.by_language:
        problems.append(
            ImportProblem(
                sheet,
                None,
                f"column {columns.shown(columns.plain)!r} names no language; its texts were used for both Swedish "
                f"and English, translate them (or name the columns {columns.kind}::Svenska (sv) and "
                f"{columns.kind}::English (en))",
            )
        )
        return problems
    for language, name in LANGUAGE_NAMES.items():
        if language in columns.by_language:
            continue
        if columns.plain:
            message = (
                f"column {columns.shown(columns.plain)!r} names no language; it was used as the {name} text, "
                "check that it is"
            )
        else:
            other = "English" if language == "sv" else "Swedish"
            message = (
                f"no {name} {columns.kind} column ({columns.kind}::{_NATIVE[language]}); "
                f"the {other} texts were copied into {language}, translate them"
            )
        problems.append(ImportProblem(sheet, None, message))
    return problems


_NATIVE = {"sv": "Svenska (sv)", "en": "English (en)"}
