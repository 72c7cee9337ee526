"""Contacts uploaded to a collection in the console (CSV or XLSX): a file with bad rows refused whole with every
bad row listed in the consultant's language, a good one stored and scheduled, and the collection page's counts per
contact and per unit after a mail round."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import openpyxl
import pytest

from servicescore.db.tables import Contact, Invitation, Mailing
from servicescore.mail.round import RoundReport, run_mail_round
from servicescore.settings import Settings
from tests.support.console_world import Client, World, in_app, log_in, post_form, soup
from tests.support.console_world import field_error as error_next_to

pytestmark = pytest.mark.anyio


async def _published(client: Client, world: World) -> int:
    from tests.integration.console.test_collections import published

    return (await published(client, world))[0]


def _xlsx(rows: list[list[Any]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


async def _upload(client: Client, collection: int, name: str, data: bytes, reminders: str = "3,7", **query: str) -> Any:
    kind = "text/csv" if name.endswith(".csv") else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    suffix = "?lang=en" if query.get("lang") == "en" else ""
    page = f"/console/collections/{collection}"
    return await post_form(client, f"{page}/contacts{suffix}", {"reminders": reminders},
                           {"file": (name, data, kind)}, form_page=page + suffix)  # fmt: skip


async def _count() -> int:
    return int(await Contact.count())


async def test_a_file_with_bad_rows_is_refused_with_each_row_listed(client: Client, world: World) -> None:
    await log_in(client)
    collection = await _published(client, world)
    data = (
        b"email,name,language,unit\n"
        b"anna@example.se,Anna,sv,zorngarden/museet\n"
        b"inte en adress,,sv,museet\n"
        b"bo@example.se,,fi,museet\n"
        b"cilla@example.se,,sv,\n"
        b"dan@example.se,,en,lilla-hyttnas\n"
        b",Erik,sv,museet\n"
    )
    answer = await _upload(client, collection, "kontakter.csv", data)
    assert answer.status_code == 400
    problems = [li.get_text(" ", strip=True) for li in soup(answer).select("[data-problems=contacts] li")]
    assert problems == [
        "Rad 3: ”inte en adress” är ingen e-postadress.",
        "Rad 4: Språket ”fi” finns inte: skriv sv eller en.",
        "Rad 5: Enheten saknas: skriv organisation/enhet i kolumnen unit.",
        "Rad 6: Enheten ”lilla-hyttnas” ingår inte i insamlingen.",
        "Rad 7: E-postadressen saknas.",  # was: ”” är ingen e-postadress.
    ]
    assert await in_app(client, _count) == 0
    wrong_days = await _upload(client, collection, "kontakter.csv", b"email\nanna@example.se\n", reminders="7,3")
    assert wrong_days.status_code == 400
    assert "stigande ordning" in error_next_to(wrong_days, "contacts", "reminders")
    no_column = await _upload(client, collection, "kontakter.csv", b"adress\nanna@example.se\n")
    assert "en kolumn email" in error_next_to(no_column, "contacts", "file")
    english = await _upload(client, collection, "contacts.csv", data, lang="en")
    listed = [li.get_text(" ", strip=True) for li in soup(english).select("[data-problems=contacts] li")]
    assert listed[1] == "Row 4: There is no language “fi”: write sv or en."
    assert await in_app(client, _count) == 0


async def test_contacts_from_xlsx_are_scheduled_and_counted_per_unit(
    client: Client, world: World, settings: Settings
) -> None:
    await log_in(client)
    collection = await _published(client, world)
    data = _xlsx(
        [
            ["E-post", "Namn", "Språk", "Enhet"],
            ["anna@example.se", "Anna", "sv", "zorngarden/museet"],
            ["bob@example.org", None, "en", "gammelgarden"],
            ["cilla@example.se", None, "sv", "museet"],
        ]
    )
    answer = await _upload(client, collection, "kontakter.xlsx", data, reminders="2, 5")
    assert answer.status_code == 303, answer.text
    page = soup(await client.get(answer.headers["location"]))
    assert page.select_one("#contacts .notice").get_text(strip=True) == "3 kontakter lades till."  # type: ignore[union-attr]
    assert "påminnelser 2, 5 dagar efter" in page.select_one("[data-schedule]").get_text(" ", strip=True)  # type: ignore[union-attr]

    async def round_now() -> RoundReport:
        return await run_mail_round(settings, datetime.now(UTC))

    assert (await in_app(client, round_now)).sent == 3
    page = soup(await client.get(f"/console/collections/{collection}"))
    units = {
        row["data-unit"]: [cell.get_text(strip=True) for cell in row.find_all("td")]
        for row in page.select("[data-table=mail-units] tr[data-unit]")
    }
    # contacts, queued, sent, bounced, opted out, started, completed, response rate ("0 %" with a no-break space)
    assert units == {"Gammelgården": ["1", "0", "1", "0", "0", "0", "0", "0\u00a0%"],
                     "Zornmuseet": ["2", "0", "2", "0", "0", "0", "0", "0\u00a0%"]}  # fmt: skip
    anna = page.select_one('[data-table=mail-contacts] tr[data-contact="anna@example.se"]')
    assert anna is not None
    assert anna.select_one("[data-messages]").get_text(strip=True) == "inbjudan: skickad"  # type: ignore[union-attr]
    assert "Anna" in anna.th.get_text()  # type: ignore[union-attr]

    async def anna_completes() -> None:  # what finishing the survey records (db.survey_responses)
        first = await Contact.select(Contact.invitation).where(Contact.unit._.slug == "museet").first()
        assert first is not None
        await Invitation.update({Invitation.used_at: datetime.now(UTC)}).where(Invitation.id == first["invitation"])

    await in_app(client, anna_completes)
    for lang, day, percent in (("sv", "Dag 0", "\u00a0%"), ("en", "Day 0", "%")):  # shares as every page writes them
        chart = {"sv": "Zornmuseet: svarsfrekvens dag 0 till 0: ", "en": "Zornmuseet: response rate day 0 to 0: "}[lang]
        page = soup(await client.get(f"/console/collections/{collection}?lang={lang}"))
        table = page.select_one("[data-table=mail-rates]")
        assert table is not None
        assert [th.get_text(strip=True) for th in table.select("thead th")][1] == day
        rates = {row["data-unit"]: [td.get_text(strip=True) for td in row.find_all("td")][:-1]
                 for row in table.select("tr[data-unit]")}  # fmt: skip
        assert rates == {"Gammelgården": [f"0{percent}"], "Zornmuseet": [f"50{percent}"]}
        svg = table.select_one("tr[data-unit=Zornmuseet] svg[role=img]")
        assert svg is not None
        assert svg["aria-label"] == f"{chart}50{percent}"
        assert svg.title is not None
        assert svg.title.get_text() == f"{chart}50{percent}"

    async def schedule() -> list[dict[str, Any]]:
        return list(await Mailing.select(Mailing.reminder_days))

    assert await in_app(client, schedule) == [{"reminder_days": "2,5"}]
