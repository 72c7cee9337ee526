"""The pure parts of exports: the XLSX writer, a client's thinning of answers, query parsing and file names."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import polars as pl
import pyarrow.parquet as pq
import pytest

from servicescore.db.export_scope import OrganisationRef, UnitRef
from servicescore.interchange import write_answers, writing
from servicescore.interchange.writing import write_answer_parts
from servicescore.interchange.xlsx import column_letter
from servicescore.results import FilterError, client_answers, client_scores, pseudonyms
from servicescore.results.exports import Scope
from servicescore.scoring import ANSWER_SCHEMA, SCORE_STATISTICS
from servicescore.web.exports.downloads import filename
from servicescore.web.exports.filters import parse_query
from servicescore.web.exports.writers import as_text_cells, csv_chunks, write_xlsx

KEY = b"k" * 32


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (701, "ZZ"),
                                                 (702, "AAA")])  # fmt: skip
def test_column_letters(index: int, letters: str) -> None:
    assert column_letter(index) == letters


def test_xlsx_round_trips_types_and_awkward_text(tmp_path: Path) -> None:
    frame = pl.DataFrame(
        {
            "text": ["=1+1", "a < b & c > d", "line\r\nbreak", "bell\x07", None, "  spaced  ", "@SUM(A1)"],
            "value": [1.5, None, float("nan"), 4.0, 5.0, -2.0, 1e-7],
            "count": [1, 2, 3, None, 5, 6, 7],
            "flag": [True, False, None, True, False, True, False],
        }
    )
    path = tmp_path / "t.xlsx"
    about = [("Organisation", '=HYPERLINK("x")'), ("Rows", "7")]
    write_xlsx(frame.columns, [frame], path, sheet="answers", about=about)
    book = openpyxl.load_workbook(path)
    rows = list(book["answers"].iter_rows(values_only=True))
    assert rows[0] == ("text", "value", "count", "flag")
    assert rows[1] == ("'=1+1", 1.5, 1, True)
    assert rows[2] == ("a < b & c > d", None, 2, False)
    assert rows[3] == ("line\r\nbreak", None, 3, None)  # NaN has no cell
    assert rows[4] == ("bell", 4.0, None, True)  # XML cannot hold the control character
    assert rows[5] == (None, 5.0, 5, False)
    assert rows[6] == ("  spaced  ", -2.0, 6, True)
    assert rows[7] == ("'@SUM(A1)", pytest.approx(1e-7), 7, False)
    assert list(book["about"].iter_rows(values_only=True))[1] == ("Organisation", '\'=HYPERLINK("x")')
    assert pl.read_excel(path, sheet_name="answers").height == 7


def test_csv_chunks_write_one_header_and_every_row() -> None:
    frame = pl.DataFrame({"n": list(range(25)), "text": ["-x"] * 25})
    chunks = list(csv_chunks(frame, slice_rows=10))
    assert len(chunks) == 3
    text = b"".join(chunks).decode()
    assert text.count("n,text") == 1
    assert text.count("'-x") == 25


def test_dates_and_times_become_iso_text() -> None:
    frame = pl.DataFrame({"at": [datetime(2026, 2, 3, 14, 5, tzinfo=UTC)], "on": [date(2026, 2, 3)]})
    assert as_text_cells(frame).row(0) == ("2026-02-03T14:05:00Z", "2026-02-03")


def _answers(groups: dict[tuple[str, str | None], int]) -> pl.DataFrame:
    rows = []
    for (unit, segment), count in groups.items():
        for n in range(count):
            for item in ("a", "b"):
                rows.append({"response_id": f"{unit}-{segment}-{n}", "instrument": "i", "wave": "w",
                             "organisation": "o", "unit": unit, "segment": segment, "item": item, "text": None,
                             "submitted_at": datetime(2026, 1, 1, 9, n, tzinfo=UTC)})  # fmt: skip
    return pl.DataFrame(rows)


def test_client_answers_leave_out_small_groups_and_blank_small_segments() -> None:
    answers = _answers({("big", "x"): 5, ("big", "y"): 2, ("small", "x"): 4})
    thinned, withheld = client_answers(answers, 5, KEY)
    assert withheld == 4
    assert set(thinned.get_column("unit")) == {"big"}
    assert thinned.get_column("response_id").n_unique() == 7
    assert thinned.filter(pl.col("segment") == "x").get_column("response_id").n_unique() == 5
    assert thinned.get_column("segment").null_count() == 2 * 2  # the two y respondents, two answers each
    assert thinned.schema["submitted_at"] == pl.Date
    assert not set(thinned.get_column("response_id")) & set(answers.get_column("response_id"))


def test_pseudonyms_are_stable_per_key_and_differ_between_keys() -> None:
    ids = pl.Series("response_id", ["0b6f1c1e-5a43-4cf1-9a6e-2f5d8d3f7a10", "11111111-2222-3333-4444-555555555555"])
    first, again, other = pseudonyms(ids, KEY), pseudonyms(ids, KEY), pseudonyms(ids, b"another key")
    assert first.to_list() == again.to_list()
    assert not set(first) & set(other)
    assert first.str.len_chars().to_list() == [36, 36]


def test_client_scores_blank_every_figure_of_a_suppressed_row() -> None:
    table = pl.DataFrame(
        {"instrument": ["i", "i", "i"], "wave": ["w", "w", "w"], "organisation": ["o", "o", "p"],
         "unit": ["big", "small", "x"], "n": [9, 2, 9], "mean": [4.0, None, 3.0], "suppressed": [False, True, False]}
    )  # fmt: skip
    table = table.with_columns(
        pl.lit(None, pl.Float64).alias(c) for c in SCORE_STATISTICS if c not in {*table.columns, "uncertain"}
    ).with_columns(uncertain=pl.lit(value=True))
    own = client_scores(table, "o", None)
    assert own.get_column("unit").to_list() == ["big", "small"]
    assert own.get_column("n").to_list() == [9, None]


def test_query_parsing_refuses_what_it_does_not_know() -> None:
    spec = parse_query("scores", {"instrument": ["guided-tour"], "wave": ["2026-Q1,2026-Q2"], "by": ["unit"]})
    assert spec.waves == ("2026-Q1", "2026-Q2")
    assert spec.by == ("unit",)
    assert spec.file_format == "csv"
    with pytest.raises(FilterError) as refused:
        parse_query("answers", {"instrument": ["guided-tour"], "level": ["item"]})
    assert refused.value.key == "unknown_filter"
    assert refused.value.values["name"] == "level"
    with pytest.raises(FilterError) as refused:
        parse_query("answers", {"instrument": ["guided-tour"], "organisation": ["１２"]})  # full-width digits
    assert refused.value.key == "not_an_id"


def test_file_names_hold_only_safe_characters() -> None:
    spec = parse_query("answers", {"instrument": ["guided-tour"], "wave": ['2026"; x=../../etc'], "format": ["xlsx"]})
    scope = Scope(OrganisationRef(1, "zorngarden", '=HYPERLINK("x")'), UnitRef(2, "hemmet", "Hemmet", 1), client=True)
    name = filename(spec, scope)
    assert name == "servicescore-answers-guided-tour-zorngarden-hemmet-2026_x_.._.._etc.xlsx"
    assert all(c.isalnum() or c in "._-" for c in name)


def _wave_answers(responses: range, wave: str) -> pl.DataFrame:
    rows = [
        (f"r{n:03}", "visitor-survey", wave, "zorngarden", "mora", None, "overall", item, float(n % 5 + 1), False,
         "=1+1" if n % 7 == 0 else None, datetime(2026, 3, 1, 10, n % 60, tzinfo=UTC), 1.0)
        for n in responses for item in ("overall_satisfaction", "staff_welcome")
    ]  # fmt: skip
    return pl.DataFrame(rows, schema=ANSWER_SCHEMA, orient="row")


@pytest.mark.parametrize("file_format", ["csv", "parquet", "xlsx"])
def test_answers_written_part_by_part_equal_them_written_whole(
    tmp_path: Path, file_format: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`export answers` holds one batch of a partition at a time: the file is the same as one written from all of
    them, and a Parquet row group holds at most `ROW_GROUP` rows of one part."""
    monkeypatch.setattr(writing, "ROW_GROUP", 25)
    parts = [_wave_answers(range(0, 30), "2026-Q1"), _wave_answers(range(30, 45), "2026-Q2")]
    whole, streamed = tmp_path / f"whole.{file_format}", tmp_path / f"parts.{file_format}"
    write_answers(pl.concat(parts), whole, file_format)
    write_answer_parts((part.iter_slices(7) for part in parts), streamed, file_format, weighted=False)
    read = {"csv": pl.read_csv, "parquet": pl.read_parquet, "xlsx": pl.read_excel}[file_format]
    assert read(streamed).equals(read(whole))
    assert read(streamed).height == 90
    if file_format == "csv":
        assert streamed.read_bytes() == whole.read_bytes()
    if file_format == "parquet":
        metadata = pq.ParquetFile(streamed).metadata
        assert [metadata.row_group(n).num_rows for n in range(metadata.num_row_groups)] == [25, 25, 10, 25, 5]
    empty = tmp_path / f"empty.{file_format}"
    write_answer_parts(iter([]), empty, file_format, weighted=False)
    assert read(empty).columns == read(whole).columns
