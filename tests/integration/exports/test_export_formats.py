"""A consultant's exports in every format, opened with the tools their users open them with."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import polars as pl
import pyreadstat
import pytest

from servicescore.definitions import load_instruments
from servicescore.interchange.formulas import TRIGGERS
from servicescore.settings import CHECKOUT_DIR
from tests.support.export_world import EVIL_NAME, PLANTED, SMALL_GROUP_SECRET, WAVE, Client, World, log_in

pytestmark = pytest.mark.anyio

ANSWERS = "/console/exports/answers?instrument=visitor-survey"
SCORES = "/console/exports/scores?instrument=visitor-survey"
VISITOR_SURVEY = next(i for i in load_instruments(CHECKOUT_DIR / "surveys") if i.id == "visitor-survey")


def quoted(text: str) -> str:
    return f"'{text}"


def assert_no_live_formula(cells: list[object]) -> None:
    for cell in cells:
        if isinstance(cell, str) and cell:
            assert cell[0] not in TRIGGERS, f"cell {cell!r} would run as a formula"


async def download(client: Client, url: str, tmp_path: Path, suffix: str) -> Path:
    response = await client.get(url)
    assert response.status_code == 200, response.text[:400]
    path = tmp_path / f"export{suffix}"
    path.write_bytes(response.content)
    return path


async def test_answers_csv_is_the_long_layout_with_formulas_quoted(client: Client, world: World) -> None:
    await log_in(client, "konsult")
    response = await client.get(f"{ANSWERS}&format=csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"  # one charset (was named twice)
    assert response.headers["content-disposition"] == 'attachment; filename="servicescore-answers-visitor-survey.csv"'
    frame = pl.read_csv(io.BytesIO(response.content), infer_schema=False)
    assert frame.columns == [
        "response_id", "instrument", "wave", "organisation", "unit", "item", "value", "na", "text",
        "submitted_at", "segment",
    ]  # fmt: skip
    assert frame.height == world.answers
    assert frame.get_column("response_id").n_unique() == sum(len(ids) for ids in world.responses.values())
    comments = set(frame.filter(pl.col("item") == "comment").get_column("text"))
    assert {quoted(text) for text in PLANTED} <= comments
    assert "'=seg" in set(frame.get_column("segment"))
    rows = list(csv.reader(io.StringIO(response.text)))
    assert_no_live_formula([cell for row in rows for cell in row])
    # A consultant keeps the stored times, to the second.
    assert frame.get_column("submitted_at").str.contains(r"^2026-02-0\dT\d\d:\d\d:00Z$").all()


async def test_answers_xlsx_has_no_cell_that_runs(client: Client, world: World, tmp_path: Path) -> None:
    await log_in(client, "konsult")
    evil = world.organisations["evil-org"]
    path = await download(client, f"{ANSWERS}&format=xlsx&organisation={evil}", tmp_path, ".xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["answers", "about"]
    sheet = book["answers"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert_no_live_formula([cell.value for cell in cells])
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["response_id", "instrument", "wave"]
    assert len(values) - 1 == 6 * 6  # six respondents of the organisation, six answers each
    assert {row[3] for row in values[1:]} == {"evil-org"}
    texts = {row[8] for row in values[1:] if row[5] == "comment"}
    assert quoted("=1+1") in texts
    assert quoted("@SUM(A1)") in texts
    numbers = [row[6] for row in values[1:] if row[5] == "staff_welcome"]
    assert all(isinstance(v, int | float) and 1 <= v <= 5 for v in numbers)
    about = {row[0].value: row[1].value for row in book["about"].iter_rows(min_row=2)}
    assert about["Organisation"] == quoted(EVIL_NAME)
    assert_no_live_formula(list(about.values()))


async def test_answers_parquet_keeps_text_and_types_as_stored(client: Client, world: World, tmp_path: Path) -> None:
    await log_in(client, "konsult")
    path = await download(client, f"{ANSWERS}&format=parquet&wave={WAVE}", tmp_path, ".parquet")
    frame = pl.read_parquet(path)
    assert frame.height == world.answers
    assert frame.schema["value"] == pl.Float64
    assert frame.schema["submitted_at"] == pl.Datetime("us", "UTC")
    # Parquet runs nothing, so text stays exactly as answered (the import reads it back unchanged).
    assert set(PLANTED) <= set(frame.filter(pl.col("item") == "comment").get_column("text"))
    assert SMALL_GROUP_SECRET in set(frame.get_column("text"))


async def test_answers_sav_is_one_case_per_response_with_labels(client: Client, world: World, tmp_path: Path) -> None:
    await log_in(client, "konsult")
    path = await download(client, f"{ANSWERS}&format=sav&lang=en", tmp_path, ".sav")
    frame, meta = pyreadstat.read_sav(str(path), output_format="polars", user_missing=True)
    assert frame.height == sum(len(ids) for ids in world.responses.values())
    assert frame.get_column("response_id").n_unique() == frame.height
    labels = meta.column_names_to_labels
    assert labels["staff_welcome"].startswith("How")
    assert labels["response_id"] == "Response id"
    scale = VISITOR_SURVEY.item("staff_welcome").scale  # type: ignore[union-attr]
    assert meta.variable_value_labels["staff_welcome"] == {
        1.0: scale.labels.min.en, 5.0: scale.labels.max.en, 99.0: "Not applicable",
    }  # fmt: skip
    assert meta.missing_ranges["staff_welcome"] == [{"lo": 99.0, "hi": 99.0}]
    assert meta.variable_value_labels["visit_type"] == {
        1.0: "Yes, it is my first visit", 2.0: "No, I have been here before",
    }  # fmt: skip
    assert meta.variable_value_labels["contact_consent"] == {0.0: "No", 1.0: "Yes"}
    # N/A answers are the user-missing code, other answers their value.
    guide = frame.get_column("guide_rating").drop_nulls()
    assert 99.0 in set(guide)
    assert set(guide) - {99.0} <= {1.0, 2.0, 3.0, 4.0, 5.0}
    assert set(frame.get_column("visit_type").drop_nulls()) == {1.0, 2.0}
    assert set(PLANTED) <= set(frame.get_column("comment").drop_nulls())


async def test_scores_in_each_format_agree(client: Client, world: World, tmp_path: Path) -> None:
    await log_in(client, "konsult")
    csv_frame = pl.read_csv(io.BytesIO((await client.get(f"{SCORES}&format=csv&by=organisation,unit")).content))
    parquet = pl.read_parquet(await download(client, f"{SCORES}&format=parquet&by=organisation,unit", tmp_path, ".pq"))
    xlsx = pl.read_excel(await download(client, f"{SCORES}&format=xlsx&by=organisation,unit", tmp_path, ".xlsx"))
    sav, meta = pyreadstat.read_sav(
        str(await download(client, f"{SCORES}&format=sav&by=organisation,unit", tmp_path, ".sav")),
        output_format="polars",
    )
    assert csv_frame.height == parquet.height == xlsx.height == sav.height
    welcome = pl.col("item") == "staff_welcome"
    row = parquet.filter(welcome & (pl.col("organisation") == "zorngarden") & (pl.col("unit") == "hemmet"))
    # Zorngården's hemmet: numbers 0..5 give staff_welcome 2 + n % 4 → 2, 3, 4, 5, 2, 3.
    assert row.get_column("n").item() == 6
    assert row.get_column("mean").item() == pytest.approx(19 / 6)
    assert csv_frame.filter(welcome & (pl.col("unit") == "hemmet")).get_column("mean").item() == pytest.approx(19 / 6)
    assert xlsx.filter(welcome & (pl.col("unit") == "hemmet")).get_column("mean").item() == pytest.approx(19 / 6)
    small = parquet.filter(welcome & (pl.col("unit") == "museet"))
    assert small.get_column("suppressed").item() is True
    assert small.get_column("mean").item() is None
    assert small.get_column("n").item() == 2  # a consultant's table is `servicescore scores`: n stays
    assert meta.variable_value_labels["suppressed"] == {0: "Nej", 1: "Ja"}
    assert meta.column_names_to_labels["index"] == "Index 0–100"


async def test_columns_filter_chooses_and_orders_columns(client: Client, world: World) -> None:
    await log_in(client, "konsult")
    response = await client.get(f"{ANSWERS}&format=csv&columns=item,value&columns=response_id")
    frame = pl.read_csv(io.BytesIO(response.content))
    assert frame.columns == ["item", "value", "response_id"]
    assert frame.height == world.answers
