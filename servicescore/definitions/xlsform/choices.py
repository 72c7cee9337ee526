"""The ``choices`` sheet: lists of options by ``list_name``, and which lists are rating scales."""

from __future__ import annotations

from dataclasses import dataclass, field

from servicescore.definitions.xlsform.languages import TextColumns, bilingual, missing_language_problems, text_columns
from servicescore.definitions.xlsform.names import choice_value
from servicescore.definitions.xlsform.problems import ImportProblem
from servicescore.definitions.xlsform.workbook import Row, Sheet

SHEET = "choices"
_USED = {"list_name", "list name", "name", "value"}


@dataclass(frozen=True)
class Option:
    name: str  # as written in the form (what relevant expressions compare with)
    value: str  # the ServiceScore choice value
    text: dict[str, str]
    row: int
    list_name: str = ""


@dataclass
class ChoiceLists:
    lists: dict[str, list[Option]] = field(default_factory=dict)
    first_row: dict[str, int] = field(default_factory=dict)
    sheet_present: bool = True


def read_choices(sheet: Sheet | None, default_language: str | None, problems: list[ImportProblem]) -> ChoiceLists:
    """Every list; missing columns are fatal, unused columns listed once per column."""
    found = ChoiceLists(sheet_present=sheet is not None)
    if sheet is None:
        return found
    list_column = next((name for name in ("list_name", "list name") if name in sheet.columns), None)
    name_column = next((name for name in ("name", "value") if name in sheet.columns), None)
    labels = text_columns(sheet.columns, "label", default_language, sheet.written)
    for column, wanted in ((list_column, "list_name"), (name_column, "name")):
        if column is None:
            problems.append(ImportProblem(SHEET, 1, f"no {wanted!r} column; add it to the header row", fatal=True))
    if not labels.present():
        problems.append(
            ImportProblem(SHEET, 1, "no 'label' column; add label::Svenska (sv) and label::English (en)", fatal=True)
        )
    if list_column is None or name_column is None:
        return found
    if sheet.rows:
        problems += missing_language_problems(labels, SHEET)
    _list_unused(sheet, labels, problems)
    for row in sheet.rows:
        list_name, name = row.get(list_column), row.get(name_column)
        if not list_name or not name:
            if list_name or name:
                problems.append(
                    ImportProblem(SHEET, row.number, "a choice needs both list_name and name; row left out")
                )
            continue
        found.first_row.setdefault(list_name, row.number)
        found.lists.setdefault(list_name, []).append(_option(list_name, name, row, labels, problems))
    return found


def _option(list_name: str, name: str, row: Row, labels: TextColumns, problems: list[ImportProblem]) -> Option:
    number = row.number
    text = bilingual(row, labels, SHEET, problems)
    if text is None:
        problems.append(ImportProblem(SHEET, number, f"choice {name!r} has no label; its name is used as the text"))
        text = {"sv": name, "en": name}
    value = choice_value(name)
    if value != name:
        problems.append(ImportProblem(SHEET, number, f"choice name {name!r} is stored as {value!r}"))
    return Option(name=name, value=value, text=text, row=number, list_name=list_name)


def _list_unused(sheet: Sheet, labels: TextColumns, problems: list[ImportProblem]) -> None:
    used = _USED | labels.columns()
    for column in sheet.columns:
        if column in used:
            continue
        filled = [row.number for row in sheet.rows if row.get(column)]
        if filled:
            problems.append(
                ImportProblem(
                    SHEET, filled[0], f"column {sheet.shown(column)!r} is not carried over ({len(filled)} rows use it)"
                )
            )


# Names forms give a "not applicable" or "don't know" option at the end of a scale; they are not a point on it.
NA_NAMES = {"na", "n_a", "n-a", "not_applicable", "notapplicable", "dont_know", "dontknow", "don_t_know", "dk",
            "no_opinion", "99", "98", "999", "-1", "-99"}  # fmt: skip


def split_na(options: list[Option]) -> tuple[list[Option], list[Option]]:
    """(the scale's options, trailing "not applicable"/"don't know" options), at most two of the latter."""
    cut = len(options)
    while cut > 0 and len(options) - cut < 2 and options[cut - 1].value in NA_NAMES:
        cut -= 1
    return options[:cut], options[cut:]


def scale_of(options: list[Option], appearance: str, list_name: str) -> tuple[int, int] | None:
    """(min, max) when the list is a rating scale, else None.

    A scale is a list named or shown as ``likert`` (2–10 options, scored 1..n in the order written), or a list
    whose names are exactly 1..5 or 0..10 (scored by those numbers).
    """
    names = [option.name for option in options]
    if names in (["1", "2", "3", "4", "5"], [str(n) for n in range(11)]):
        return int(names[0]), int(names[-1])
    likert = "likert" in appearance.lower() or "likert" in list_name.lower()
    if likert and 2 <= len(options) <= 10:
        numeric = [int(name) for name in names if name.isdigit()]
        if (
            len(numeric) == len(names)
            and numeric == list(range(numeric[0], numeric[0] + len(names)))
            and numeric[-1] <= 10
        ):
            return numeric[0], numeric[-1]
        return 1, len(options)
    return None


def score_of(options: list[Option], scale: tuple[int, int]) -> dict[str, int]:
    """Each option's name → its point on the scale."""
    return {option.name: scale[0] + index for index, option in enumerate(options)}
