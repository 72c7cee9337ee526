"""Finishing a visit without JavaScript, and what the phone's script gets to check and explain: an incomplete
visit is refused item by item in the shopper's language with a link to each question, the list says "submitted"
only for what the server holds as submitted, comes to-do first, and a photo shows as a thumbnail that can be
removed."""

from __future__ import annotations

import io
import json
import re
import uuid

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from servicescore.db.tables import Response
from tests.support.visits_world import Client, World, in_app, log_in_as, put_visit, visit_payload

pytestmark = pytest.mark.anyio

REQUIRED = 17  # required items of the guided-tour scorecard, none behind a show_if


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


async def started(client: Client, world: World) -> str:
    token = await log_in_as(client, "shopper")
    await client.post(f"/visits/{world.assignment_id}/start", data={"_csrf_token": token})
    return token


async def status_of_visit(client: Client) -> str:
    async def status() -> str:
        return str((await Response.select(Response.status).first())["status"])

    return await in_app(client, status)


async def test_an_empty_visit_is_refused_with_each_missing_question_named_and_linked(
    client: Client, world: World
) -> None:
    token = await started(client, world)
    answer = await client.post(f"/visits/{world.assignment_id}/finish", data={"_csrf_token": token})
    assert [r.status_code for r in answer.history] == [303], "redirected to the page: Back and reload post nothing"
    assert (answer.status_code, answer.url.params["sent"]) == (200, "1")
    summary = soup(answer.text).find(id="finish-problems")
    assert summary is not None
    assert not summary.has_attr("hidden")
    assert summary.h2.text == "Servern tog inte emot besöket"
    lines = [(li.a["href"], li.a.text, li.span.text) for li in summary.find_all("li") if li.a]
    assert len(lines) == REQUIRED
    assert lines[0] == (
        f"/visits/{world.assignment_id}/section/1#q-started_on_time",
        "Del 1 av 6: Började visningen på utsatt tid?",
        "Svar saknas.",
    )
    assert lines[-1][0] == f"/visits/{world.assignment_id}/section/6#q-would_recommend"
    assert "required" not in summary.text
    assert "answers." not in summary.text
    assert await status_of_visit(client) == "draft"  # nothing was submitted

    # Each link leads to its question.
    section = soup((await client.get(f"/visits/{world.assignment_id}/section/6")).text)
    assert section.find(id="q-would_recommend") is not None

    english = soup((await client.get(f"/visits/{world.assignment_id}/finish?lang=en")).text)
    checks = json.loads(english.find(id="scorecard-checks").string)
    assert checks["messages"]["required"] == "Not answered yet."
    assert checks["messages"]["clock"].startswith("The phone's clock")
    pace = next(item for item in checks["items"] if item["id"] == "pace")
    assert pace == {
        "id": "pace", "label": "Part 5 of 6: How well judged was the pace?",
        "href": f"/visits/{world.assignment_id}/section/5#q-pace", "required": True, "show_if": None,
        "out_of_range": "The value lies outside what the scorecard allows: 1 to 5.",
    }  # fmt: skip
    assert sum(item["required"] for item in checks["items"]) == REQUIRED


async def test_the_scorecard_rules_on_the_finish_page_carry_show_if(client: Client, world: World) -> None:
    await log_in_as(client, "shopper")
    page = soup((await client.get(f"/visits/{world.call_assignment_id}/finish")).text)
    checks = json.loads(page.find(id="scorecard-checks").string)
    conditional = [item for item in checks["items"] if item["show_if"]]
    assert conditional, "the mystery call has questions asked only after an earlier answer"
    assert all(set(item["show_if"]) >= {"item"} and len(item["show_if"]) >= 2 for item in conditional)


async def test_the_api_names_a_code_for_each_refusal(client: Client, world: World) -> None:
    token = await log_in_as(client, "shopper")
    answer = await put_visit(client, token, str(uuid.uuid4()), visit_payload(world.assignment_id, answers={}))
    assert answer.status_code == 422
    errors = answer.json()["errors"]
    assert len(errors) == REQUIRED
    assert errors[0] == {
        "field": "answers.started_on_time", "message": "is required to submit the visit", "code": "required",
    }  # fmt: skip
    assert {error["code"] for error in errors} == {"required"}


async def test_the_list_says_submitted_only_when_the_server_has_it(client: Client, world: World) -> None:
    token = await started(client, world)
    draft = soup((await client.get(f"/visits?sent={world.assignment_id}")).text)
    assert draft.find(id="sent-note").has_attr("hidden")
    assert draft.find(id="sent-note").text == ""
    assert "Besöket är" not in draft.text

    async def visit_id() -> str:
        return str((await Response.select(Response.id).first())["id"])

    done = await put_visit(client, token, await in_app(client, visit_id), visit_payload(world.assignment_id,
                                                                                         revision=2))  # fmt: skip
    assert done.status_code == 200, done.text
    sent = soup((await client.get(f"/visits?sent={world.assignment_id}")).text)
    assert not sent.find(id="sent-note").has_attr("hidden")
    assert sent.find(id="sent-note").text == "Besöket är inskickat: servern har bekräftat att den har tagit emot det."


async def test_the_list_puts_unsent_then_to_do_then_returned_then_done_folded(client: Client, world: World) -> None:
    token = await log_in_as(client, "shopper")
    visit_id = str(uuid.uuid4())
    assert (await put_visit(client, token, visit_id, visit_payload(world.assignment_id))).status_code == 201
    consultant = await log_in_as(client, "konsult")
    form = {"action": "return", "comment": "Beskriv tempot.", "_csrf_token": consultant}
    assert (await client.post(f"/console/review/{visit_id}", data=form)).status_code in (200, 303)

    await log_in_as(client, "shopper")
    page = soup((await client.get("/visits")).text)
    # h-waiting: the visits only on the phone, which the script lists before everything else
    assert [h2["id"] for h2 in page.find_all("h2", id=re.compile("^h-"))] == ["h-waiting", "h-due", "h-returned"]

    token = await log_in_as(client, "shopper")
    fixed = visit_payload(world.assignment_id, revision=2)
    assert (await put_visit(client, token, visit_id, fixed)).status_code == 200
    consultant = await log_in_as(client, "konsult")
    approve = {"action": "approve", "_csrf_token": consultant}
    assert (await client.post(f"/console/review/{visit_id}", data=approve)).status_code in (200, 303)
    await log_in_as(client, "shopper")
    page = soup((await client.get("/visits")).text)
    approved = page.find("section", attrs={"aria-labelledby": "h-approved"})
    assert approved.details is not None
    assert not approved.details.has_attr("open")
    assert approved.h2.text == "Godkända (1)"
    assert approved.summary.text == "Visa listan"
    assert "Lilla Hyttnäs" in approved.details.text
    assert [h2["id"] for h2 in page.find_all("h2", id=re.compile("^h-"))] == ["h-waiting", "h-due", "h-approved"]


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 90, 160)).save(out, format="JPEG")
    return out.getvalue()


async def test_a_photo_shows_as_a_thumbnail_and_can_be_removed(client: Client, world: World) -> None:
    token = await started(client, world)
    section = f"/visits/{world.assignment_id}/section/1"
    files = {"entrance_photo.photo": ("entre.jpg", jpeg(), "image/jpeg")}
    saved = await client.post(section, data={"_csrf_token": token}, files=files, follow_redirects=False)
    assert saved.status_code == 303, saved.text[:2000]
    page = soup((await client.get(section)).text)
    thumbs = page.find(attrs={"data-thumbs-for": "entrance_photo"})
    image = thumbs.find("img")
    assert image["alt"] == "Foto 1"
    assert (await client.get(image["src"])).headers["content-type"] == "image/jpeg"
    remove = thumbs.find("input", attrs={"type": "checkbox"})
    assert remove.parent.text.strip() == "Ta bort foto 1"

    removed = await client.post(section, data={"_csrf_token": token, remove["name"]: "1"}, follow_redirects=False)
    assert removed.status_code == 303
    page = soup((await client.get(section)).text)
    assert page.find(attrs={"data-thumbs-for": "entrance_photo"}).find("img") is None
    assert page.find(attrs={"data-photos-for": "entrance_photo"}).text == "Sparade foton: 0"
