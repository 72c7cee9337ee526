"""The case pages: who sees which case, handling a case (assign, note, first contact, close), and bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from servicescore.db.tables import AuditEvent, Case, CaseContact, User
from tests.support.cases_driver import CONTACT, LOW, Client, complete, in_app, log_in, post_form, rows, soup
from tests.support.cases_world import World

pytestmark = pytest.mark.anyio
MISSING = 987654


async def _open_case(client: Client, token: str, email: str = "anna.berg@example.se") -> int:
    await complete(client, token, LOW, {"contact_consent": "yes", **CONTACT, "_contact.email": email})

    async def newest() -> list[dict[str, Any]]:
        return await Case.select(Case.id).order_by(Case.id, ascending=False).limit(1)

    return int(rows(client, newest)[0]["id"])


def _user_id(client: Client, username: str) -> int:
    async def query() -> list[dict[str, Any]]:
        return await User.select(User.id).where(User.username == username)

    return int(rows(client, query)[0]["id"])


def _actions(client: Client, case_id: int) -> list[str]:
    async def query() -> list[dict[str, Any]]:
        return (
            await AuditEvent.select(AuditEvent.action)
            .where((AuditEvent.object_type == "case") & (AuditEvent.object_id == str(case_id)))
            .order_by(AuditEvent.id)
        )

    return [row["action"] for row in rows(client, query)]


async def test_a_case_is_handled_from_opening_to_closing(client: Client, world: World) -> None:
    case_id = await _open_case(client, world.zorn_token)
    await log_in(client, "kund")
    page = soup(await client.get("/portal/cases"))
    assert [row["data-case"] for row in page.select("tr.case-row")] == [str(case_id)]
    detail_path = f"/portal/cases/{case_id}"
    detail = soup(await client.get(detail_path))
    assert detail.select_one("[data-field=email] a")["href"] == "mailto:anna.berg@example.se"
    assert detail.select_one("[data-field=phone]").get_text(strip=True) == "070-123 45 67"
    assert detail.select_one("[data-item=overall_satisfaction]").get_text(strip=True) == "2 / 5"
    assert detail.select_one("[data-item=contact_consent]").get_text(strip=True) == "Ja"
    assert detail.select_one("[data-field=status]").get_text(strip=True) == "Ny"
    options = [o.get_text(strip=True) for o in detail.select("#assignee option")]
    assert options == ["Karin Konsult", "Zorns värd"], "consultants and the organisation's own viewers only"

    kund = _user_id(client, "kund")
    response = await post_form(client, detail_path, f"{detail_path}/assign", {"assignee": str(kund)})
    assert (response.status_code, response.headers["location"]) == (303, f"{detail_path}?done=assigned")
    response = await post_form(client, detail_path, f"{detail_path}/notes", {"note": "Ringde, inget svar. Mejlar."})
    assert response.status_code == 303
    response = await post_form(client, detail_path, f"{detail_path}/contacted")
    assert response.status_code == 303
    detail = soup(await client.get(f"{detail_path}?done=contacted"))
    assert detail.select_one("[role=status]").get_text(strip=True) == "Första kontakten är noterad."
    assert detail.select_one("[data-field=assignee]").get_text(strip=True) == "Zorns värd"
    assert detail.select_one("[data-field=status]").get_text(strip=True) == "Kontaktad"
    assert "Ringde, inget svar. Mejlar." in detail.select_one("ol.notes").get_text()
    noted = detail.select_one("ol.notes .note-meta").get_text(strip=True)
    local = datetime.now(UTC).astimezone(ZoneInfo("Europe/Stockholm"))
    assert noted.startswith(f"{local.day} "), noted  # local time in Swedish words, "22 november 2026, 21:14"
    assert f"{local.year}, " in noted
    assert "UTC" not in noted

    response = await post_form(client, detail_path, f"{detail_path}/close")
    assert response.status_code == 303

    async def contacts() -> list[dict[str, Any]]:
        return await CaseContact.select()

    assert rows(client, contacts) == [], "closing deletes the contact details"
    closed = soup(await client.get(detail_path))
    assert closed.select_one("[data-field=contact-deleted]") is not None
    assert "anna.berg" not in closed.get_text()
    assert closed.select_one("[data-item=overall_satisfaction]").get_text(strip=True) == "2 / 5", "answers stay"
    assert closed.select_one("form[action$=close]") is None
    assert _actions(client, case_id) == ["case.opened", "case.assigned", "case.noted", "case.contacted", "case.closed"]
    assert [li["data-action"] for li in closed.select("ol.history li")] == _actions(client, case_id)

    again = await post_form(client, f"{detail_path}?x", f"{detail_path}/contacted")
    assert again.status_code == 409
    assert "redan avslutat" in soup(again).select_one("[role=alert]").get_text()
    assert soup(await client.get("/portal/cases")).select("tr.case-row") == []
    closed_list = soup(await client.get("/portal/cases?state=closed"))
    assert [row["data-case"] for row in closed_list.select("tr.case-row")] == [str(case_id)]


async def test_another_organisations_case_answers_like_a_missing_one(client: Client, world: World) -> None:
    case_id = await _open_case(client, world.zorn_token)
    carl_case = await _open_case(client, world.carl_token, email="carl@example.se")
    await log_in(client, "kund2")
    listed = soup(await client.get("/portal/cases?state=all"))
    assert [row["data-case"] for row in listed.select("tr.case-row")] == [str(carl_case)]
    assert "Zorngården" not in listed.get_text(), "not even in the summary"
    other = await client.get(f"/portal/cases/{case_id}")
    missing = await client.get(f"/portal/cases/{MISSING}")
    assert other.status_code == missing.status_code == 404
    assert str(soup(other).main) == str(soup(missing).main), "the same page; only the echoed address differs"
    assert "anna.berg" not in other.text
    own = f"/portal/cases/{carl_case}"
    for action in ("assign", "notes", "contacted", "close"):
        tried = await post_form(client, own, f"/portal/cases/{case_id}/{action}", {"note": "x", "assignee": "1"})
        absent = await post_form(client, own, f"/portal/cases/{MISSING}/{action}", {"note": "x", "assignee": "1"})
        assert tried.status_code == absent.status_code == 404, action
        assert str(soup(tried).main) == str(soup(absent).main)
    assert _actions(client, case_id) == ["case.opened"], "nothing changed"
    assert (await client.get(f"/console/cases/{case_id}")).status_code == 403, "the console is for consultants"

    await log_in(client, "konsult")
    everything = soup(await client.get("/console/cases"))
    assert sorted(row["data-case"] for row in everything.select("tr.case-row")) == sorted(
        [str(case_id), str(carl_case)]
    )
    assert [row["data-organisation"] for row in everything.select("table.case-times tbody tr")] == [
        "Carl Larssons gård", "Zorngården",
    ]  # fmt: skip
    assert (await client.get(f"/console/cases/{case_id}")).status_code == 200

    await log_in(client, "shopper")
    assert (await client.get("/portal/cases")).status_code == 403


async def test_overdue_cases_stand_out_and_are_counted(client: Client, world: World) -> None:
    late = await _open_case(client, world.zorn_token)
    on_time = await _open_case(client, world.zorn_token, email="bo@example.se")

    async def make_late() -> None:
        await Case.update({Case.due_at: datetime.now(UTC) - timedelta(hours=3)}).where(Case.id == late)

    in_app(client, make_late)
    await log_in(client, "konsult")
    page = soup(await client.get("/console/cases"))
    assert page.select_one(".overdue-count")["data-overdue"] == "1"
    assert "1 ärende har passerat" in page.select_one(".overdue-count").get_text()  # one case: singular (Babel)
    marked = {row["data-case"]: "is-overdue" in row["class"] for row in page.select("tr.case-row")}
    assert marked == {str(late): True, str(on_time): False}
    assert page.select_one(f"tr[data-case='{late}'] .badge-overdue").get_text() == "Försenat"
    assert page.select("tr.case-row")[0]["data-case"] == str(late), "soonest due first"
    times = page.select_one("table.case-times tbody tr").find_all("td")
    assert [cell.get_text() for cell in times[:3]] == ["2", "2", "1"]
    assert times[3].get_text() == "–", "nobody contacted: no time, never 0"

    await post_form(client, f"/console/cases/{late}", f"/console/cases/{late}/contacted")
    page = soup(await client.get("/console/cases"))
    assert page.select_one(".overdue-count")["data-overdue"] == "0", "contacted is no longer overdue"
    assert page.select_one("table.case-times tbody tr").find_all("td")[3].get_text().endswith(" h")


@pytest.mark.parametrize(
    ("action", "data", "status", "message"),
    [
        ("notes", {"note": "   "}, 422, "Skriv något i anteckningen."),
        ("notes", {"note": "x" * 3001}, 422, "Anteckningen är för lång"),
        ("assign", {"assignee": "kund2"}, 422, "Välj en person i listan"),
        ("assign", {"assignee": "999999"}, 422, "Välj en person i listan"),
        ("assign", {"assignee": "shopper"}, 422, "Välj en person i listan"),
    ],
)
async def test_bad_input_is_refused_with_a_message_and_nothing_changes(
    client: Client, world: World, *, action: str, data: dict[str, str], status: int, message: str
) -> None:
    case_id = await _open_case(client, world.zorn_token)
    if data.get("assignee") in ("kund2", "shopper"):
        data = {"assignee": str(_user_id(client, data["assignee"]))}  # a real user who may not have the case
    await log_in(client, "konsult")
    path = f"/console/cases/{case_id}"
    response = await post_form(client, path, f"{path}/{action}", data)
    assert response.status_code == status
    assert message in soup(response).select_one("[role=alert]").get_text()
    assert _actions(client, case_id) == ["case.opened"]


async def test_filters_and_forms_need_what_they_ask_for(client: Client, world: World) -> None:
    case_id = await _open_case(client, world.zorn_token)
    await log_in(client, "konsult")
    assert (await client.get("/console/cases?state=everything")).status_code == 400
    assert (await client.get("/console/cases/not-a-number")).status_code == 404
    no_token = await client.post(f"/console/cases/{case_id}/close", data={}, follow_redirects=False)
    assert no_token.status_code == 403, "CSRF: a form without the token changes nothing"
    assert _actions(client, case_id) == ["case.opened"]
    page = soup(await client.get(f"/console/cases/{case_id}"))
    forms = page.select("main form")
    assert forms, "the case page has its forms"
    assert all(form.select_one("input[name=_csrf_token]") for form in forms)
    assert all(page.select_one(f"label[for={field['id']}]") for field in page.select("main select, main textarea"))
