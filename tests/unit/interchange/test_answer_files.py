"""Reading, checking and writing answer files, without a database."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from servicescore.definitions import Instrument, load_instruments
from servicescore.interchange import load_answer_file, write_answers
from servicescore.scoring import ANSWER_SCHEMA
from servicescore.settings import CHECKOUT_DIR

R1 = "0b6f1c1e-5a43-4cf1-9a6e-2f5d8d3f7a10"
R2 = "0b6f1c1e-5a43-4cf1-9a6e-2f5d8d3f7a11"
HEADER = "response_id,instrument,wave,organisation,unit,item,value,na,text,submitted_at,segment"


@pytest.fixture(scope="module")
def instruments() -> list[Instrument]:
    return load_instruments(CHECKOUT_DIR / "surveys")


def _csv(tmp_path: Path, *rows: str, header: str = HEADER, name: str = "answers.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _row(item: str, value: str = "", na: str = "", text: str = "", rid: str = R1, **dims: str) -> str:
    d = {"instrument": "visitor-survey", "wave": "2026-Q1", "organisation": "zorngarden", "unit": "mora"} | dims
    when = dims.get("submitted_at", "2026-03-01T14:05:00Z")
    segment = dims.get("segment", "")
    dimensions = f"{d['instrument']},{d['wave']},{d['organisation']},{d['unit']}"
    return f"{rid},{dimensions},{item},{value},{na},{text},{when},{segment}"


def test_long_csv_is_read_typed(tmp_path: Path, instruments: list[Instrument]) -> None:
    path = _csv(
        tmp_path,
        _row("overall_satisfaction", "5"),
        _row("staff_welcome", na="true"),
        _row("visit_type", text="first_visit"),
        _row("recommend", "9"),
        _row("comment", text="'=SUM(A1)", rid=R2),
        _row("overall_satisfaction", '"4,0"', rid=R2),
    )
    answers, problems = load_answer_file(path, instruments)
    assert problems == []
    assert answers.drop("_row").schema == pl.Schema(ANSWER_SCHEMA)
    assert answers.get_column("_row").to_list() == [2, 3, 4, 5, 6, 7]
    assert answers.get_column("value").to_list() == [5.0, None, None, 9.0, None, 4.0]
    assert answers.get_column("na").to_list() == [False, True, False, False, False, False]
    # The quote an export put before a formula-looking text is taken off again.
    assert answers.get_column("text").to_list()[4] == "=SUM(A1)"
    assert answers.get_column("submitted_at")[0] == datetime(2026, 3, 1, 14, 5, tzinfo=UTC)


def test_response_ids_are_stored_canonical_whatever_their_rows_order(
    tmp_path: Path, instruments: list[Instrument]
) -> None:
    """An id upper-case, without hyphens or padded is the id in lower case with its hyphens, on every row of its
    response, also when the responses' rows are interleaved (each is made canonical once, at its first row)."""
    r3 = "9F1C2B3A-0000-4D5E-8F90-ABCDEF012345"
    path = _csv(
        tmp_path,
        _row("overall_satisfaction", "5", rid=R2.upper()),
        _row("overall_satisfaction", "4", rid=f"  {r3} "),
        _row("recommend", "9", rid=R2.upper()),
        _row("overall_satisfaction", "3", rid=R1.replace("-", "")),
        _row("recommend", "8", rid=f"  {r3} "),
        _row("recommend", "7", rid=R1.replace("-", "")),
    )
    answers, problems = load_answer_file(path, instruments)
    assert problems == []
    canonical = r3.lower()
    assert answers.get_column("response_id").to_list() == [R2, canonical, R2, R1, canonical, R1]
    assert answers.get_column("value").to_list() == [5.0, 4.0, 9.0, 3.0, 8.0, 7.0]


def test_wide_file_becomes_long(tmp_path: Path, instruments: list[Instrument]) -> None:
    header = (
        "response_id,wave,organisation,unit,submitted_at,segment,"
        "overall_satisfaction,staff_welcome,visit_type,recommend"
    )
    path = _csv(
        tmp_path,
        f"{R1},2026-Q1,zorngarden,mora,2026-03-01 10:00,,5,N/A,first_visit,10",
        f"{R2},2026-Q1,zorngarden,mora,2026-03-01 11:00,family,3,4,,",
        header=header,
    )
    answers, problems = load_answer_file(path, instruments, instrument="visitor-survey")
    assert problems == []
    rows = answers.select("_row", "item", "value", "na", "text").rows()
    assert rows == [
        (2, "overall_satisfaction", 5.0, False, None),
        (2, "staff_welcome", None, True, None),
        (2, "visit_type", None, False, "first_visit"),
        (2, "recommend", 10.0, False, None),
        (3, "overall_satisfaction", 3.0, False, None),
        (3, "staff_welcome", 4.0, False, None),
    ]
    assert answers.filter(pl.col("_row") == 3).get_column("segment").unique().to_list() == ["family"]


BAD_FILES: list[tuple[str, list[str], str | None, list[str]]] = [
    ("unknown item", [_row("nope", "3")], None, ['row 2: column item: instrument "visitor-survey" has no item "nope"']),
    (
        "out of scale",
        [_row("overall_satisfaction", "6")],
        None,
        ["row 2: column value: must be between 1 and 5 (got 6)"],
    ),
    ("nps out of range", [_row("recommend", "-1")], None, ["row 2: column value: must be between 0 and 10 (got -1)"]),
    ("not a number", [_row("overall_satisfaction", "good")], None, ['row 2: column value: "good" is not a number']),
    (
        "half a point",
        [_row("overall_satisfaction", "3.5")],
        None,
        ["row 2: column value: must be a whole number (got 3.5)"],
    ),
    (
        "N/A not allowed",
        [_row("overall_satisfaction", na="true")],
        None,
        ['row 2: column na: item "overall_satisfaction" does not allow N/A'],
    ),
    (
        "N/A and a value",
        [_row("staff_welcome", "3", na="yes")],
        None,
        ["row 2: column value: a value and N/A at once; give one of them"],
    ),
    ("bad na", [_row("staff_welcome", "3", na="maybe")], None, ['row 2: column na: "maybe" is not true or false']),
    (
        "unknown choice",
        [_row("visit_type", text="guided_tour")],
        None,
        ['row 2: column text: "guided_tour" is not among the choices: first_visit, returning'],
    ),
    (
        "value for a choice",
        [_row("visit_type", "1")],
        None,
        ["row 2: column value: a choice item takes its answer in text, not value"],
    ),
    (
        "text too long",
        [_row("comment", text="x" * 2001)],
        None,
        ["row 2: column text: longer than 2000 characters (2001)"],
    ),
    (
        "comment not allowed",
        [_row("overall_satisfaction", "4", text="fin")],
        None,
        ['row 2: column text: item "overall_satisfaction" takes no comment'],
    ),
    ("empty answer", [_row("overall_satisfaction")], None, ["row 2: column value: no value, N/A or text"]),
    (
        "not a UUID",
        [_row("overall_satisfaction", "4", rid="response-1")],
        None,
        ['row 2: column response_id: "response-1" is not a UUID (like 0b6f1c1e-5a43-4cf1-9a6e-2f5d8d3f7a10)'],
    ),
    (
        "unknown instrument",
        [_row("overall_satisfaction", "4", instrument="visitors")],
        None,
        [
            'row 2: column instrument: unknown instrument "visitors"; '
            "known: channel-audit, employee-pulse, guided-tour, mystery-call, visitor-survey"
        ],
    ),
    (
        "response split over waves",
        [_row("overall_satisfaction", "4"), _row("recommend", "9", wave="2026-Q2")],
        None,
        ['row 3: column wave: differs from row 2 of the same response ("2026-Q1" there)'],
    ),
    (
        "item twice",
        [_row("overall_satisfaction", "4"), _row("overall_satisfaction", "5")],
        None,
        ['row 3: column item: item "overall_satisfaction" is answered twice in this response (also in row 2)'],
    ),
    (
        "bad time",
        [_row("overall_satisfaction", "4", submitted_at="yesterday")],
        None,
        ['row 2: column submitted_at: "yesterday" is not a date and time (like 2026-03-01T14:05:00Z)'],
    ),
    ("empty wave", [_row("overall_satisfaction", "4", wave="")], None, ["row 2: column wave: is empty"]),
    (
        "instrument differs from the option",
        [_row("overall_satisfaction", "4")],
        "employee-pulse",
        [
            'row 1: column instrument: "visitor-survey" but --instrument is "employee-pulse"',
            'row 2: column instrument: "visitor-survey" but --instrument is "employee-pulse"',
        ],
    ),
]


@pytest.mark.parametrize(("case", "rows", "option", "expected"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_bad_rows_are_reported_by_row_and_column(  # noqa: PLR0917 (parametrized)
    tmp_path: Path, instruments: list[Instrument], case: str, rows: list[str], option: str | None, expected: list[str]
) -> None:
    # A good row first, so each bad file is bad in one place only.
    good = _row("recommend", "7", rid=R2)
    path = _csv(tmp_path, good, *rows)
    _, problems = load_answer_file(path, instruments, option)
    lines = [p.line(str(path)) for p in problems]
    assert lines == [f"{path}: {line}" for line in _shift(expected)], case


def _shift(lines: list[str]) -> list[str]:
    """The expectations are written for a file without the leading good row: move every row number down one."""
    return [re.sub(r"row (\d+)", lambda m: f"row {int(m.group(1)) + 1}", line) for line in lines]


def test_header_problems(tmp_path: Path, instruments: list[Instrument]) -> None:
    path = _csv(
        tmp_path,
        f"{R1},visitor-survey,2026-Q1,zorngarden,overall_satisfaction,4",
        header="response_id,instrument,wave,organisation,item,value",
    )
    _, problems = load_answer_file(path, instruments)
    assert [p.line("f.csv") for p in problems] == ["f.csv: row 1: column unit: missing: this column is required"]
    path = tmp_path / "answers.json"
    path.write_text("{}", encoding="utf-8")
    _, problems = load_answer_file(path, instruments)
    assert problems[0].message == "unknown file type '.json': use .csv, .xlsx or .parquet"


EXTRA_CELL = f"{R1},visitor-survey,2026-Q1,zorngarden,mora,recommend,7,,,,,extra"
UNCLOSED = f'{R1},visitor-survey,2026-Q1,zorngarden,mora,comment,,,"Bra guide,,'


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([EXTRA_CELL], "row 3: column -: 12 cells, but the header names 11 columns"),
        ([UNCLOSED, _row("recommend", "7")], 'row 3: column -: a quote (") opened in this row is never closed'),
    ],
    ids=["a cell too many", "a quote never closed"],
)
def test_a_csv_that_cannot_be_read_names_the_row(
    tmp_path: Path, instruments: list[Instrument], rows: list[str], expected: str
) -> None:
    """Polars' refusal was blamed on row 1 and cut at the line break: "row 1: column -: cannot read the file as csv:
    could not parse `"Bra guide,,"`; found more fields than the header: no row at all."""
    path = _csv(tmp_path, _row("recommend", "7", rid=R2), *rows)
    _, problems = load_answer_file(path, instruments)
    assert [p.line("f.csv") for p in problems] == [f"f.csv: {expected}"]


def _answers() -> pl.DataFrame:
    when = datetime(2026, 3, 1, 14, 5, tzinfo=UTC)
    rows = [
        (R1, "visitor-survey", "2026-Q1", "zorngarden", "mora", None, None, "overall_satisfaction", -1.0, False, None),
        (R1, "visitor-survey", "2026-Q1", "zorngarden", "mora", None, None, "comment", None, False, '=HYPERLINK("x")'),
        (R1, "visitor-survey", "2026-Q1", "zorngarden", "mora", None, None, "best_part", None, False, "+46 70 123"),
        (
            R1,
            "visitor-survey",
            "2026-Q1",
            "zorngarden",
            "mora",
            None,
            None,
            "what_would_improve",
            None,
            False,
            "-nothing",
        ),
        (R1, "visitor-survey", "2026-Q1", "zorngarden", "mora", None, None, "visit_type", None, False, "@first"),
        (R2, "visitor-survey", "2026-Q1", "zorngarden", "mora", "\tseg", None, "comment", None, False, "\rcr"),
    ]
    columns = [
        "response_id",
        "instrument",
        "wave",
        "organisation",
        "unit",
        "segment",
        "section",
        "item",
        "value",
        "na",
        "text",
    ]
    frame = pl.DataFrame(rows, schema=columns, orient="row")
    return frame.with_columns(submitted_at=pl.lit(when), weight=pl.lit(1.0)).select(
        pl.col(n).cast(t) for n, t in ANSWER_SCHEMA.items()
    )


def test_csv_export_neutralises_formulas_and_keeps_numbers(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_answers(_answers(), path, "csv")
    frame = pl.read_csv(path, infer_schema=False)
    assert frame.columns == HEADER.split(",")
    assert frame.get_column("text").to_list()[1:5] == ['\'=HYPERLINK("x")', "'+46 70 123", "'-nothing", "'@first"]
    assert frame.get_column("text")[5] == "'\rcr"
    assert frame.get_column("segment")[5] == "'\tseg"
    assert frame.get_column("value")[0] == "-1.0"  # a number, not neutralised text


def test_csv_export_writes_each_answers_time(tmp_path: Path) -> None:
    # Times are formatted once per run of equal ones: runs, missing times and a time coming back after another.
    first, later = datetime(2026, 3, 1, 14, 5, tzinfo=UTC), datetime(2026, 3, 2, 9, 0, 1, 250000, tzinfo=UTC)
    times = pl.Series("submitted_at", [first, first, None, None, first, later], pl.Datetime("us", "UTC"))
    path = tmp_path / "out.csv"
    write_answers(_answers().with_columns(times), path, "csv")
    written = pl.read_csv(path, infer_schema=False).get_column("submitted_at").to_list()
    assert written == ["2026-03-01T14:05:00Z"] * 2 + [None] * 2 + ["2026-03-01T14:05:00Z", "2026-03-02T09:00:01.250Z"]


def test_xlsx_export_neutralises_formulas_and_keeps_numbers(tmp_path: Path) -> None:
    path = tmp_path / "out.xlsx"
    write_answers(_answers(), path, "xlsx")
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    text, value = header.index("text") + 1, header.index("value") + 1
    assert sheet.cell(2, value).value == -1
    assert sheet.cell(2, value).data_type == "n"
    assert [sheet.cell(r, text).value for r in range(3, 7)] == [
        '\'=HYPERLINK("x")',
        "'+46 70 123",
        "'-nothing",
        "'@first",
    ]
    assert all(sheet.cell(r, text).data_type == "s" for r in range(3, 7))


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "parquet"])
def test_written_files_read_back_identically(tmp_path: Path, instruments: list[Instrument], file_format: str) -> None:
    answers = (
        _answers()
        .filter(pl.col("item") != "overall_satisfaction")
        .with_columns(
            pl.when(pl.col("item") == "visit_type").then(pl.lit("first_visit")).otherwise(pl.col("text")).alias("text"),
            pl.col("segment").str.strip_chars(),
        )
    )
    path = tmp_path / f"out.{file_format}"
    write_answers(answers, path, file_format)
    read, problems = load_answer_file(path, instruments)
    assert problems == []
    assert read.drop("_row").equals(answers)


def test_semicolons_a_byte_order_mark_and_blank_lines(tmp_path: Path, instruments: list[Instrument]) -> None:
    path = tmp_path / "excel.csv"
    lines = [
        "\ufeffresponse_id;instrument;wave;organisation;unit;item;value;na;text;submitted_at;segment",
        f"{R1};visitor-survey;2026-Q1;zorngarden;mora;overall_satisfaction;4,0;;;;",
        ";;;;;;;;;;",
        "",
        f"{R1};visitor-survey;2026-Q1;zorngarden;mora;recommend;11;;;;",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    answers, problems = load_answer_file(path, instruments)
    assert [p.line("excel.csv") for p in problems] == [
        "excel.csv: row 5: column value: must be between 0 and 10 (got 11)"
    ]
    assert answers.get_column("value").to_list() == [4.0, 11.0]
