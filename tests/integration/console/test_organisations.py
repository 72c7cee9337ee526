"""Organisations, units, peer groups and waves in the console (SQLite and PostgreSQL): made and edited through the
forms, every refusal a 4xx with the message next to its field and the typed input kept, nothing written, every
change audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from servicescore.db.instruments import sync_instruments
from servicescore.db.tables import AuditEvent, Collection, Organisation, PeerGroup, Unit, Wave
from tests.support.console_world import Client, World, field_error, field_value, in_app, log_in, post_form, soup
from tests.support.instruments import shipped_instruments

pytestmark = pytest.mark.anyio


@pytest.fixture
def settings_overrides(surveys_dir: object, engine_settings: dict[str, object]) -> dict[str, object]:
    return {"surveys_dir": surveys_dir, **engine_settings}


async def organisation_rows() -> list[dict[str, object]]:
    return await Organisation.select(Organisation.slug, Organisation.name, Organisation.brand_colour,
                                     Organisation.peer_group).order_by(Organisation.slug)  # fmt: skip


async def test_a_consultant_creates_an_organisation_and_sees_it_listed(client: Client, world: World) -> None:
    await log_in(client)
    form = {"name": "Falu gruva", "slug": "falu-gruva", "peer_group": str(world.peer_group_id),
            "brand_colour": "#7A2E1F"}  # fmt: skip
    answer = await post_form(client, "/console/organisations", form)
    assert answer.status_code == 303
    created = answer.headers["location"]
    assert created.startswith("/console/organisations/")
    assert created.endswith("?done=created")
    rows = {row["slug"]: row for row in await in_app(client, organisation_rows)}
    assert rows["falu-gruva"] == {"slug": "falu-gruva", "name": "Falu gruva", "brand_colour": "#7a2e1f",
                                  "peer_group": world.peer_group_id}  # fmt: skip
    listing = soup(await client.get("/console/organisations"))
    row = listing.find("tr", attrs={"data-organisation": "falu-gruva"})
    assert row is not None
    assert "Kulturarv" in row.text
    assert [tr["data-organisation"] for tr in listing.find_all("tr", attrs={"data-organisation": True})] == [
        "carl-larssons-gard", "falu-gruva", "zorngarden"]  # fmt: skip
    page = soup(await client.get(created))
    assert page.h1.text == "Falu gruva"
    assert page.find(class_="notice").text == "Organisationen är skapad."
    events = await in_app(client, lambda: AuditEvent.select(AuditEvent.action, AuditEvent.actor.username)
                          .where(AuditEvent.action == "organisation.created"))  # fmt: skip
    assert events == [{"action": "organisation.created", "actor.username": "konsult"}]


async def test_a_duplicate_slug_is_refused_next_to_its_field_and_nothing_is_written(
    client: Client, world: World
) -> None:
    await log_in(client)
    before = await in_app(client, organisation_rows)
    answer = await post_form(client, "/console/organisations", {"name": "Ett annat Zorn", "slug": "zorngarden"})
    assert answer.status_code == 409
    assert "redan upptaget" in field_error(answer, "new", "slug")
    assert field_value(answer, "new", "name") == "Ett annat Zorn"  # what was typed is kept
    assert await in_app(client, organisation_rows) == before


async def test_bad_fields_are_each_explained_in_english_too(client: Client, world: World) -> None:
    await log_in(client)
    form = {"name": "", "slug": "Inte OK!", "brand_colour": "#ffff00"}
    answer = await post_form(client, "/console/organisations?lang=en", form)
    assert answer.status_code == 400
    assert field_error(answer, "new", "name") == "Fill in this field."
    assert "lower-case letters" in field_error(answer, "new", "slug")
    contrast = field_error(answer, "new", "brand_colour")
    assert "only 1:1;" in contrast  # 1.07, rounded down: a ratio just under the minimum never reads as reaching it
    assert "4.5:1" in contrast
    assert field_value(answer, "new", "brand_colour") == "#ffff00"
    assert soup(answer).find("p", class_="alert").text.startswith("The form has errors")


async def test_the_figures_of_form_errors_are_written_in_the_pages_language(client: Client, world: World) -> None:
    """Bounds, ratios and file sizes in an error as the rest of the page writes numbers (formats): decimal commas
    and the typographic minus in Swedish, sizes in MB in both; never Python's "-90.0" or "1000 kB"."""
    await log_in(client)
    path = f"/console/organisations/{world.organisation_id}"
    unit = {"name": "Fel", "slug": "fel", "kind": "site", "latitude": "91", "longitude": "181"}
    colour = {"name": "Gul", "slug": "gul", "brand_colour": "#ffff00"}
    logo = {"logo": ("huge.png", b"\x89PNG\r\n\x1a\n" + b"0" * 1_000_000, "image/png")}
    expected = {
        "sv": ("Talet måste ligga mellan −90 och 90.", "Talet måste ligga mellan −180 och 180.",
               "Kontrasten mot vitt är bara 1:1; minst 4,5:1", "Filen är för stor; högst 1\u00a0MB.",
               "PNG, JPEG eller SVG, högst 1\u00a0MB."),
        "en": ("Must be between −90 and 90.", "Must be between −180 and 180.",
               "The contrast against white is only 1:1; text needs at least 4.5:1",
               "The file is too large; at most 1\u00a0MB.",
               "PNG, JPEG or SVG, at most 1\u00a0MB."),
    }  # fmt: skip
    for lang, (latitude, longitude, contrast, too_large, hint) in expected.items():
        wrong_unit = await post_form(client, f"{path}/units?lang={lang}", unit, form_page=path)
        assert field_error(wrong_unit, "unit", "latitude") == latitude
        assert field_error(wrong_unit, "unit", "longitude") == longitude
        pale = await post_form(client, f"/console/organisations?lang={lang}", colour)
        assert field_error(pale, "new", "brand_colour").startswith(contrast)
        huge = await post_form(client, f"{path}/logo?lang={lang}", {}, logo, form_page=path)
        assert huge.status_code == 413
        assert field_error(huge, "logo", "logo") == too_large
        assert hint in soup(await client.get(f"{path}?lang={lang}")).get_text(" ", strip=True)


async def test_editing_an_organisation_keeps_its_slug_unique_and_unknown_ids_are_404(
    client: Client, world: World
) -> None:
    await log_in(client)
    path = f"/console/organisations/{world.organisation_id}"
    page = await client.get(path)
    assert field_value(page, "edit", "slug") == "zorngarden"
    assert field_value(page, "edit", "peer_group") == str(world.peer_group_id)
    answer = await post_form(client, path, {"name": "Zorngården", "slug": "carl-larssons-gard"})
    assert answer.status_code == 409
    assert field_error(answer, "edit", "slug")
    answer = await post_form(client, path, {"name": "Zorngården i Mora", "slug": "zorngarden", "peer_group": ""})
    assert answer.status_code == 303
    rows = {row["slug"]: row for row in await in_app(client, organisation_rows)}
    assert rows["zorngarden"]["name"] == "Zorngården i Mora"
    assert rows["zorngarden"]["peer_group"] is None
    assert (await client.get("/console/organisations/999999")).status_code == 404
    missing = await post_form(client, "/console/organisations/999999", {"name": "X", "slug": "x"}, form_page=path)
    assert missing.status_code == 404
    tampered = await post_form(client, path, {"name": "Zorngården", "slug": "zorngarden", "peer_group": "424242"})
    assert tampered.status_code == 404
    not_a_number = await post_form(client, path, {"name": "Zorngården", "slug": "zorngarden", "peer_group": "x"})
    assert not_a_number.status_code == 404


async def test_units_are_added_and_edited_with_their_position(client: Client, world: World) -> None:
    await log_in(client)
    path = f"/console/organisations/{world.organisation_id}"
    form = {"name": "Zorns ateljé", "slug": "ateljen", "kind": "site", "latitude": "61,0050", "longitude": "14.5380"}
    answer = await post_form(client, f"{path}/units", form, form_page=path)
    assert answer.status_code == 303
    duplicate = await post_form(client, f"{path}/units", {**form, "name": "Igen"}, form_page=path)
    assert duplicate.status_code == 409
    assert field_error(duplicate, "unit", "slug")
    half = await post_form(client, f"{path}/units", {**form, "slug": "halv", "longitude": ""}, form_page=path)
    assert half.status_code == 400
    assert "både latitud och longitud" in field_error(half, "unit", "longitude")
    wrong = await post_form(client, f"{path}/units", {**form, "slug": "fel", "latitude": "91", "kind": "shop"},
                            form_page=path)  # fmt: skip
    assert wrong.status_code == 400
    assert field_error(wrong, "unit", "latitude") == "Talet måste ligga mellan −90 och 90."
    assert field_error(wrong, "unit", "kind")

    async def units() -> dict[str, dict[str, object]]:
        rows = await Unit.select(Unit.id, Unit.slug, Unit.name, Unit.latitude, Unit.longitude, Unit.kind).where(
            Unit.organisation == world.organisation_id)  # fmt: skip
        return {row["slug"]: row for row in rows}

    stored = await in_app(client, units)
    assert set(stored) == {"museet", "gammelgarden", "ateljen"}
    assert stored["ateljen"]["latitude"] == pytest.approx(61.005)
    listed = soup(await client.get(path)).get_text(" ", strip=True)
    assert "61,0050; 14,5380" in listed  # a Swedish page writes decimal commas, so a semicolon parts the two
    unit_id = stored["ateljen"]["id"]
    cleared = {"name": "Ateljén", "slug": "ateljen", "kind": "site", "latitude": "", "longitude": ""}
    edit = await post_form(client, f"{path}/units/{unit_id}", cleared)
    assert edit.status_code == 303
    stored = await in_app(client, units)
    assert stored["ateljen"]["name"] == "Ateljén"
    assert stored["ateljen"]["latitude"] is None
    # A unit of another organisation, reached through this organisation's address, does not exist here.
    other = f"/console/organisations/{world.other_organisation_id}/units/{unit_id}"
    assert (await client.get(other)).status_code == 404
    tampered = await post_form(client, other, {"name": "Kapad", "slug": "kapad", "kind": "site"}, form_page=path)
    assert tampered.status_code == 404
    assert (await in_app(client, units))["ateljen"]["name"] == "Ateljén"


async def test_peer_groups_and_waves(client: Client, world: World) -> None:
    await log_in(client)
    listing = "/console/organisations"
    group = await post_form(client, "/console/peer-groups", {"name": "Bank", "slug": "bank", "industry": "Finans"},
                            form_page=listing)  # fmt: skip
    assert group.status_code == 303
    again = await post_form(client, "/console/peer-groups", {"name": "Bank 2", "slug": "bank"}, form_page=listing)
    assert again.status_code == 409
    assert field_error(again, "group", "slug")
    wave = await post_form(client, "/console/waves", {"key": "2027-Q1", "starts_on": "2027-01-01",
                                                      "ends_on": "2027-03-31"}, form_page=listing)  # fmt: skip
    assert wave.status_code == 303
    backwards = await post_form(client, "/console/waves", {"key": "2027-Q2", "starts_on": "2027-06-30",
                                                           "ends_on": "2027-04-01"}, form_page=listing)  # fmt: skip
    assert backwards.status_code == 400
    assert "efter början" in field_error(backwards, "wave", "ends_on")
    assert field_value(backwards, "wave", "key") == "2027-Q2"
    bad_key = await post_form(client, "/console/waves", {"key": "hösten"}, form_page=listing)
    assert bad_key.status_code == 400
    assert "2026-Q3" in field_error(bad_key, "wave", "key")
    taken = await post_form(client, "/console/waves", {"key": "2026-Q4"}, form_page=listing)
    assert taken.status_code == 409
    waves = await in_app(client, lambda: Wave.select(Wave.key).order_by(Wave.key))
    assert [row["key"] for row in waves] == ["2026-Q4", "2027-Q1"]
    groups = await in_app(client, lambda: PeerGroup.select(PeerGroup.slug).order_by(PeerGroup.slug))
    assert [row["slug"] for row in groups] == ["bank", "kulturarv"]
    page = soup(await client.get(listing))
    assert [th.text for th in page.find(id="waves").select("tbody th")] == ["2027-Q1", "2026-Q4"]


async def test_only_consultants_reach_the_console_and_forms_need_csrf(client: Client, world: World) -> None:
    anonymous = await client.get("/console/organisations", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/login")
    await log_in(client, "kund")
    assert (await client.get("/console/organisations")).status_code == 403
    assert (await client.get("/console/collections")).status_code == 403
    await log_in(client, "konsult")
    forged = await client.post("/console/organisations", data={"name": "Falsk", "slug": "falsk"},
                               follow_redirects=False)  # fmt: skip
    assert forged.status_code == 403
    assert "falsk" not in {row["slug"] for row in await in_app(client, organisation_rows)}


async def test_a_peer_group_is_edited_and_deleted_only_when_empty(client: Client, world: World) -> None:
    await log_in(client)
    path = f"/console/peer-groups/{world.peer_group_id}"
    listing = soup(await client.get("/console/organisations"))
    assert listing.find("tr", attrs={"data-peer-group": "kulturarv"}).find("a")["href"] == path
    edit = soup(await client.get(path))
    assert edit.h1.text == "Jämförelsegrupp: Kulturarv"
    assert field_value(await client.get(path), "group", "name_en") == ""
    saved = await post_form(client, path, {"name": "Kulturarv i Dalarna", "slug": "kulturarv", "industry": "Museer",
                                           "name_en": "Heritage in Dalarna"})  # fmt: skip
    assert (saved.status_code, saved.headers["location"]) == (
        303,
        "/console/organisations?done=peer_group_saved#peer-groups",
    )
    assert field_value(await client.get(path), "group", "name_en") == "Heritage in Dalarna"  # for English reports
    row = soup(await client.get("/console/organisations")).find("tr", attrs={"data-peer-group": "kulturarv"})
    assert row.find("a").text == "Kulturarv i Dalarna"
    await post_form(
        client, "/console/peer-groups", {"name": "Bank", "slug": "bank"}, form_page="/console/organisations"
    )
    taken = await post_form(client, path, {"name": "Kulturarv", "slug": "bank"})
    assert taken.status_code == 409
    assert "redan upptaget" in field_error(taken, "group", "slug")

    refused = await post_form(client, f"{path}/delete", {}, form_page=path)
    assert refused.status_code == 409
    assert soup(refused).find(role="alert").text == (
        "Gruppen kan inte tas bort: 2 organisationer hör till den. Flytta dem till en annan grupp först."
    )
    english = await post_form(client, f"{path}/delete?lang=en", {}, form_page=path)
    assert (
        soup(english).find(role="alert").text.startswith("The group cannot be deleted: 2 organisations belong to it.")
    )
    groups = await in_app(client, lambda: PeerGroup.select(PeerGroup.id, PeerGroup.slug).order_by(PeerGroup.slug))
    bank = next(row["id"] for row in groups if row["slug"] == "bank")
    deleted = await post_form(
        client, f"/console/peer-groups/{bank}/delete", {}, form_page=f"/console/peer-groups/{bank}"
    )
    assert deleted.status_code == 303
    after = await in_app(client, lambda: PeerGroup.select(PeerGroup.slug).order_by(PeerGroup.slug))
    assert after == [{"slug": "kulturarv"}]
    assert (await client.get(f"/console/peer-groups/{bank}")).status_code == 404
    assert (await post_form(client, f"/console/peer-groups/{bank}", {"name": "X", "slug": "x"},
                            form_page=path)).status_code == 404  # fmt: skip
    forged = await client.post(f"{path}/delete", follow_redirects=False)
    assert forged.status_code == 403
    actions = await in_app(client, lambda: AuditEvent.select(AuditEvent.action).where(
        AuditEvent.object_type == "peer_group").order_by(AuditEvent.id))  # fmt: skip
    assert [a["action"] for a in actions] == ["peer_group.updated", "peer_group.created", "peer_group.deleted"]


async def test_a_wave_is_edited_and_deleted_only_when_nothing_was_collected_in_it(client: Client, world: World) -> None:
    await log_in(client)
    path = f"/console/waves/{world.wave_id}"
    assert soup(await client.get("/console/organisations")).find("tr", attrs={"data-wave": "2026-Q4"}).find("a")[
        "href"] == path  # fmt: skip
    saved = await post_form(client, path, {"key": "2026-Q4", "starts_on": "2026-10-01", "ends_on": "2026-12-31"})
    assert saved.status_code == 303
    row = soup(await client.get("/console/organisations")).find("tr", attrs={"data-wave": "2026-Q4"})
    assert [td.text for td in row.find_all("td")] == ["1 oktober 2026", "31 december 2026"]  # days in words
    backwards = await post_form(client, path, {"key": "2026-Q4", "starts_on": "2026-12-31", "ends_on": "2026-10-01"})
    assert backwards.status_code == 400
    assert "efter början" in field_error(backwards, "wave", "ends_on")

    async def collect_in_the_wave() -> None:
        versions = await sync_instruments(shipped_instruments().values())
        moment = datetime(2026, 10, 1, tzinfo=UTC)
        await Collection(instrument_version=versions["visitor-survey"], wave=world.wave_id, opens_at=moment,
                         closes_at=moment + timedelta(days=30)).save()  # fmt: skip

    await in_app(client, collect_in_the_wave)
    refused = await post_form(client, f"{path}/delete", {}, form_page=path)
    assert refused.status_code == 409
    assert soup(refused).find(role="alert").text == "Omgången kan inte tas bort: den används av 1 insamling."
    assert await in_app(client, Wave.count) == 1

    made = await post_form(client, "/console/waves", {"key": "2027-Q1"}, form_page="/console/organisations")
    assert made.status_code == 303
    new = await in_app(client, lambda: Wave.select(Wave.id).where(Wave.key == "2027-Q1").first())
    renamed = await post_form(client, f"/console/waves/{new['id']}", {"key": "2027-H1"}, form_page=path)
    assert renamed.status_code == 303
    taken = await post_form(client, f"/console/waves/{new['id']}", {"key": "2026-Q4"}, form_page=path)
    assert taken.status_code == 409
    deleted = await post_form(client, f"/console/waves/{new['id']}/delete", {}, form_page=path)
    assert (deleted.status_code, deleted.headers["location"]) == (303, "/console/organisations?done=wave_deleted#waves")
    assert [row["key"] for row in await in_app(client, lambda: Wave.select(Wave.key))] == ["2026-Q4"]
    assert (await post_form(client, f"/console/waves/{new['id']}/delete", {}, form_page=path)).status_code == 404
