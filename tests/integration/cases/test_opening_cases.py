"""When a completed response opens a case: consent and a low score; once; contact details only in CaseContact."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import anyio
import polars as pl
import pytest
from click.testing import CliRunner

from servicescore.cli import cli
from servicescore.db.tables import Answer, AuditEvent, Case, CaseContact, Response
from servicescore.settings import Settings
from tests.support.cases_driver import CONTACT, HIGH, LOW, Client, Respondent, complete, rows, soup
from tests.support.cases_world import World

pytestmark = pytest.mark.anyio


def _cases(client: Client) -> list[dict[str, Any]]:
    async def query() -> list[dict[str, Any]]:
        return await Case.select(
            Case.id, Case.response, Case.organisation, Case.status, Case.due_at, Case.response.submitted_at
        )

    return rows(client, query)


def _contacts(client: Client) -> list[dict[str, Any]]:
    async def query() -> list[dict[str, Any]]:
        return await CaseContact.select(CaseContact.case, CaseContact.name, CaseContact.email, CaseContact.phone)

    return rows(client, query)


def _texts(client: Client) -> list[str]:
    async def query() -> list[dict[str, Any]]:
        return await Answer.select(Answer.item, Answer.text)

    return [f"{row['item']}={row['text']}" for row in rows(client, query)]


async def test_consent_and_a_low_score_open_one_case_with_the_contact_apart(client: Client, world: World) -> None:
    response_id, last = await complete(client, world.zorn_token, LOW, {"contact_consent": "yes", **CONTACT})
    assert last.status_code == 303
    assert last.headers["location"].endswith("/done")
    [case] = _cases(client)
    assert str(case["response"]) == response_id
    assert (case["organisation"], case["status"]) == (world.zorn_id, "open")
    assert case["due_at"] - case["response.submitted_at"] == timedelta(hours=48)
    assert _contacts(client) == [
        {"case": case["id"], "name": "Anna Berg", "email": "anna.berg@example.se", "phone": "070-123 45 67"}
    ]
    stored = _texts(client)
    assert "contact_consent=None" in stored, "the consent is an answer like any other"
    for detail in ("Anna Berg", "anna.berg@example.se", "070-123 45 67", "070"):
        assert not any(detail in text for text in stored), f"{detail!r} ended up in the answer table"

    async def opened() -> list[dict[str, Any]]:
        return await AuditEvent.select(AuditEvent.object_id, AuditEvent.detail).where(
            AuditEvent.action == "case.opened"
        )

    [event] = rows(client, opened)
    assert event["object_id"] == str(case["id"])


async def test_a_detractor_with_a_good_overall_score_opens_a_case_too(client: Client, world: World) -> None:
    detractor = {"overall_satisfaction": "4", "recommend": "6", "what_would_improve": "Kortare kö"}
    await complete(client, world.zorn_token, detractor, {"contact_consent": "yes", "_contact.email": "a@b.se"})
    [case] = _cases(client)
    assert _contacts(client) == [{"case": case["id"], "name": "", "email": "a@b.se", "phone": ""}]


@pytest.mark.parametrize(
    ("overall", "last"),
    [
        (LOW, {"contact_consent": "no", **CONTACT}),  # no consent: the typed details are dropped
        (LOW, {**CONTACT}),  # consent not answered
        (HIGH, {"contact_consent": "yes", **CONTACT}),  # consent, but a happy customer
        (LOW, {"contact_consent": "yes"}),  # consent, but no way to reach them
        (LOW, {"contact_consent": "no", "_contact.email": "anna@", "_contact.phone": "x"}),  # no consent: unchecked
    ],
    ids=["no consent", "consent unanswered", "high score", "no contact details", "bad details without consent"],
)
async def test_no_case_without_consent_a_low_score_and_a_way_to_reach(
    client: Client, world: World, overall: dict[str, str], last: dict[str, str]
) -> None:
    _, response = await complete(client, world.zorn_token, overall, last)
    assert response.status_code == 303
    assert response.headers["location"].endswith("/done")
    assert _cases(client) == []
    assert _contacts(client) == []
    assert not any("anna" in text.lower() for text in _texts(client))


IN_TOUCH = {
    "sv": "Du bad oss kontakta dig, så någon från Zorngården hör av sig till dig.",
    "en": "You asked to be contacted, so someone from Zorngården will be in touch with you.",
}


@pytest.mark.parametrize("language", ["sv", "en"])
async def test_the_thank_you_page_says_someone_will_be_in_touch_only_when_a_case_opened(
    client: Client, world: World, language: str
) -> None:
    for overall, opens in ((HIGH, False), (LOW, True)):  # consent and details both times; only a low score opens
        _, last = await complete(client, world.zorn_token, overall, {"contact_consent": "yes", **CONTACT})
        thanks = soup(await client.get(last.headers["location"], headers={"accept-language": language}))
        assert (
            thanks.find("h1").get_text() == {"sv": "Tack för dina svar!", "en": "Thank you for your answers!"}[language]
        )
        said = [p.get_text() for p in thanks.select("main p")]
        assert (IN_TOUCH[language] in said) is opens, said
        assert not any(IN_TOUCH[other] in said for other in IN_TOUCH if other != language)


async def test_a_resend_of_the_last_page_opens_no_second_case(client: Client, world: World) -> None:
    respondent = Respondent(client, world.zorn_token)
    await respondent.reach_last_page(LOW)
    fields = respondent.fields({"contact_consent": "yes", **CONTACT})
    first, second = await respondent.post(fields), await respondent.post(fields)
    assert first.status_code == second.status_code == 303
    other_details = [(n, "bo@example.se" if n == "_contact.email" else v) for n, v in fields]
    assert (await respondent.post(other_details)).status_code == 303, "the same answers: a resend"
    assert len(_cases(client)) == 1
    assert [c["email"] for c in _contacts(client)] == ["anna.berg@example.se"]

    async def statuses() -> list[dict[str, Any]]:
        return await Response.select(Response.status)

    assert [r["status"] for r in rows(client, statuses)] == ["complete"]


async def test_a_resend_after_the_case_was_lost_opens_it_once(client: Client, world: World) -> None:
    # The process stopped after the completion committed and before the case was written: the browser's retry
    # (the same page again) opens it, and a further retry does not open another.
    respondent = Respondent(client, world.zorn_token)
    await respondent.reach_last_page(LOW)
    fields = respondent.fields({"contact_consent": "yes", **CONTACT})
    assert (await respondent.post(fields)).status_code == 303

    async def lose_the_case() -> None:
        await Case.delete(force=True)

    client.blocking_portal.call(lose_the_case)
    assert _cases(client) == []
    assert (await respondent.post(fields)).status_code == 303
    assert (await respondent.post(fields)).status_code == 303
    assert len(_cases(client)) == 1
    assert len(_contacts(client)) == 1


async def test_the_last_page_shows_the_contact_fields_labelled_in_a_fieldset(client: Client, world: World) -> None:
    respondent = Respondent(client, world.zorn_token)
    await respondent.reach_last_page(LOW)
    block = respondent.page.select_one("#q-contact")
    assert block is not None
    assert block.find_previous_sibling("div")["id"] == "q-contact_consent", "right after the consent question"
    assert block["data-show-if"] == '{"item": "contact_consent", "equals": true}'
    assert block.select_one("fieldset > legend").get_text(strip=True) == "Dina kontaktuppgifter"
    fields = {field["name"]: field for field in block.select("input")}
    assert list(fields) == ["_contact.name", "_contact.email", "_contact.phone"]
    for field in fields.values():
        label = block.select_one(f"label[for={field['id']}]")
        assert label is not None
        assert label.get_text(strip=True)
    assert (fields["_contact.email"]["type"], fields["_contact.email"]["autocomplete"]) == ("email", "email")
    assert (fields["_contact.phone"]["inputmode"], fields["_contact.phone"]["autocomplete"]) == ("tel", "tel")
    # Only the consent page asks: the first page has no contact fields.
    first = await respondent.open("?page=0")
    assert first.select_one("#q-contact") is None


@pytest.mark.parametrize(
    ("language", "field", "value", "message"),
    [
        ("sv", "email", "anna.berg@", "Skriv en hel e-postadress"),
        ("en", "email", "anna berg@example.se", "Write a whole e-mail address"),
        ("sv", "phone", "ring mig", "Skriv ett telefonnummer med 7 till 15 siffror"),
        ("en", "phone", "12345", "Write a phone number of 7 to 15 digits"),
    ],
)
async def test_a_bad_email_or_phone_is_shown_next_to_its_field_and_nothing_is_sent(
    client: Client, world: World, *, language: str, field: str, value: str, message: str
) -> None:
    respondent = Respondent(client, world.zorn_token)
    await respondent.reach_last_page(LOW)
    client.cookies.set("servicescore_lang", language, domain="127.0.0.1")
    answers = {"contact_consent": "yes", **CONTACT, f"_contact.{field}": value}
    sent = await respondent.post(respondent.fields(answers))
    assert sent.status_code == 303, "shown on the page the browser is sent to: Back and reload post nothing"
    response = await client.get(sent.headers["location"])
    assert response.status_code == 200
    page = soup(response)
    error = page.select_one(f"#e-contact-{field}")
    assert error is not None
    assert message in error.get_text()
    box = page.select_one(f"#contact-{field}")
    assert box["aria-invalid"] == "true"
    assert f"e-contact-{field}" in box["aria-describedby"]
    assert box["value"] == value, "what was typed is kept to be corrected"
    assert page.select_one("input[name=contact_consent][value=yes]").has_attr("checked")
    summary = page.select_one(".error-summary a")
    assert summary["href"] == f"#q-contact-{field}"
    assert _cases(client) == []

    async def statuses() -> list[dict[str, Any]]:
        return await Response.select(Response.status)

    assert [r["status"] for r in rows(client, statuses)] == ["partial"]
    fixed = await respondent.post(respondent.fields({"contact_consent": "yes", **CONTACT}))
    assert fixed.status_code == 303
    assert len(_cases(client)) == 1


@pytest.mark.parametrize(
    ("page_index", "extra"),
    [
        ("0", [("visit_type", "first_visit"), ("_contact.email", "a@b.se")]),  # a page without the consent
        ("3", [("contact_consent", "yes"), ("_contact.fax", "08-123456")]),  # a field the survey does not ask
        ("3", [("contact_consent", "yes"), ("_contact.email", "a@b.se"), ("_contact.email", "c@d.se")]),
    ],
    ids=["contact on another page", "unknown contact field", "field twice"],
)
async def test_a_made_up_contact_field_is_a_bad_form(
    client: Client, world: World, page_index: str, extra: list[tuple[str, str]]
) -> None:
    respondent = Respondent(client, world.zorn_token)
    await respondent.reach_last_page(LOW)
    fields = [(n, page_index if n == "_page" else v) for n, v in respondent.fields({})] + extra
    response = await respondent.post(fields)
    assert response.status_code == 400
    assert "Sidan gick inte att spara" in response.text
    assert _cases(client) == []


async def test_the_contact_details_are_in_no_export(
    client: Client, world: World, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    response_id, _ = await complete(client, world.zorn_token, LOW, {"contact_consent": "yes", **CONTACT})
    assert len(_contacts(client)) == 1
    monkeypatch.setenv("SERVICESCORE_DATABASE_URL", settings.database_url)
    for suffix in ("csv", "parquet"):
        output = tmp_path / f"answers.{suffix}"
        command = ["export", "answers", "--instrument", "visitor-survey", "-o", str(output)]
        # The command runs its own event loop; the test's is busy, so it runs in a thread as from a shell.
        result = await anyio.to_thread.run_sync(CliRunner().invoke, cli, command)
        assert result.exit_code == 0, result.output
        exported = pl.read_csv(output) if suffix == "csv" else pl.read_parquet(output)
        assert set(exported.get_column("response_id").cast(pl.String)) == {response_id}
        assert "overall_satisfaction" in exported.get_column("item").to_list()
        everything = " ".join(str(value) for row in exported.rows() for value in row)
        for detail in ("Anna", "anna.berg@example.se", "123 45 67"):
            assert detail not in everything, f"{detail!r} was exported"
