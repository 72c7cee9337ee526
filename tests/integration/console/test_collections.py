"""Publishing a survey from the console (on SQLite and PostgreSQL): the collection, a public link and QR code per
unit, its status and counts in the list, invitations from an uploaded CSV with bad rows reported by number and the
links offered as a formula-safe CSV; bad or tampered input refused with nothing written."""

from __future__ import annotations

import base64
import csv
import io
import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from bs4 import Tag
from PIL import Image

from servicescore.db.tables import AuditEvent, Collection, CollectionLink, Invitation, Response
from tests.support.console_world import Client, World, field_error, field_value, in_app, log_in, post_form, soup

pytestmark = pytest.mark.anyio

TODAY = datetime.now(UTC).date()


@pytest.fixture
def settings_overrides(surveys_dir: object, engine_settings: dict[str, object]) -> dict[str, object]:
    return {"surveys_dir": surveys_dir, **engine_settings}


def publication(world: World, **changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "instrument": "visitor-survey",
        "wave": str(world.wave_id),
        "title": "Besökare hösten",
        "units": [str(unit) for unit in world.unit_ids],
        "opens": (TODAY - timedelta(days=1)).isoformat(),
        "closes": (TODAY + timedelta(days=30)).isoformat(),
    }
    form.update(changes)
    return form


async def publish(client: Client, world: World, **changes: Any) -> Any:
    return await post_form(client, "/console/collections", publication(world, **changes),
                           form_page="/console/collections/new")  # fmt: skip


async def counts() -> tuple[int, int, int, int]:
    return (
        await Collection.count(),
        await CollectionLink.count(),
        await Invitation.count(),
        await AuditEvent.count().where(AuditEvent.action == "collection.opened"),
    )


async def published(client: Client, world: World) -> tuple[int, str]:
    answer = await publish(client, world)
    assert answer.status_code == 303, answer.text
    location = answer.headers["location"]
    assert location.endswith("?done=published")
    return int(location.split("/")[3].split("?")[0]), location


async def test_a_collection_without_a_title_is_named_by_its_survey(client: Client, world: World) -> None:
    """Published with the optional title left empty, its page was headed "Insamling 3: visitor-survey"."""
    await log_in(client)
    answer = await publish(client, world, title="")
    assert answer.status_code == 303, answer.text
    page = soup(await client.get(answer.headers["location"]))
    collection_id = answer.headers["location"].split("/")[3].split("?")[0]
    assert page.h1.text == f"Insamling {collection_id}: Hur var ditt besök?"
    assert page.title.text.startswith(f"Insamling {collection_id}: Hur var ditt besök? ·")


async def test_publishing_gives_each_unit_a_working_link_and_qr_code(client: Client, world: World) -> None:
    await log_in(client)
    form = soup(await client.get("/console/collections/new"))
    surveys = {option["value"] for option in form.find(id="publish-instrument").find_all("option") if option["value"]}
    assert surveys == {"visitor-survey", "employee-pulse"}  # scorecards are assigned, not published
    boxes = {box["value"] for box in form.find_all("input", attrs={"name": "units"})}
    assert {str(unit) for unit in world.unit_ids} <= boxes
    assert len(boxes) == 3

    collection_id, location = await published(client, world)
    page = soup(await client.get(location))
    assert page.find(class_="notice").text == "Enkäten är publicerad. Här är länkarna."
    cards = page.find_all("li", class_="link-card")
    assert [card.h3.text for card in cards] == ["Zorngården – Gammelgården", "Zorngården – Zornmuseet"]
    links = [card.find("a", class_="public-link")["href"] for card in cards]
    assert all(link.startswith("http://127.0.0.1/s/") for link in links)

    survey = await client.get(links[0].removeprefix("http://127.0.0.1"))
    assert survey.status_code == 200
    first = soup(survey)
    assert first.find(class_="survey-title").text == "Hur var ditt besök?"
    assert first.h1.text == "Ditt besök"
    assert "Gammelgården" in first.text

    unit = world.unit_ids[0]
    svg = await client.get(f"/console/collections/{collection_id}/qr/{unit}/svg?download=1")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.headers["content-disposition"] == f'attachment; filename="qr-{collection_id}-{unit}.svg"'
    root = ET.fromstring(svg.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    token = next(link for link, card in zip(links, cards, strict=True) if card["data-unit-id"] == str(unit))
    assert root.find("{http://www.w3.org/2000/svg}title").text == token  # the QR code carries the link itself
    qr_png = await client.get(f"/console/collections/{collection_id}/qr/{unit}/png")
    assert qr_png.content.startswith(b"\x89PNG\r\n\x1a\n")
    other_unit = await client.get(f"/console/collections/{collection_id}/qr/999999/png")
    assert other_unit.status_code == 404
    assert (await client.get(f"/console/collections/{collection_id + 1000}")).status_code == 404

    stored = await in_app(client, counts)
    assert stored == (1, 2, 0, 1)


async def test_the_list_shows_status_and_response_counts(client: Client, world: World) -> None:
    await log_in(client)
    open_id, _ = await published(client, world)
    future = await publish(client, world, title="Framtid", opens=(TODAY + timedelta(days=10)).isoformat(),
                           closes=(TODAY + timedelta(days=40)).isoformat())  # fmt: skip
    past = await publish(client, world, title="Förr", opens="2025-01-01", closes="2025-01-31", units=[
        str(world.unit_ids[0])])  # fmt: skip
    assert future.status_code == past.status_code == 303

    async def answered() -> None:
        row = await Collection.select(Collection.instrument_version, Collection.wave).where(
            Collection.id == open_id).first()  # fmt: skip
        assert row is not None
        for status in ("complete", "complete", "complete", "partial"):
            await Response.insert(Response(id=uuid.uuid4(), instrument_version=row["instrument_version"],
                                           wave=row["wave"], organisation=world.organisation_id,
                                           unit=world.unit_ids[1], collection=open_id, status=status,
                                           submitted_at=datetime.now(UTC)))  # fmt: skip

    await in_app(client, answered)
    page = soup(await client.get("/console/collections"))
    rows = {row.th.a.text: row for row in page.find_all("tr", attrs={"data-collection": True})}
    assert {title: row.find(attrs={"data-status": True})["data-status"] for title, row in rows.items()} == {
        "Besökare hösten": "open", "Framtid": "not_yet_open", "Förr": "closed"}  # fmt: skip
    assert rows["Förr"].find(attrs={"data-status": True}).text.strip() == "Stängd"
    assert rows["Förr"].th.find(class_="muted").text.endswith("Hur var ditt besök?")  # the title, not the id
    cells = [td.text for td in rows["Besökare hösten"].find_all("td", class_="number")]
    assert cells == ["2", "3", "1"]  # units, complete responses, started ones
    detail = soup(await client.get(f"/console/collections/{open_id}"))
    per_unit = {card.h3.text: card.find("p", class_="muted").text for card in detail.find_all("li", class_="link-card")}
    assert per_unit["Zorngården – Gammelgården"].startswith("Svar: 3")
    assert per_unit["Zorngården – Zornmuseet"].startswith("Svar: 0")


async def test_a_collections_days_are_stockholms_days(client: Client, world: World) -> None:
    """The days typed are days in Stockholm, as every page shows them: the collection opens at local midnight and
    closes at the end of its last local day; a collection closing at 00:30 Stockholm time (23:30 UTC the day
    before) shows the day it closes in Stockholm (it showed the UTC day, and the publish form stored UTC days)."""
    await log_in(client)
    answer = await publish(client, world, title="Oktober", opens="2026-10-01", closes="2026-10-31")
    assert answer.status_code == 303
    october = int(answer.headers["location"].split("/")[3].split("?")[0])

    async def moments() -> dict[str, Any] | None:
        return await Collection.select(Collection.opens_at, Collection.closes_at).where(
            Collection.id == october).first()  # fmt: skip

    stored = await in_app(client, moments)
    assert stored is not None
    assert stored["opens_at"] == datetime(2026, 9, 30, 22, 0, tzinfo=UTC)  # CEST, UTC+2
    assert stored["closes_at"] == datetime(2026, 10, 31, 22, 59, 59, 999999, tzinfo=UTC)  # CET after 25 October

    async def close_at_half_past_midnight() -> None:
        await Collection.update({Collection.closes_at: datetime(2026, 10, 31, 23, 30, tzinfo=UTC)}).where(
            Collection.id == october)  # fmt: skip

    await in_app(client, close_at_half_past_midnight)
    for lang, period in (("sv", "1 oktober 2026 – 1 november 2026"), ("en", "1 October 2026 – 1 November 2026")):
        listing = soup(await client.get(f"/console/collections?lang={lang}"))
        row = listing.find("tr", attrs={"data-collection": str(october)})
        assert isinstance(row, Tag)
        assert period in row.get_text(" ", strip=True)
        detail = soup(await client.get(f"/console/collections/{october}?lang={lang}")).get_text(" ", strip=True)
        assert period in detail
        assert "UTC" not in detail


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"closes": (TODAY - timedelta(days=2)).isoformat()}, "closes", "efter öppningsdagen"),
        ({"closes": (TODAY - timedelta(days=1)).isoformat()}, None, None),  # the closing day is included: allowed
        ({"units": []}, "units", "minst en enhet"),
        ({"opens": "31/12/2026"}, "opens", "2026-10-05"),
        ({"opens": ""}, "opens", "Fyll i"),
        ({"instrument": ""}, "instrument", "Fyll i"),
        ({"wave": ""}, "wave", "Välj"),
    ],
    ids=["closes-before-opens", "one-day", "no-units", "bad-date", "no-date", "no-survey", "no-wave"],
)
async def test_bad_publications_are_refused_next_to_their_field(
    client: Client, world: World, changes: dict[str, Any], field: str | None, message: str | None
) -> None:
    await log_in(client)
    answer = await publish(client, world, **changes)
    if field is None:
        assert answer.status_code == 303
        return
    assert answer.status_code == 400
    assert message in field_error(answer, "publish", field)
    assert field_value(answer, "publish", "title") == "Besökare hösten"
    kept = soup(answer).find_all("input", attrs={"name": "units", "checked": True})
    assert {box["value"] for box in kept} == ({str(u) for u in world.unit_ids} if field != "units" else set())
    assert await in_app(client, counts) == (0, 0, 0, 0)


@pytest.mark.parametrize(
    "changes",
    [{"instrument": "guided-tour-x"}, {"wave": "424242"}, {"units": ["424242"]}, {"units": ["1 OR 1=1"]},
     {"instrument": "../../etc/passwd"}],
    ids=["unknown-survey", "unknown-wave", "unknown-unit", "injected-unit", "path"],
)  # fmt: skip
async def test_tampered_ids_are_404_and_write_nothing(client: Client, world: World, changes: dict[str, Any]) -> None:
    await log_in(client)
    answer = await publish(client, world, **changes)
    assert answer.status_code == 404
    assert await in_app(client, counts) == (0, 0, 0, 0)


def csv_upload(text: str, name: str = "adresser.csv") -> dict[str, tuple[str, bytes, str]]:
    return {"file": (name, text.encode("utf-8"), "text/csv")}


async def test_invitations_report_bad_rows_and_offer_the_good_links_as_safe_csv(client: Client, world: World) -> None:
    await log_in(client)
    collection_id, location = await published(client, world)
    addresses = ("namn,email\nAnna,anna@example.se\nBo,inte-en-adress\n,\nCecilia,=cmd@evil.example\n"
                 "Anna igen,ANNA@example.se\nDavid,david@example.se extra\nEva,-eva@example.se\nFilip,\n")  # fmt: skip
    unit = str(world.unit_ids[1])
    answer = await post_form(client, f"/console/collections/{collection_id}/invitations", {"unit": unit},
                             csv_upload(addresses), form_page=location)  # fmt: skip
    assert answer.status_code == 200
    page = soup(answer)
    assert page.find(class_="invite-result").p.text == "3 inbjudningar skapades."
    problems = {li["data-row"]: li.text for li in page.find("ul", class_="problems").find_all("li")}
    assert set(problems) == {"3", "6", "7", "9"}  # spreadsheet rows: the header is row 1, the blank row 4 is skipped
    assert "”inte-en-adress” är ingen e-postadress" in problems["3"]
    assert problems["9"].endswith("E-postadressen saknas.")  # was: ”” är ingen e-postadress.
    assert "står redan på en tidigare rad" in problems["6"]
    link = page.find("a", attrs={"download": f"invitations-{collection_id}.csv"})
    assert isinstance(link, Tag)
    prefix = "data:text/csv;charset=utf-8;base64,"
    assert str(link["href"]).startswith(prefix)
    rows = list(csv.reader(io.StringIO(base64.b64decode(str(link["href"])[len(prefix) :]).decode("utf-8"))))
    assert rows[0] == ["email", "url"]
    assert [row[0] for row in rows[1:]] == ["anna@example.se", "'=cmd@evil.example", "'-eva@example.se"]
    assert all(row[1].startswith("http://127.0.0.1/i/") for row in rows[1:])
    invited = await client.get(rows[1][1].removeprefix("http://127.0.0.1"))
    assert invited.status_code == 200
    assert soup(invited).h1.text == "Ditt besök"

    async def stored() -> list[dict[str, Any]]:
        return await Invitation.select(Invitation.email, Invitation.unit, Invitation.token_sha256).order_by(
            Invitation.id)  # fmt: skip

    invitations = await in_app(client, stored)
    assert [row["email"] for row in invitations] == ["", "", ""]  # addresses are shown once, never stored in the open
    assert {row["unit"] for row in invitations} == {world.unit_ids[1]}
    assert all(row["token_sha256"] not in answer.text for row in invitations)
    events = await in_app(client, lambda: AuditEvent.select(AuditEvent.detail).where(
        AuditEvent.action == "invitations.created"))  # fmt: skip
    assert len(events) == 1
    assert "anna@example.se" not in str(events)  # addresses stay out of the audit trail


@pytest.mark.parametrize(
    ("file", "status", "message"),
    [
        (("adresser.csv", b"\x89PNG\r\n\x1a\n\xff\xfe\x00binary", "text/csv"), 400, "ingen CSV-text i UTF-8"),
        (("adresser.csv", b"", "text/csv"), 400, "tom"),
        (("adresser.csv", b"email\n" + b"a@b.se\n" * 200_000, "text/csv"), 413, "för stor"),
        (("adresser.csv", b"email\n\n,\n", "text/csv"), 400, "inga adresser"),
        (("adresser.csv", "email\nfel\nockså fel\n".encode(), "text/csv"), 400, None),
        (("adresser.csv", b"email\na@b.se\n" + b"x" * 140_000 + b"\n", "text/csv"), 400, "Rad 3 går inte att läsa"),
    ],
    ids=["binary", "empty", "oversized", "no-rows", "only-bad-rows", "cell-over-csv-limit"],
)
async def test_bad_invitation_files_make_no_invitations(
    client: Client, world: World, file: tuple[str, bytes, str], status: int, message: str | None
) -> None:
    await log_in(client)
    collection_id, location = await published(client, world)
    answer = await post_form(client, f"/console/collections/{collection_id}/invitations",
                             {"unit": str(world.unit_ids[0])}, {"file": file}, form_page=location)  # fmt: skip
    assert answer.status_code == status
    if message is None:
        rows = [li["data-row"] for li in soup(answer).find("ul", class_="problems").find_all("li")]
        assert rows == ["2", "3"]
        assert soup(answer).find(class_="invite-result").p.text == "0 inbjudningar skapades."
    else:
        assert message in field_error(answer, "invite", "file")
    assert (await in_app(client, counts))[2] == 0


async def test_an_unreadable_row_is_named_in_english_too(client: Client, world: World) -> None:
    await log_in(client)
    collection_id, location = await published(client, world)
    long_cell = b"email\na@b.se\nc@d.se\n" + b'"' + b"y" * 131_073 + b'"\n'
    answer = await post_form(client, f"/console/collections/{collection_id}/invitations?lang=en",
                             {"unit": str(world.unit_ids[0])}, {"file": ("adresser.csv", long_cell, "text/csv")},
                             form_page=location)  # fmt: skip
    assert answer.status_code == 400
    assert field_error(answer, "invite", "file") == (
        "Row 4 cannot be read: a cell is longer than 131,072 characters, or the file is not CSV."
    )
    assert (await in_app(client, counts))[2] == 0


async def test_invitations_for_a_unit_outside_the_collection_are_404(client: Client, world: World) -> None:
    await log_in(client)
    answer = await publish(client, world, units=[str(world.unit_ids[0])])
    collection_id = int(answer.headers["location"].split("/")[3].split("?")[0])
    path = f"/console/collections/{collection_id}"
    for unit in (str(world.unit_ids[1]), "424242"):
        refused = await post_form(client, f"{path}/invitations", {"unit": unit}, csv_upload("email\na@b.se\n"),
                                  form_page=path)  # fmt: skip
        assert refused.status_code == 404
    for unit in ("x", ""):  # no unit chosen: the form says so next to the field
        unchosen = await post_form(client, f"{path}/invitations", {"unit": unit}, csv_upload("email\na@b.se\n"),
                                   form_page=path)  # fmt: skip
        assert unchosen.status_code == 400
        assert "Välj vilken enhet inbjudningarna gäller." in soup(unchosen).get_text()
    missing = await post_form(client, "/console/collections/424242/invitations", {"unit": str(world.unit_ids[0])},
                              csv_upload("email\na@b.se\n"), form_page=path)  # fmt: skip
    assert missing.status_code == 404
    assert (await in_app(client, counts))[2] == 0


async def test_closing_a_collection_stops_its_links_and_is_audited(client: Client, world: World) -> None:
    await log_in(client)
    collection_id, location = await published(client, world)
    page = soup(await client.get(location))
    link = page.find("a", class_="public-link")["href"].removeprefix("http://127.0.0.1")
    closed = await post_form(client, f"/console/collections/{collection_id}/close", {}, form_page=location)
    assert closed.status_code == 303
    assert closed.headers["location"].endswith("?done=closed")
    after = soup(await client.get(closed.headers["location"]))
    assert after.find(attrs={"data-status": True})["data-status"] == "closed"
    assert after.find("form", action=f"/console/collections/{collection_id}/close") is None
    assert (await client.get(link)).status_code == 410  # the respondent sees "closed"
    again = await post_form(client, f"/console/collections/{collection_id}/close", {}, form_page=location)
    assert again.headers["location"].endswith("?done=was_closed")
    missing = await post_form(client, "/console/collections/424242/close", {}, form_page=location)
    assert missing.status_code == 404
    events = await in_app(client, lambda: AuditEvent.count().where(AuditEvent.action == "collection.closed"))
    assert events == 1


async def test_an_uploaded_logo_shows_on_the_respondents_pages(client: Client, world: World) -> None:
    await log_in(client)
    organisation = f"/console/organisations/{world.organisation_id}"
    image = io.BytesIO()
    Image.new("RGB", (120, 40), (140, 30, 40)).save(image, format="PNG")
    logo = {"logo": ("zorn.png", image.getvalue(), "image/png")}
    uploaded = await post_form(client, f"{organisation}/logo", {}, logo, form_page=organisation)
    assert uploaded.status_code == 303
    _, location = await published(client, world)
    link = soup(await client.get(location)).find("a", class_="public-link")["href"].removeprefix("http://127.0.0.1")
    shown = soup(await client.get(link)).find("img", src=f"{link}/logo")
    assert shown is not None
    served = await client.get(f"{link}/logo")
    assert served.headers["content-type"] in {"image/png", "image/jpeg"}  # an opaque PNG may be kept as JPEG
    assert Image.open(io.BytesIO(served.content)).size == (120, 40)
