"""Links that cannot be answered, personal invitations, QR codes, the brand, and languages."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest

from servicescore.colours import CANVAS, accessible_accent, contrast
from servicescore.db import collections as link_store
from servicescore.db.tables import Organisation
from tests.support.respond_world import World
from tests.support.respondent import VISITOR_PAGES, Client, Respondent, in_app, responses, soup

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("which", "status", "heading"),
    [
        ("closed", 410, "Enkäten är stängd"),
        ("future", 404, "Enkäten har inte öppnat än"),
        ("unknown", 404, "Länken fungerar inte"),
        ("malformed", 404, "Länken fungerar inte"),
    ],
)
async def test_links_that_cannot_be_answered_get_a_friendly_page(
    client: Client, world: World, which: str, status: int, heading: str
) -> None:
    token = {
        "closed": world.closed_token,
        "future": world.future_token,
        "unknown": "A" * 24,
        "malformed": "x%27%3B%20DROP%20TABLE%20response%3B--",
    }[which]
    for method in ("get", "post"):
        response = await getattr(client, method)(f"/s/{token}")
        assert response.status_code in (status, 403 if method == "post" else status)
        if response.status_code == status:
            page = soup(response)
            assert page.find("h1").get_text() == heading
            assert "Traceback" not in response.text
    assert responses(client) == []


async def test_dates_on_a_closed_link_follow_the_language(client: Client, world: World) -> None:
    swedish = soup(await client.get(f"/s/{world.closed_token}"))
    english = soup(await client.get(f"/s/{world.closed_token}?lang=en"))
    assert "Enkäten stängde " in swedish.get_text()
    assert english.find("h1").get_text() == "The survey has closed"
    months_sv = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
                 "november", "december")  # fmt: skip
    assert any(month in swedish.get_text() for month in months_sv)
    assert "closed on " in english.get_text()


async def test_language_from_query_then_accept_language_and_a_switch_on_every_page(
    client: Client, world: World
) -> None:
    respondent = Respondent(client, f"/s/{world.open_token}")
    page = await respondent.open(**{"accept-language": "en-GB,en;q=0.9"})
    assert page.find("html")["lang"] == "en"
    assert page.find("h1").get_text() == "Your visit"
    assert "Page 1 of 4" in page.get_text()
    switch = page.select_one("nav a[hreflang=sv]")
    assert switch.get_text() == "Svenska"
    assert switch["href"].endswith("?lang=sv")
    page = await respondent.open("?lang=sv", **{"accept-language": "en"})
    assert page.find("h1").get_text() == "Ditt besök"
    await respondent.send(VISITOR_PAGES[0])
    assert respondent.page.find("html")["lang"] == "sv", "the chosen language sticks"
    page = await respondent.open("?lang=en&page=1")
    labels = [s.get_text(" ", strip=True) for s in page.select("#q-guide_rating .opts-na span")]
    assert labels == ["Don't know / not applicable"]
    await respondent.send(VISITOR_PAGES[1])
    await respondent.send(VISITOR_PAGES[2])
    await respondent.send(VISITOR_PAGES[3])
    assert respondent.page.find("h1").get_text() == "Thank you for your answers!"
    assert [r["language"] for r in responses(client)] == ["en"]


async def test_an_invitation_gives_one_complete_response_on_any_device(client: Client, world: World) -> None:
    path = f"/i/{world.invitations[0]}"
    respondent = Respondent(client, path)
    await respondent.open()
    await respondent.send(VISITOR_PAGES[0])
    client.cookies.clear()  # the same invitation opened on another device continues the same response
    other = Respondent(client, path)
    await other.open()
    assert other.response_id == respondent.response_id
    assert other.page_index == 1
    for answers in VISITOR_PAGES[1:]:
        last_fields = other.base_fields()
        await other.send(answers)
    assert other.page.find("h1").get_text() == "Tack för dina svar!"
    again = await client.get(path)
    assert again.status_code == 410
    assert soup(again).find("h1").get_text() == "Du har redan svarat"
    resend = await other.post_raw([*last_fields, ("_nav", "next"), *VISITOR_PAGES[3].items()])
    assert resend.status_code == 303
    assert resend.headers["location"].endswith("/done")
    assert [r["status"] for r in responses(client)] == ["complete"]
    # Another person's invitation is a response of its own; a made-up response id is refused.
    stranger = Respondent(client, f"/i/{world.invitations[1]}")
    await stranger.open()
    assert stranger.response_id != respondent.response_id
    forged = [(n, respondent.response_id if n == "_response" else v) for n, v in stranger.base_fields()]
    assert (await stranger.post_raw([*forged, ("visit_type", "returning")])).status_code == 400
    assert sorted(r["status"] for r in responses(client)) == ["complete", "partial"]


async def test_qr_codes_of_a_public_link(client: Client, world: World) -> None:
    svg = await client.get(f"/s/{world.open_token}/qr.svg")
    assert svg.status_code == 200
    assert svg.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(svg.content)
    assert root.tag.endswith("svg")
    assert int(float(root.get("width"))) >= 200
    png = await client.get(f"/s/{world.open_token}/qr.png")
    assert png.status_code == 200
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(io.BytesIO(png.content).getvalue()) > 100
    assert (await client.get(f"/s/{'B' * 24}/qr.svg")).status_code == 404


async def test_the_brand_colour_and_logo(client: Client, world: World) -> None:
    css = await client.get(f"/s/{world.open_token}/theme.css")
    assert css.status_code == 200
    assert "--accent: #7a2e1f" in css.text
    logo = await client.get(f"/s/{world.open_token}/logo")
    assert logo.status_code == 200
    assert logo.headers["content-type"].startswith("image/svg+xml")


def test_a_brand_colour_too_light_for_aa_is_darkened_until_it_passes() -> None:
    for colour in ("#ffcc00", "#7fdbff", "#ffffff", "#7a2e1f", "not-a-colour"):
        accent = accessible_accent(colour)
        assert contrast(accent, CANVAS) >= 4.5
        assert contrast(accent, "#ffffff") >= 4.5
    assert accessible_accent("#7a2e1f") == "#7a2e1f", "a colour that passes is kept"
    assert accessible_accent("#ffcc00") != "#ffcc00"


async def test_a_brand_without_a_folder_shows_no_broken_logo(client: Client, world: World) -> None:
    async def rebrand() -> None:
        await Organisation.update({Organisation.brand: "no-such-brand"}).where(Organisation.slug == "zorngarden")

    in_app(client, rebrand)
    link_store._public_links.clear()
    page = soup(await client.get(f"/s/{world.open_token}"))
    assert page.select_one(".owner-name").get_text() == "Zorngården"
    assert page.select_one("img.survey-logo") is None
    assert (await client.get(f"/s/{world.open_token}/logo")).status_code == 404
