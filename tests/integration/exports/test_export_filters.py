"""Filters the export cannot follow: 400 with a message naming the filter and the value, in the user's language."""

from __future__ import annotations

import pytest

from tests.support.export_world import Client, World, alert, log_in

pytestmark = pytest.mark.anyio

ANSWERS = "/console/exports/answers"
SCORES = "/console/exports/scores"

REFUSED = [
    (f"{ANSWERS}?instrument=visitor-survey&format=docx", "docx", "Unknown file format"),
    (f"{ANSWERS}?instrument=no-such-survey", "no-such-survey", "Unknown survey or scorecard"),
    (f"{ANSWERS}?instrument=visitor-survey&wave=2031-Q9", "2031-Q9", "The wave"),
    (f"{ANSWERS}?instrument=visitor-survey&columns=response_id,favourite_colour", "favourite_colour", "columns"),
    (f"{ANSWERS}?instrument=visitor-survey&format=sav&columns=no_such_item", "no_such_item", "columns"),
    (f"{SCORES}?instrument=visitor-survey&by=organisation,shoe_size", "shoe_size", "by"),
    (f"{SCORES}?instrument=visitor-survey&columns=mean,median", "median", "columns"),
    (f"{SCORES}?instrument=visitor-survey&level=galaxy", "galaxy", "level"),
    (f"{SCORES}?instrument=visitor-survey&level=overall&by=item", "item", "overall"),
    (f"{ANSWERS}?instrument=visitor-survey&by=unit", "by", "Unknown filter"),
    (f"{ANSWERS}?instrument=visitor-survey&sort=value", "sort", "Unknown filter"),
    (f"{ANSWERS}?instrument=visitor-survey&organisation=zorngarden", "zorngarden", "id number"),
    (f"{ANSWERS}?instrument=visitor-survey&unit=987654", "987654", "Unknown unit"),
    (f"{ANSWERS}?format=csv", "instrument", "Choose a survey"),
    (f"{ANSWERS}?instrument=visitor-survey&format=csv&format=xlsx", "format", "only once"),
]


@pytest.mark.parametrize(("url", "named", "said"), REFUSED)
async def test_refused_filters_name_the_problem(client: Client, world: World, url: str, named: str, said: str) -> None:
    await log_in(client, "konsult")
    response = await client.get(f"{url}&lang=en")
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    message = alert(response)
    assert named in message
    assert said in message


async def test_refusals_speak_swedish_to_swedish_users(client: Client, world: World) -> None:
    await log_in(client, "konsult")
    response = await client.get(f"{ANSWERS}?instrument=visitor-survey&format=docx&lang=sv")
    assert response.status_code == 400
    assert "Okänt filformat ”docx”" in alert(response)
    # The form comes back with what was asked, to correct it.
    assert 'value="visitor-survey" selected' in response.text


async def test_a_unit_of_another_organisation_is_named_with_its_own(client: Client, world: World) -> None:
    """The form lists every organisation's units: one of Peer B chosen with Zorngården said "Okänd enhet ”7”"."""
    await log_in(client, "konsult")
    zorngarden, unit = world.organisations["zorngarden"], world.units[("peer-b", "main")]
    response = await client.get(f"{ANSWERS}?instrument=visitor-survey&organisation={zorngarden}&unit={unit}&lang=sv")
    assert response.status_code == 400
    assert alert(response).endswith(
        "Enheten ”Main” hör till Peer B Museum, inte till Zorngården. Välj en enhet hos Zorngården eller alla enheter."
    )


async def test_a_missing_organisation_is_not_found(client: Client, world: World) -> None:
    await log_in(client, "konsult")
    response = await client.get(f"{ANSWERS}?instrument=visitor-survey&organisation=987654")
    assert response.status_code == 404


async def test_an_export_needs_a_login(client: Client, world: World) -> None:
    response = await client.get(f"{ANSWERS}?instrument=visitor-survey", follow_redirects=False)
    assert response.status_code in {302, 303}
    assert response.headers["location"].startswith("/login")


async def test_the_form_offers_every_organisation_to_a_consultant(client: Client, world: World) -> None:
    await log_in(client, "konsult")
    page = await client.get("/console/exports?lang=en")
    assert page.status_code == 200
    assert 'action="/console/exports/answers"' in page.text
    assert 'method="get"' in page.text
    # An organisation named like a formula is only text here: escaped by the template, never markup.
    assert "=HYPERLINK(&#34;http://evil.example&#34;,&#34;click&#34;)" in page.text
