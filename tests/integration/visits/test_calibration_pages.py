"""The shopper's calibration pages: score an exercise alone, see nobody else's answers while it is open, and once
it closes see one's own answers beside the panel's consensus (never another shopper's)."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup

from servicescore.accounts.users import create_account
from servicescore.db.attachments import attachment_key
from servicescore.db.calibration import ExerciseRequest, close_exercise, create_exercise, record_answers
from servicescore.db.tables import User
from servicescore.definitions import load_instruments
from servicescore.demo.calibration import recording
from servicescore.identity import Role
from servicescore.storage import storage_for
from servicescore.visits.answers import AnswerRow
from tests.support.visits_world import PASSWORD, Client, World, in_app, log_in_as

pytestmark = pytest.mark.anyio

FORM = {"courtesy": "4", "listening": "2", "greeting_name_given": "yes", "queue_time.min": "3", "queue_time.sec": "30",
        "transfers": "2"}  # fmt: skip
# shopper2 and shopper3: courtesy 5 and 5, listening 3 and 4, name given no and no, queue 200 s and 260 s
OTHERS = {
    "shopper2": [("courtesy", 5.0), ("listening", 3.0), ("greeting_name_given", 0.0), ("queue_time", 200.0)],
    "shopper3": [("courtesy", 5.0), ("listening", 4.0), ("greeting_name_given", 0.0), ("queue_time", 260.0)],
}


async def exercise(client: Client, world: World) -> int:
    await create_account("shopper3", PASSWORD, Role.shopper)
    await create_account("outsider", PASSWORD, Role.shopper)
    audio, sha = recording()
    storage_for(world.settings).put_once(attachment_key(sha), audio)
    definitions = {d.id: d for d in load_instruments(world.settings.surveys_dir)}
    panel = ("shopper", "shopper2", "shopper3")
    request = ExerciseRequest("mystery-call", "2026-Q4", "Spärrat kort", "recording", panel, file_sha256=sha,
                              file_type="audio/wav", transcript="Kunden ringer …")  # fmt: skip
    made = await create_exercise(client.app.state.engine, request, definitions)
    ids = {row["username"]: row["id"] for row in await User.select(User.id, User.username)}
    for name, answers in OTHERS.items():
        rows = [AnswerRow(item, value, False, None) for item, value in answers]
        await record_answers(client.app.state.engine, made, ids[name], rows)
    return made


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def csrf(html: str) -> str:
    return str(soup(html).find("input", attrs={"name": "_csrf_token"})["value"])


def checked(page: BeautifulSoup, name: str) -> Any:
    found = page.find("input", attrs={"name": name, "checked": True})
    return None if found is None else found["value"]


async def test_a_shopper_scores_alone_and_then_sees_the_consensus(client: Client, world: World) -> None:
    made = await in_app(client, exercise, client, world)
    await log_in_as(client, "shopper")
    listing = soup((await client.get("/visits/calibration?lang=en")).text)
    card = listing.find("li", attrs={"data-exercise": str(made)})
    assert card["data-status"] == "open"
    assert "To do" in card.text
    back = listing.select_one("p.crumb a")
    assert back is not None
    assert (back["href"], back.text) == ("/visits", "Your visits")  # as that list is headed (was "My visits")

    page = await client.get(f"/visits/calibration/{made}?lang=en")
    assert page.status_code == 200
    assert soup(page.text).find("audio")["src"] == f"/visits/calibration/{made}/recording"
    assert "The panel" not in page.text, "nothing of the panel before it closes"
    for field, bad, message in (
        ("transfers", "två", "form the scorecard does not take"),
        ("overall_rating", "na", "cannot be answered"),
    ):
        wrong = await client.post(
            f"/visits/calibration/{made}", data={**FORM, field: bad, "_csrf_token": csrf(page.text)}
        )
        assert [r.status_code for r in wrong.history] == [303], "redirected to the page: Back and reload post nothing"
        assert (wrong.status_code, wrong.url.params["sent"]) == (200, "1")
        for shown in (wrong, await client.get(str(wrong.url))):  # the page, then a reload of it
            assert message in soup(shown.text).find("div", attrs={"data-item": field}).text
            assert checked(soup(shown.text), "courtesy") == "4", "what was typed is kept"
    sent = await client.post(f"/visits/calibration/{made}", data={**FORM, "_csrf_token": csrf(page.text)},
                             follow_redirects=False)  # fmt: skip
    assert sent.status_code == 303
    again = soup((await client.get(f"/visits/calibration/{made}?lang=en")).text)
    assert (checked(again, "courtesy"), checked(again, "greeting_name_given"), checked(again, "listening")) == (
        "4", "yes", "2")  # fmt: skip
    assert again.find("input", attrs={"name": "queue_time.min"})["value"] == "3"
    audio = await client.get(f"/visits/calibration/{made}/recording")
    assert (audio.status_code, audio.headers["content-type"], audio.content[:4]) == (200, "audio/wav", b"RIFF")

    await in_app(client, close_exercise, client.app.state.engine, made)
    closed = soup((await client.get(f"/visits/calibration/{made}?lang=en")).text)
    cells = [tr.find_all("td") for tr in closed.find_all("tr", attrs={"data-item": True})]
    items = [tr["data-item"] for tr in closed.find_all("tr", attrs={"data-item": True})]
    rows = {item: (own.text, common.text) for item, (own, common) in zip(items, cells, strict=True)}
    assert rows["courtesy"] == ("4", "5")  # median of 4, 5, 5
    assert rows["listening"] == ("2", "3")  # median of 2, 3, 4
    assert rows["greeting_name_given"] == ("Yes", "No")  # two of three said no
    assert rows["queue_time"] == ("3 min 30 s", "3 min 30 s")  # median of 210, 200, 260 seconds
    assert rows["transfers"] == ("2", "2")  # only this shopper answered
    assert rows["overall_rating"] == ("", "no majority")  # nobody rated it
    assert "4 min 20 s" not in closed.text, "another shopper's own answers never show"
    late = await client.post(f"/visits/calibration/{made}", data={**FORM, "_csrf_token": csrf(str(closed))})
    assert late.status_code == 409


async def test_only_the_chosen_shoppers_see_an_exercise(client: Client, world: World) -> None:
    made = await in_app(client, exercise, client, world)
    await log_in_as(client, "outsider")
    assert (await client.get(f"/visits/calibration/{made}")).status_code == 404
    assert (await client.get(f"/visits/calibration/{made}/recording")).status_code == 404
    assert "No calibration exercises." in (await client.get("/visits/calibration?lang=en")).text
    await log_in_as(client, "konsult")
    assert (await client.get(f"/visits/calibration/{made}")).status_code == 403
