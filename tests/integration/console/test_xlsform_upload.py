"""XLSForm upload in the console: a form written by others (pyxform's documentation examples, tests/data/xlsform)
is converted, saved to the data dir's surveys folder (never the shipped one) and the database and offered for
publishing; a form with problems lists them by sheet and row and saves nothing; wrong files are refused."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from servicescore.db.tables import AuditEvent, InstrumentVersion
from servicescore.db.tables import Instrument as InstrumentRow
from servicescore.definitions import load_instrument
from servicescore.settings import CHECKOUT_DIR, Settings
from servicescore.web.console.instruments import XLSFORM_MAX_BYTES
from tests.support.console_world import Client, World, field_error, field_value, in_app, log_in, post_form, soup

pytestmark = pytest.mark.anyio
FORMS = CHECKOUT_DIR / "tests" / "data" / "xlsform"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(rows: list[list[str]], *, sheet: str = "survey") -> bytes:
    book = Workbook()
    survey = book.active
    assert survey is not None
    survey.title = sheet
    for row in rows:
        survey.append(row)
    book.create_sheet("choices").append(["list_name", "name", "label"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def names(folder: Path) -> list[str]:
    """Every file in the folder, hidden ones too (a temporary file left behind would show)."""
    return sorted(path.name for path in folder.iterdir())


def is_file(path: Path) -> bool:
    return path.is_file()


async def upload(client: Client, name: str, data: bytes, **fields: str) -> object:
    return await post_form(client, "/console/instruments", {"kind": "survey", **fields}, {"file": (name, data, XLSX)})


async def stored_instruments() -> dict[str, int]:
    rows = await InstrumentRow.select(InstrumentRow.key, InstrumentRow.id)
    versions = await InstrumentVersion.select(InstrumentVersion.instrument)
    return {row["key"]: sum(v["instrument"] == row["id"] for v in versions) for row in rows}


@pytest.fixture
def uploaded_dir(settings: Settings) -> Path:
    return settings.data_dir / "surveys"


async def test_a_form_by_others_is_saved_and_can_be_published(
    client: Client, world: World, surveys_dir: Path, uploaded_dir: Path
) -> None:
    shipped = {name: (surveys_dir / name).read_bytes() for name in names(surveys_dir)}
    await log_in(client)
    answer = await upload(client, "docs_required.xlsx", (FORMS / "docs_required.xlsx").read_bytes())
    assert answer.status_code == 200  # notes of what was not carried over stay on the page with the success
    page = soup(answer)
    assert page.find(class_="notice").text.startswith("Sparad: docs-required ")
    notes = page.find("table", class_="problems-table").find_all("tr", attrs={"data-sheet": True})
    assert notes
    assert all(row["data-fatal"] == "no" for row in notes)
    saved = uploaded_dir / "docs-required.yaml"
    instrument = load_instrument(saved)
    assert instrument.kind == "survey"
    assert names(uploaded_dir) == ["docs-required.yaml"]  # no temporary file left
    assert {name: (surveys_dir / name).read_bytes() for name in names(surveys_dir)} == shipped
    assert (await in_app(client, stored_instruments))["docs-required"] == 1
    publish = soup(await client.get("/console/collections/new"))
    options = {option["value"] for option in publish.find(id="publish-instrument").find_all("option")}
    assert "docs-required" in options
    events = await in_app(client, lambda: AuditEvent.select(AuditEvent.object_id).where(
        AuditEvent.action == "instrument.imported"))  # fmt: skip
    assert events == [{"object_id": "docs-required"}]

    again = await upload(client, "docs_required.xlsx", (FORMS / "docs_required.xlsx").read_bytes())
    assert again.status_code == 409
    assert "docs-required.yaml" in field_error(again, "xlsform", "id")
    replaced = await upload(client, "docs_required.xlsx", (FORMS / "docs_required.xlsx").read_bytes(), replace="yes")
    assert replaced.status_code == 200
    assert (await in_app(client, stored_instruments))["docs-required"] == 1  # same content, same version
    named = await upload(client, "docs_required.xlsx", (FORMS / "docs_required.xlsx").read_bytes(), id="kravfragor")
    assert named.status_code == 200
    assert is_file(uploaded_dir / "kravfragor.yaml")
    assert {name: (surveys_dir / name).read_bytes() for name in names(surveys_dir)} == shipped


async def test_a_shipped_instrument_is_never_replaced_by_an_upload(
    client: Client, world: World, surveys_dir: Path, uploaded_dir: Path
) -> None:
    await log_in(client)
    before = (surveys_dir / "visitor-survey.yaml").read_bytes()
    answer = await upload(client, "docs_required.xlsx", (FORMS / "docs_required.xlsx").read_bytes(),
                          id="visitor-survey", replace="yes")  # fmt: skip
    assert answer.status_code == 409
    assert "visitor-survey.yaml" in field_error(answer, "xlsform", "id")
    assert (surveys_dir / "visitor-survey.yaml").read_bytes() == before
    assert not is_file(uploaded_dir / "visitor-survey.yaml")
    (surveys_dir / "guided-tour.yaml").rename(surveys_dir / "rundtur.yaml")
    clash = await upload(client, "docs_required.xlsx", (FORMS / "docs_required.xlsx").read_bytes(),
                         id="guided-tour", replace="yes")  # fmt: skip
    assert clash.status_code == 409
    assert not is_file(surveys_dir / "guided-tour.yaml")
    assert not is_file(uploaded_dir / "guided-tour.yaml")


async def test_problems_are_listed_by_sheet_and_row_and_nothing_is_saved(
    client: Client, world: World, surveys_dir: Path
) -> None:
    await log_in(client)
    form = workbook([
        ["type", "name", "label", "relevant"],
        ["integer", "age", "Ålder", "${later} > 3"],  # row 2: names a later question
        ["text", "why", "Varför?", ""],
        ["text", "later", "Senare", "${later} = 'x'"],  # row 4: names itself
    ])  # fmt: skip
    before = names(surveys_dir)
    answer = await upload(client, "cirkel.xlsx", form)
    assert answer.status_code == 422
    assert "inget sparades" in field_error(answer, "xlsform", "file")
    problems = soup(answer).find("table", class_="problems-table").find_all("tr", attrs={"data-sheet": True})
    fatal = [(row["data-sheet"], row["data-row"]) for row in problems if row["data-fatal"] == "yes"]
    assert ("survey", "2") in fatal  # a condition naming a later question
    assert ("survey", "4") in fatal  # a condition naming the question itself
    assert problems[0].th.text == "survey, rad 2"
    assert names(surveys_dir) == before
    assert "cirkel" not in await in_app(client, stored_instruments)
    assert field_value(answer, "xlsform", "kind") == "survey"


@pytest.mark.parametrize(
    ("name", "data", "status", "where"),
    [
        ("form.xlsx", b"<html><script>alert(1)</script></html>", 422, "(file)"),
        ("form.xlsx", b"PK\x03\x04 not really a zip", 422, "(file)"),
        ("form.xlsx", workbook([["type", "name", "label"]], sheet="frågor"), 422, "(workbook)"),
        ("form.xlsx", b"PK" + b"0" * XLSFORM_MAX_BYTES, 413, None),
        ("form.xlsx", b"", 400, None),
    ],
    ids=["html", "broken-zip", "no-survey-sheet", "oversized", "empty"],
)
async def test_wrong_files_are_refused(  # noqa: PLR0917 (parametrized)
    client: Client, world: World, surveys_dir: Path, name: str, data: bytes, status: int, where: str | None
) -> None:
    await log_in(client)
    before = names(surveys_dir)
    answer = await upload(client, name, data)
    assert answer.status_code == status
    assert field_error(answer, "xlsform", "file")
    if where is not None:
        sheets = {row["data-sheet"] for row in soup(answer).find_all("tr", attrs={"data-sheet": True})}
        assert where in sheets
    assert names(surveys_dir) == before
    assert await in_app(client, stored_instruments) == {}


async def test_a_bad_id_or_kind_is_refused(client: Client, world: World) -> None:
    await log_in(client)
    data = (FORMS / "docs_required.xlsx").read_bytes()
    bad_id = await upload(client, "docs_required.xlsx", data, id="../../etc/passwd")
    assert bad_id.status_code == 400
    assert "a–z" in field_error(bad_id, "xlsform", "id")
    bad_kind = await upload(client, "docs_required.xlsx", data, kind="exam")
    assert bad_kind.status_code == 400
    assert await in_app(client, stored_instruments) == {}
