"""Each listed-problem case: what cannot be carried over is listed by sheet and row; what is broken stops the import."""

from __future__ import annotations

import pytest

from servicescore.definitions.xlsform import convert_xlsform
from tests.support.xlsform_builders import HEADER, LIKERT, SETTINGS, convert, items, question, workbook_bytes


def _fatal(result_lines: list[str], expected: str) -> None:
    assert expected in result_lines, "\n".join(result_lines)


# -- problems that stop the import: no document, exit 1 in the CLI ---------------------------------------------------


def test_missing_survey_sheet() -> None:
    result = convert_xlsform(workbook_bytes({"choices": LIKERT, "settings": SETTINGS}), "f.xlsx")
    assert not result.ok
    assert result.document is None
    assert result.lines() == [
        "f.xlsx: (workbook): no 'survey' sheet (sheets found: 'choices', 'settings'); an XLSForm needs survey, "
        "choices and settings sheets"
    ]


def test_missing_columns() -> None:
    data = workbook_bytes({"survey": [["type", "label"], ["text", "Hi"]]})
    result = convert_xlsform(data, "f.xlsx")
    assert not result.ok
    _fatal(result.lines(), "f.xlsx: survey row 1: no 'name' column; add it to the header row")
    no_label = convert_xlsform(workbook_bytes({"survey": [["type", "name"], ["text", "q"]]}), "f.xlsx")
    _fatal(no_label.lines(), "f.xlsx: survey row 1: no label column; add label::Svenska (sv) and label::English (en)")


def test_missing_choices_columns() -> None:
    result = convert([question("select_one agree5", "q")], choices=[["list", "name", "label"], ["agree5", "a", "A"]])
    assert not result.ok
    _fatal(result.lines(), "form.xlsx: choices row 1: no 'list_name' column; add it to the header row")


def test_unknown_choice_list() -> None:
    result = convert([question("select_one agre5", "q")])
    assert result.document is None
    _fatal(
        result.lines(),
        "form.xlsx: survey row 2: 'q' uses choice list 'agre5', which is not on the choices sheet (lists: agree5)",
    )


def test_select_without_a_choices_sheet() -> None:
    data = workbook_bytes({"survey": [["type", "name", "label"], ["select_one yn", "q", "Q?"]]})
    result = convert_xlsform(data, "f.xlsx")
    assert result.document is None
    _fatal(
        result.lines(),
        "f.xlsx: survey row 2: 'q' uses choice list 'yn', which is not on the choices sheet (the workbook has no "
        "'choices' sheet)",
    )


def test_forward_relevant_reference() -> None:
    result = convert([question("text", "a", relevant="${b} = 'x'"), question("text", "b")])
    assert result.document is None
    _fatal(
        result.lines(),
        "form.xlsx: survey row 2: relevant \"${b} = 'x'\" names ${b}, which comes later (row 3); "
        "a condition may only name an earlier question",
    )


def test_circular_relevant_reference() -> None:
    result = convert([question("integer", "a", relevant="${a} >= 1")])
    assert not result.ok
    _fatal(result.lines(), 'form.xlsx: survey row 2: relevant "${a} >= 1" refers to ${a} itself; a circular '
                           "condition cannot work")  # fmt: skip
    inside = convert(
        [question("begin group", "g", relevant="${q} = 1"), question("integer", "q"), question("end group", "")]
    )
    assert any("names ${q}, which comes later (row 3)" in line for line in inside.lines())
    assert not inside.ok


def test_relevant_naming_a_question_not_in_the_form() -> None:
    result = convert([question("text", "a", relevant="${nowhere} = 'x'")])
    _fatal(result.lines(), "form.xlsx: survey row 2: relevant \"${nowhere} = 'x'\" names ${nowhere}, which is not in "
                           "the survey sheet")  # fmt: skip


def test_unbalanced_groups() -> None:
    unclosed = convert([question("begin group", "g"), question("text", "q")])
    _fatal(unclosed.lines(), "form.xlsx: survey row 2: group 'g' has no matching 'end group' row")
    stray = convert([question("text", "q"), question("end group", "")])
    _fatal(stray.lines(), "form.xlsx: survey row 3: 'end group' has no matching begin row above it")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a spreadsheet", "not an XLSX workbook (BadZipFile); save the form as .xlsx"),
        (b"\xd0\xcf\x11\xe0" + bytes(60), "this is an old .xls workbook; open it in a spreadsheet program and save it"),
    ],
)
def test_not_an_xlsx_file(data: bytes, message: str) -> None:
    result = convert_xlsform(data, "f.xlsx")
    assert result.document is None
    assert len(result.lines()) == 1
    assert result.lines()[0].startswith(f"f.xlsx: (file): {message}")


def test_project_validation_problems_point_to_the_row() -> None:
    # Two choice names that become the same value: the instrument model refuses duplicates.
    choices = [["list_name", "name", "label"], ["c", "Yes", "Yes"], ["c", "yes", "yes"]]
    result = convert([question("text", "first"), question("select_one c", "q")], choices=choices)
    assert not result.ok
    _fatal(result.lines(), "form.xlsx: survey row 3: choices[1].value: duplicate choice value 'yes'; give each choice "
                           "its own value")  # fmt: skip


def test_no_question_left() -> None:
    result = convert([question("calculate", "total"), question("note", "hello")])
    _fatal(result.lines(), "form.xlsx: survey: no question could be carried over")


# -- listed, but the import goes on -----------------------------------------------------------------------------------


def test_complex_and_unequal_relevant_keep_the_item_without_a_condition() -> None:
    result = convert(
        [
            question("integer", "a"),
            question("integer", "b"),
            question("text", "both", relevant="${a} >= 1 and ${b} >= 1"),
            question("text", "not_equal", relevant="${a} != 3"),
        ]
    )
    assert result.ok, result.lines()
    assert "show_if" not in items(result)["both"]
    assert "show_if" not in items(result)["not_equal"]
    lines = result.lines()
    assert (
        'form.xlsx: survey row 4: relevant "${a} >= 1 and ${b} >= 1" is not one of the simple forms (= , selected(), '
        ">=, <= on one earlier question); the item is kept without a condition" in lines
    )
    assert any(line.startswith('form.xlsx: survey row 5: relevant "${a} != 3" is not one of') for line in lines)


def test_relevant_on_a_dropped_question_or_an_impossible_value() -> None:
    result = convert(
        [
            question("calculate", "total"),
            question("text", "a", relevant="${total} >= 3"),
            question("select_one agree5", "staff", appearance="likert"),
            question("text", "b", relevant="${staff} = 'superb'"),
        ]
    )
    lines = result.lines()
    assert (
        'form.xlsx: survey row 3: relevant "${total} >= 3" names ${total}, which is not imported as a question; '
        "the item is kept without a condition" in lines
    )
    assert (
        "form.xlsx: survey row 5: relevant \"${staff} = 'superb'\" compares ${staff} with 'superb', which is not one "
        "of its answers; the item is kept without a condition" in lines
    )


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (question("calculate", "total"), "type 'calculate' ('total') cannot be carried over; the row is left out"),
        (question("geopoint", "where"), "type 'geopoint' ('where') cannot be carried over; the row is left out"),
        (question("date", "when"), "type 'date' ('when') cannot be carried over; the row is left out"),
        (question("image", "photo"), "image 'photo' cannot be carried over into a survey"),
        (question("integer", "n", constraint=". mod 2 = 0"), 'constraint ". mod 2 = 0" cannot be carried over'),
        (question("decimal", "x", constraint=". > 0"), 'constraint ". > 0" cannot be carried over'),
        (question("text", "t", required="${a} = 'x'"), "required \"${a} = 'x'\" cannot be carried over"),
        (question("text", "t", appearance="numbers"), "column 'appearance' (\"numbers\") cannot be carried over"),
        (question("range", "r", parameters="start=1 end=5 tick_interval=2"), "parameter tick_interval='2' cannot"),
    ],
)
def test_rows_that_cannot_be_carried_over_are_listed(row: list[str], expected: str) -> None:
    result = convert([question("text", "a"), row, question("text", "z")])
    assert result.ok, result.lines()
    assert any(line.startswith(f"form.xlsx: survey row 3: {expected}") for line in result.lines()), result.lines()


def test_labels_that_show_earlier_answers_are_listed() -> None:
    result = convert([question("text", "name"), question("integer", "age", en="How old is ${name}?")])
    assert result.ok
    assert (
        "form.xlsx: survey row 3: the label shows ${name} as written; ServiceScore does not fill in earlier answers, "
        "reword it" in result.lines()
    )


def test_columns_and_groups_that_cannot_be_carried_over() -> None:
    header = [*HEADER, "choice_filter", "calculation", "default"]
    rows = [
        header,
        ["select_one agree5", "a", "A", "A", "", "", "", "", "", "", "", "name != 'x'", "", ""],
        ["begin repeat", "visit", "Besök", "Visit"],
        ["integer", "n", "N", "N", "", "", "", "", "", "", "", "", "", "3"],
        ["end repeat"],
        ["begin group", "empty", "Tom", "Empty"],
        ["note", "n2", "Obs", "Note"],
        ["end group"],
    ]
    data = workbook_bytes({"survey": rows, "choices": LIKERT, "settings": SETTINGS})
    lines = convert_xlsform(data, "f.xlsx").lines()
    for expected in (
        "f.xlsx: survey row 2: column 'choice_filter' (\"name != 'x'\") cannot be carried over",
        "f.xlsx: survey row 3: repeat 'visit' cannot be carried over; its questions became a section asked once",
        "f.xlsx: survey row 4: column 'default' (\"3\") cannot be carried over",
        "f.xlsx: survey row 6: group 'empty' has no question that could be carried over; it is left out",
        "f.xlsx: survey row 7: note 'n2' (\"Note\") is not a question; it is left out",
    ):
        assert expected in lines, "\n".join(lines)


def test_other_specify_and_five_option_lists_without_likert() -> None:
    result = convert([question("select_one agree5 or_other", "staff")])
    item = items(result)["staff"]
    assert item["type"] == "choice"  # a 5-option list is a scale only when named or shown as likert
    assert [choice["value"] for choice in item["choices"]][-2:] == ["strongly_agree", "other"]
    assert item["choices"][-1]["text"] == {"sv": "Annat", "en": "Other"}
    assert (
        "form.xlsx: survey row 2: the 'other, specify' text box of 'staff' cannot be carried over; the choice 'other' "
        "is kept without it" in result.lines()
    )


def test_other_languages_and_missing_translations_are_listed() -> None:
    rows = [["type", "name", "label::English (en)", "label::Français (fr)"], ["text", "q", "Hello", "Bonjour"]]
    result = convert_xlsform(workbook_bytes({"survey": rows}), "f.xlsx")
    assert items(result)["q"]["text"] == {"sv": "Hello", "en": "Hello"}
    lines = result.lines()
    assert (
        "f.xlsx: survey: column 'label::Français (fr)' is not carried over; ServiceScore keeps Swedish and English"
        in (lines)
    )
    assert (
        "f.xlsx: survey: no Swedish label column (label::Svenska (sv)); the English texts were copied into sv, "
        "translate them" in lines
    )
