"""A client viewer's exports: their organisation only, small groups left out, peers only as statistics."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl
import polars as pl
import pyreadstat
import pytest
from bs4 import BeautifulSoup

from servicescore import formats
from servicescore.db.tables import AuditEvent
from servicescore.interchange.formulas import TRIGGERS
from tests.support.export_world import SMALL_GROUP_SECRET, Client, World, log_in

pytestmark = pytest.mark.anyio

ANSWERS = "/portal/exports/answers?instrument=visitor-survey"
SCORES = "/portal/exports/scores?instrument=visitor-survey"


def same_page(html: str, identifier: str) -> str:
    """The page with the id it was asked for, and the per-response CSRF token, taken out."""
    return re.sub(r'name="_csrf_token" value="[^"]*"', "", html).replace(identifier, "ID")


async def test_answers_hold_only_the_own_organisation_and_no_small_group(client: Client, world: World) -> None:
    await log_in(client, "kund")
    response = await client.get(f"{ANSWERS}&format=parquet")
    assert response.status_code == 200
    assert "zorngarden" in response.headers["content-disposition"]
    frame = pl.read_parquet(io.BytesIO(response.content))
    assert set(frame.get_column("organisation")) == {"zorngarden"}
    # hemmet has 6 respondents and stays; museet has 2 and is left out whole, its comment too.
    assert set(frame.get_column("unit")) == {"hemmet"}
    assert frame.get_column("response_id").n_unique() == 6
    assert SMALL_GROUP_SECRET not in set(frame.get_column("text").drop_nulls())
    # Pseudonyms, not the stored ids (a follow-up case knows those), and only the date of answering.
    stored = set(world.responses["zorngarden"])
    assert not stored & set(frame.get_column("response_id"))
    assert (
        frame.get_column("response_id")
        .str.contains(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
        .all()
    )
    assert frame.schema["submitted_at"] == pl.Date
    # Segments of 3 first visits and 3 returning visitors are each under the minimum of 5: blanked.
    assert frame.get_column("segment").null_count() == frame.height
    text = pl.read_csv(io.BytesIO((await client.get(f"{ANSWERS}&format=csv")).content), infer_schema=False)
    assert set(text.get_column("unit")) == {"hemmet"}
    assert SMALL_GROUP_SECRET not in set(text.get_column("text").drop_nulls())
    assert set(text.get_column("response_id")) == set(frame.get_column("response_id"))
    again = pl.read_parquet(io.BytesIO((await client.get(f"{ANSWERS}&format=parquet")).content))
    assert set(again.get_column("response_id")) == set(frame.get_column("response_id"))
    # Each download is in the audit trail: who, which organisation, what was asked.
    events = client.blocking_portal.call(
        lambda: AuditEvent.select(AuditEvent.action, AuditEvent.object_id).where(AuditEvent.action == "export.answers")
    )
    assert events == [{"action": "export.answers", "object_id": str(world.organisations["zorngarden"])}] * 3


async def test_client_xlsx_says_what_was_left_out(client: Client, world: World, tmp_path: Path) -> None:
    await log_in(client, "kund")
    before = datetime.now(UTC).replace(second=0, microsecond=0)
    response = await client.get(f"{ANSWERS}&format=xlsx&lang=en")
    after = datetime.now(UTC)
    path = tmp_path / "answers.xlsx"
    path.write_bytes(response.content)
    book = openpyxl.load_workbook(path)
    rows = list(book["answers"].iter_rows(values_only=True))
    assert {row[3] for row in rows[1:]} == {"zorngarden"}
    assert all(not (isinstance(v, str) and v[:1] in TRIGGERS) for row in rows for v in row)
    about = dict(book["about"].iter_rows(min_row=2, values_only=True))
    assert about["Respondents in small groups left out"] == "2"
    assert about["Organisation"] == "Zorngården"
    # In Stockholm's time as every page writes times, and saying so (it was "2026-12-06 22:40 UTC").
    minutes = [before + timedelta(minutes=m) for m in range(int((after - before).total_seconds() // 60) + 1)]
    assert about["Created"] in {f"{formats.when(m, 'en')} (Swedish time)" for m in minutes}
    swedish = tmp_path / "svar.xlsx"
    swedish.write_bytes((await client.get(f"{ANSWERS}&format=xlsx&lang=sv")).content)
    om = dict(openpyxl.load_workbook(swedish)["about"].iter_rows(min_row=2, values_only=True))
    assert str(om["Skapad"]).endswith(" (svensk tid)")
    assert "UTC" not in str(om["Skapad"])


async def test_client_sav_has_the_same_cases(client: Client, world: World, tmp_path: Path) -> None:
    await log_in(client, "kund")
    path = tmp_path / "answers.sav"
    path.write_bytes((await client.get(f"{ANSWERS}&format=sav")).content)
    frame, meta = pyreadstat.read_sav(str(path), output_format="polars")
    assert frame.height == 6
    assert set(frame.get_column("unit")) == {"hemmet"}
    assert meta.original_variable_types["submitted_at"].startswith("DATE")


async def test_scores_suppressed_groups_carry_no_figure(client: Client, world: World) -> None:
    await log_in(client, "kund")
    response = await client.get(f"{SCORES}&format=parquet&by=unit")
    frame = pl.read_parquet(io.BytesIO(response.content))
    assert set(frame.get_column("organisation")) == {"zorngarden"}
    small = frame.filter(pl.col("unit") == "museet")
    assert small.height > 0
    assert small.get_column("suppressed").all()
    for column in ("n", "mean", "sd", "ci_low", "ci_high", "index", "top2_pct", "nps"):
        assert small.get_column(column).null_count() == small.height, column
    shown = frame.filter((pl.col("unit") == "hemmet") & (pl.col("item") == "staff_welcome"))
    assert shown.get_column("n").item() == 6
    assert shown.get_column("mean").item() == pytest.approx(19 / 6)


async def test_scores_show_peers_only_as_statistics(client: Client, world: World) -> None:
    await log_in(client, "kund")
    response = await client.get(f"{SCORES}&format=csv&level=overall")
    frame = pl.read_csv(io.BytesIO(response.content))
    assert frame.height == 1
    assert set(frame.get_column("organisation")) == {"zorngarden"}
    row = frame.row(0, named=True)
    assert row["n"] == 8
    assert row["n_peers"] == 5
    assert row["rank"] is not None
    assert row["peer_mean"] is not None
    assert not any(name in response.text for name in ("evil-org", "peer-b", "peer-c", "peer-d", "HYPERLINK"))


async def test_another_tenants_organisation_is_not_found_like_a_missing_one(client: Client, world: World) -> None:
    await log_in(client, "kund")
    other = world.organisations["peer-b"]
    own = world.organisations["zorngarden"]
    for path in (ANSWERS, SCORES):
        foreign = await client.get(f"{path}&organisation={other}")
        missing = await client.get(f"{path}&organisation=987654")
        assert foreign.status_code == missing.status_code == 404
        # The same page; only the address in the language switch differs.
        assert same_page(foreign.text, str(other)) == same_page(missing.text, "987654")
        assert "peer-b" not in foreign.text
        assert (await client.get(f"{path}&organisation={own}")).status_code == 200
    # A unit of another organisation is as unknown as a unit that does not exist.
    foreign_unit = await client.get(f"{ANSWERS}&unit={world.units[('peer-b', 'main')]}")
    missing_unit = await client.get(f"{ANSWERS}&unit=987654")
    assert foreign_unit.status_code == missing_unit.status_code == 400
    assert same_page(foreign_unit.text, str(world.units[("peer-b", "main")])) == same_page(missing_unit.text, "987654")


async def test_the_console_is_closed_to_client_viewers(client: Client, world: World) -> None:
    await log_in(client, "kund")
    response = await client.get("/console/exports/answers?instrument=visitor-survey")
    assert response.status_code == 403
    page = await client.get("/portal/exports")
    assert page.status_code == 200
    assert "Peer B Museum" not in page.text
    assert "HYPERLINK" not in page.text
    assert 'name="organisation"' not in page.text  # nothing to choose: their own is the only one
    assert 'name="by" value="organisation"' not in page.text


async def test_the_form_offers_instruments_by_title_and_a_client_only_those_with_answers(
    client: Client, world: World
) -> None:
    def offered(html: str) -> list[tuple[str, str]]:
        menu = BeautifulSoup(html, "html.parser").find("select", id="answers-instrument")
        return [(str(option["value"]), option.get_text(strip=True)) for option in menu.find_all("option")]

    await log_in(client, "konsult")
    console = offered((await client.get("/console/exports?lang=en")).text)
    assert ("mystery-call", "Mystery call – customer service by phone") in console
    assert ("visitor-survey", "How was your visit?") in console
    assert [title for _, title in console] == sorted(title for _, title in console)
    await log_in(client, "kund")
    # Zorngården has answers to the visitor survey only: no mystery-call export giving a header-only file.
    assert offered((await client.get("/portal/exports?lang=sv")).text) == [("visitor-survey", "Hur var ditt besök?")]
