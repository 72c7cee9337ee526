"""The shopper's pages without JavaScript: the grouped list, the brief, scoring section by section with a
photo, submitting, and what another shopper sees (nothing)."""

from __future__ import annotations

import io
import re
import uuid
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from servicescore.db.assignments import AssignmentRequest, create_assignment
from servicescore.db.tables import Answer, Attachment, Response
from servicescore.definitions import load_instruments
from tests.support.answer_rows import of_response
from tests.support.visits_world import NOW, Client, World, in_app, log_in_as, put_visit, visit_payload

pytestmark = pytest.mark.anyio


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 90, 160)).save(out, format="JPEG")
    return out.getvalue()


ANSWERS_BY_SECTION: list[dict[str, str]] = [
    {"started_on_time": "yes", "group_welcomed": "yes", "guide_introduced": "no", "welcome_warmth": "3",
     "guide_introduced.comment": "Sa inget namn."},
    {"knowledge_depth": "3", "answers_questions": "na", "facts_accurate": "yes"},
    {"guide_engagement": "2", "storytelling": "3", "eye_contact": "no",
     "guide_engagement.comment": "Rabblade visningen utantill."},
    {"daily_life": "3", "residents_relationships": "2"},
    {"everyone_could_hear": "yes", "questions_welcomed": "no", "pace": "2"},
    {"clear_ending": "yes", "tour_duration.min": "35", "tour_duration.sec": "0", "overall_rating": "3",
     "would_recommend": "5"},
]  # fmt: skip


async def test_scoring_a_visit_section_by_section_without_javascript(client: Client, world: World) -> None:
    token = await log_in_as(client, "shopper")
    home = soup((await client.get("/visits")).text)
    assert home.h1.text == "Dina besök"
    due = home.find("section", attrs={"aria-labelledby": "h-due"})
    assert [a.find(class_="visit-unit").text for a in due.find_all("a")] == [
        "Carl Larssons gård – Lilla Hyttnäs",
        "Carl Larssons gård – Kundtjänst",
    ]
    brief = soup((await client.get(f"/visits/{world.assignment_id}")).text)
    assert "Boka visningen kl. 11." in brief.text
    started = await client.post(f"/visits/{world.assignment_id}/start", data={"_csrf_token": token},
                                follow_redirects=False)  # fmt: skip
    assert started.headers["location"] == f"/visits/{world.assignment_id}/section/1"

    first = soup((await client.get(started.headers["location"])).text)
    assert first.h1.text == "Mottagande"
    assert first.find("input", attrs={"type": "file", "accept": "image/*", "capture": "environment"}) is not None
    for number, answers in enumerate(ANSWERS_BY_SECTION, start=1):
        files = {"entrance_photo.photo": ("entre.jpg", jpeg(), "image/jpeg")} if number == 1 else None
        saved = await client.post(
            f"/visits/{world.assignment_id}/section/{number}",
            data={**answers, "_csrf_token": token}, files=files, follow_redirects=False,
        )  # fmt: skip
        assert saved.status_code == 303, saved.text[:2000]
    assert saved.headers["location"] == f"/visits/{world.assignment_id}/finish"

    # Going back shows what was saved.
    back = soup((await client.get(f"/visits/{world.assignment_id}/section/3")).text)
    assert back.find("input", attrs={"name": "guide_engagement", "value": "2"}).has_attr("checked")
    assert back.find("textarea", attrs={"name": "guide_engagement.comment"}).text == "Rabblade visningen utantill."

    done = await client.post(f"/visits/{world.assignment_id}/finish", data={"_csrf_token": token},
                             follow_redirects=False)  # fmt: skip
    assert done.status_code == 303, done.text[:3000]
    listing = soup((await client.get("/visits?sent=1")).text)
    submitted = listing.find("section", attrs={"aria-labelledby": "h-submitted"})
    assert "Lilla Hyttnäs" in submitted.text

    async def stored() -> tuple[str, int, list[dict[str, object]], int, object]:
        row = await Response.select(Response.status, Response.id).first()
        answers = await Answer.count().where(of_response(row["id"]))
        duration = await Answer.select(Answer.value).where(Answer.item == "tour_duration")
        photos = await Attachment.count().where(Attachment.response == row["id"])
        return row["status"], answers, duration, photos, row["id"]

    status, answers, duration, photos, row_id = await in_app(client, stored)
    assert uuid.UUID(str(row_id)).version == 7  # made by the server: time-ordered
    assert (status, answers, photos) == ("submitted", 19, 1)  # 4+3+3+2+3+4 items; the photo is an attachment
    assert duration == [{"value": 2100.0}]


async def test_a_wrong_value_is_shown_next_to_its_item(client: Client, world: World) -> None:
    token = await log_in_as(client, "shopper")
    await client.post(f"/visits/{world.assignment_id}/start", data={"_csrf_token": token})
    answer = await client.post(
        f"/visits/{world.assignment_id}/section/1",
        data={"welcome_warmth": "9", "_csrf_token": token},
        files={"entrance_photo.photo": ("x.jpg", b"PK\x03\x04 not an image", "image/jpeg")},
    )
    assert [r.status_code for r in answer.history] == [303], "redirected to the page: Back and reload post nothing"
    assert (answer.status_code, answer.url.params["sent"]) == (200, "1")
    page = soup(answer.text)
    problems = {p["id"]: p.text for p in page.find_all("p", class_="problem")}
    assert problems["p-welcome_warmth"] == "Värdet ligger utanför det som protokollet tillåter: 1 till 5."
    assert problems["p-entrance_photo"] == "Fotot gick inte att läsa som en bild (JPEG, PNG eller WebP)."


async def test_another_shoppers_assignment_is_not_found(client: Client, world: World) -> None:
    await log_in_as(client, "shopper")
    assert (await client.get(f"/visits/{world.other_assignment_id}")).status_code == 404
    assert (await client.get(f"/visits/{world.other_assignment_id}/section/1")).status_code == 404


async def test_the_service_worker_and_manifest_are_served(client: Client, world: World) -> None:
    worker = await client.get("/visits/sw.js")
    assert worker.status_code == 200
    assert worker.headers["service-worker-allowed"] == "/visits"
    assert "caches.open" in worker.text
    manifest = (await client.get("/static/shopper/manifest.webmanifest")).json()
    assert (manifest["start_url"], manifest["display"]) == ("/visits", "standalone")
    await log_in_as(client, "shopper")
    page = (await client.get("/visits")).text
    assert re.search(r'<link rel="manifest" href="/static/shopper/manifest.webmanifest">', page)
    assert re.search(r'<meta name="csrf-token" content="[^"]+">', page)


async def test_a_shopper_logs_out_through_the_phone_check(client: Client, world: World) -> None:
    """The header's logout sends a shopper to /visits/logout first (the phone's copy is checked and cleared
    there); only the form that page posts ends the session."""
    token = await log_in_as(client, "shopper")
    first = await client.post("/logout", data={"_csrf_token": token}, follow_redirects=False)
    assert (first.status_code, first.headers["location"]) == (303, "/visits/logout")
    assert (await client.get("/visits", follow_redirects=False)).status_code == 200  # still logged in
    page = soup((await client.get("/visits/logout")).text)
    form = page.find("form", id="logout-form")
    assert form["action"] == "/logout"
    assert form.find("input", attrs={"name": "phone_checked"})["value"] == "1"
    assert page.find(id="unsynced").has_attr("hidden")
    done = await client.post("/logout", data={"_csrf_token": token, "phone_checked": "1"}, follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, "/")
    assert (await client.get("/visits", follow_redirects=False)).headers["location"].startswith("/login")


async def test_a_consultant_logs_out_at_once(client: Client, world: World) -> None:
    token = await log_in_as(client, "konsult")
    answer = await client.post("/logout", data={"_csrf_token": token}, follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/")
    assert (await client.get("/console", follow_redirects=False)).headers["location"].startswith("/login")


async def test_a_refused_section_shows_what_the_shopper_typed(client: Client, world: World) -> None:
    """Without JavaScript a refused section showed the answers saved before, so the field marked "outside what the
    scorecard allows" held an allowed value (35 min) and what was typed was gone."""
    token = await log_in_as(client, "shopper")
    await client.post(f"/visits/{world.assignment_id}/start", data={"_csrf_token": token})
    last = f"/visits/{world.assignment_id}/section/6"
    saved = await client.post(last, data={**ANSWERS_BY_SECTION[5], "_csrf_token": token}, follow_redirects=False)
    assert saved.status_code == 303
    typed = {**ANSWERS_BY_SECTION[5], "tour_duration.min": "300", "overall_rating": "4", "_csrf_token": token}
    refused = await client.post(last, data=typed)
    assert [r.status_code for r in refused.history] == [303], "redirected to the page: Back and reload post nothing"
    assert (refused.status_code, refused.url.params["sent"]) == (200, "1")
    page = soup(refused.text)
    assert (
        page.find("p", id="p-tour_duration").text
        == "Värdet ligger utanför det som protokollet tillåter: högst 4 h 00 min."
    )
    assert page.find("input", attrs={"name": "tour_duration.min"})["value"] == "300"
    assert page.find("input", attrs={"name": "overall_rating", "value": "4"}).has_attr("checked")
    # Nothing of the refused form was saved.
    again = soup((await client.get(last)).text)
    assert again.find("input", attrs={"name": "tour_duration.min"})["value"] == "35"
    assert again.find("input", attrs={"name": "overall_rating", "value": "3"}).has_attr("checked")


async def test_a_refused_section_is_a_redirect_whose_page_reloads_with_the_same_problems_and_values(
    client: Client, world: World
) -> None:
    """A refused section answered with its page made Back and reload post the form again ("Confirm form
    resubmission" on the phone); now its page is a GET that shows the same, again and again, until the visit
    changes or the section is saved."""
    token = await log_in_as(client, "shopper")
    await client.post(f"/visits/{world.assignment_id}/start", data={"_csrf_token": token})
    last = f"/visits/{world.assignment_id}/section/6"
    typed = {**ANSWERS_BY_SECTION[5], "tour_duration.min": "300", "overall_rating": "4", "_csrf_token": token}
    refused = await client.post(last, data=typed, follow_redirects=False)
    assert (refused.status_code, refused.headers["location"]) == (303, f"{last}?sent=1")
    assert f"Path={last}" in refused.headers["set-cookie"]
    for _ in range(2):  # the redirect, then a reload
        page = soup((await client.get(f"{last}?sent=1")).text)
        assert page.find("p", id="p-tour_duration") is not None
        assert page.find("input", attrs={"name": "tour_duration.min"})["value"] == "300"
        assert page.find("input", attrs={"name": "overall_rating", "value": "4"}).has_attr("checked")
    other = soup((await client.get(f"/visits/{world.assignment_id}/section/5?sent=1")).text)
    assert other.find("p", class_="problem") is None, "kept for its own section only"

    saved = await client.post(last, data={**typed, "tour_duration.min": "35"}, follow_redirects=False)
    assert saved.status_code == 303
    assert 'servicescore_refused=""' in saved.headers["set-cookie"] or "Max-Age=0" in saved.headers["set-cookie"]
    back = soup((await client.get(f"{last}?sent=1")).text)  # Back to the refused page after the save
    assert back.find("p", class_="problem") is None
    assert back.find("input", attrs={"name": "tour_duration.min"})["value"] == "35"


async def test_a_refused_finish_is_a_redirect_and_its_problems_stay_on_reload(client: Client, world: World) -> None:
    token = await log_in_as(client, "shopper")
    await client.post(f"/visits/{world.assignment_id}/start", data={"_csrf_token": token})
    finish = f"/visits/{world.assignment_id}/finish"
    refused = await client.post(finish, data={"_csrf_token": token}, follow_redirects=False)
    assert (refused.status_code, refused.headers["location"]) == (303, f"{finish}?sent=1")
    for _ in range(2):
        summary = soup((await client.get(f"{finish}?sent=1")).text).find(id="finish-problems")
        assert summary is not None
        assert not summary.has_attr("hidden")
        assert "Svar saknas." in summary.text
    plain = soup((await client.get(finish)).text).find(id="finish-problems")
    assert plain is None or plain.has_attr("hidden"), "the finish page itself shows no old problems"


async def test_the_list_puts_the_phones_unsent_visits_first_and_folds_many_awaiting_review(
    client: Client, world: World
) -> None:
    """The group the phone's script fills with visits not yet sent comes before everything else (it came after the
    returned visits, 3,300 px down the demo shopper's list), and more than three visits awaiting review are folded
    behind their count (the demo shopper's 20 made the list 5,842 px tall at 360 px)."""
    token = await log_in_as(client, "shopper")

    async def more_assignments() -> list[int]:
        definitions = {i.id: i for i in load_instruments(world.settings.surveys_dir)}
        made = []
        for week in range(1, 5):
            request = AssignmentRequest(
                shopper="shopper", unit="carl-larssons-gard/lilla-hyttnas", instrument="guided-tour", wave="2026-Q4",
                window_start=NOW - timedelta(days=7 * week + 7), window_end=NOW - timedelta(days=7 * week),
            )  # fmt: skip
            made.append(await create_assignment(client.app.state.engine, request, definitions, min_days_between=0))
        return made

    for assignment_id in await in_app(client, more_assignments):
        sent = await put_visit(client, token, str(uuid.uuid4()), visit_payload(assignment_id))
        assert sent.status_code in {200, 201}, sent.text
    listing = soup((await client.get("/visits")).text)
    groups = [section.get("id") or section["aria-labelledby"] for section in listing.find_all("section")]
    assert groups[:2] == ["group-waiting", "h-due"]
    submitted = listing.find("section", attrs={"aria-labelledby": "h-submitted"})
    assert submitted.h2.text == "Inskickade, väntar på granskning (4)"
    assert len(submitted.details.find_all("li")) == 4
