"""``/console/calibration``: α per section over waves and the flagged shoppers, for consultants only, in Swedish
and English."""

from __future__ import annotations

import random

import pytest
from httpx import Response

from servicescore.accounts.users import create_account
from servicescore.db.calibration import ExerciseRequest, calibration_inputs, create_exercise, record_answers
from servicescore.db.tables import User
from servicescore.definitions import load_instruments
from servicescore.demo.calibration import recording as demo_recording
from servicescore.identity import Role
from servicescore.scoring.calibration import calibration_tables
from servicescore.settings import Settings
from servicescore.snapshot import catalogue
from servicescore.visits.answers import AnswerRow
from tests.support.console_world import (
    PASSWORD,
    Client,
    World,
    field_error,
    field_value,
    in_app,
    log_in,
    post_form,
    soup,
)

pytestmark = pytest.mark.anyio

PANEL = {"shopper": 0.0, "mild": 1.0, "hard": -1.0, "p3": 0.1, "p4": -0.1, "quiet": 0.0}
RATINGS = ("welcome_warmth", "knowledge_depth", "answers_questions", "guide_engagement", "storytelling", "daily_life",
           "residents_relationships", "house_and_place", "pace", "everyone_included", "overall_rating")  # fmt: skip


async def calibrate(client: Client, settings: Settings) -> None:
    """Two transcripts of the guided tour in 2026-Q4; "mild" rates a point high, "hard" a point low, "quiet"
    answers nothing."""
    for name in PANEL:
        if name != "shopper":
            await create_account(name, PASSWORD, Role.shopper)
    definitions = {d.id: d for d in load_instruments(settings.surveys_dir)}
    rng = random.Random(5)
    ids = {row["username"]: row["id"] for row in await User.select(User.id, User.username)}
    for number in range(2):
        request = ExerciseRequest("guided-tour", "2026-Q4", f"Visning {number}", "transcript", tuple(PANEL),
                                  transcript="Guiden berättar …")  # fmt: skip
        exercise = await create_exercise(client.app.state.engine, request, definitions)
        truth = [rng.randint(2, 4) for _ in RATINGS]
        for name, offset in PANEL.items():
            if name == "quiet":
                continue
            values = [min(5, max(1, round(t + offset + rng.gauss(0, 0.4)))) for t in truth]
            rows = [AnswerRow(item, float(v), False, None) for item, v in zip(RATINGS, values, strict=True)]
            rows.append(AnswerRow("started_on_time", float(rng.random() < 0.8), False, None))
            await record_answers(client.app.state.engine, exercise, ids[name], rows)


async def test_consultants_see_alpha_per_section_and_the_flagged_shopper(
    client: Client, world: World, settings: Settings
) -> None:
    await in_app(client, calibrate, client, settings)
    answers, roster = await in_app(client, calibration_inputs, ["guided-tour"], None)
    core = calibration_tables(answers, roster, catalogue(settings, ["guided-tour"]))
    await log_in(client)
    for language, flags, decimal in (("sv", ("mild", "sträng"), ","), ("en", ("lenient", "harsh"), ".")):
        page = soup(await client.get(f"/console/calibration?lang={language}"))
        section = page.find("section", attrs={"data-instrument": "guided-tour"})
        assert [th.text for th in section.thead.find_all("th")][2:] == ["2026-Q4"]
        knowledge = section.find("tr", attrs={"data-section": "knowledge", "data-measurement": "ordinal"})
        expected = core.agreement.filter(
            (core.agreement["scope"] == "section") & (core.agreement["section"] == "knowledge")
        ).row(0, named=True)
        assert knowledge.td.find_next("td")["data-alpha"] == f"{round(expected['alpha'], 2)}".replace(".", decimal)
        assert knowledge.td.find_next("td")["data-reading"] == expected["reading"]
        whole = section.find("tr", attrs={"data-section": "", "data-measurement": "ordinal"})
        assert whole.th.text == {"sv": "Hela formuläret", "en": "Whole scorecard"}[language]
        flagged = {row["data-shopper"]: row["data-flag"] for row in page.find_all("tr", attrs={"data-shopper": True})}
        assert flagged == {"hard": "harsh", "mild": "lenient", "p3": "", "p4": "", "shopper": ""}
        shown = [page.find("tr", attrs={"data-shopper": name}).strong.text for name in ("mild", "hard")]
        assert tuple(shown) == flags
        assert [li["data-left-out"] for li in page.find_all("li", attrs={"data-left-out": True})] == ["quiet", "quiet"]


async def test_the_page_is_for_consultants_only_and_says_when_there_is_nothing(client: Client, world: World) -> None:
    await log_in(client)
    empty = soup(await client.get("/console/calibration?lang=en"))
    assert "No calibration exercises yet." in empty.text
    for username in ("kund", "shopper"):
        await log_in(client, username)
        assert (await client.get("/console/calibration")).status_code == 403


def exercise_rows(response: Response) -> dict[str, tuple[str, str]]:
    """title → (status, answered) of the exercise list."""
    rows = soup(response).find_all("tr", attrs={"data-exercise": True})
    return {row.th.text: (row["data-status"], row.find_all("td")[3].text) for row in rows}


async def test_consultants_create_and_close_exercises_and_mistakes_are_said_at_their_field(
    client: Client, world: World, settings: Settings
) -> None:
    await in_app(client, create_account, "shopper2", PASSWORD, Role.shopper)
    await log_in(client)
    transcript = {"instrument": "guided-tour", "wave": "2026-Q4", "title": "Visning i text", "reference": "transcript",
                  "transcript": "Guiden hälsar …"}  # fmt: skip
    one = await post_form(client, "/console/calibration?lang=sv", {**transcript, "shoppers": ["shopper"]})
    assert one.status_code == 400
    assert field_error(one, "exercise", "shoppers").startswith("Välj minst två olika shoppers")
    assert field_value(one, "exercise", "title") == "Visning i text"  # nothing to type again
    empty = await post_form(client, "/console/calibration?lang=en",
                            {**transcript, "transcript": " ", "shoppers": ["shopper", "shopper2"]})  # fmt: skip
    assert empty.status_code == 400
    assert field_error(empty, "exercise", "transcript") == "Fill in this field."
    assert exercise_rows(await client.get("/console/calibration")) == {}  # nothing stored

    made = await post_form(client, "/console/calibration", {**transcript, "shoppers": ["shopper", "shopper2"]})
    assert (made.status_code, made.headers["location"]) == (303, "/console/calibration?done=created")

    recording = {
        **transcript,
        "title": "Inspelat samtal",
        "reference": "recording",
        "shoppers": ["shopper", "shopper2"],
    }
    text_file = await post_form(client, "/console/calibration?lang=en", recording,
                                files={"recording": ("call.txt", b"hello", "text/plain")})  # fmt: skip
    assert field_error(text_file, "exercise", "recording").startswith("The recording must be an audio or video file")
    audio, sha256 = demo_recording()
    stored = await post_form(client, "/console/calibration", recording,
                             files={"recording": ("call.wav", audio, "audio/wav")})  # fmt: skip
    assert stored.status_code == 303
    assert (settings.attachments_dir / sha256[:2] / sha256).read_bytes() == audio

    visit = {**transcript, "title": "Besök", "reference": "visit", "unit": "zorngarden/main",
             "window_start": "2026-11-02T10:00", "window_end": "2026-11-02T09:00",
             "shoppers": ["shopper", "shopper2"]}  # fmt: skip
    backwards = await post_form(client, "/console/calibration?lang=en", visit)
    assert field_error(backwards, "exercise", "window_end") == "The end must come after the start."

    listed = exercise_rows(await client.get("/console/calibration?lang=en"))
    assert listed == {"Visning i text": ("open", "0 of 2"), "Inspelat samtal": ("open", "0 of 2")}
    page = soup(await client.get("/console/calibration"))
    first = page.find("tr", attrs={"data-exercise": True, "data-status": "open"})
    action = first.form["action"]
    closed = await post_form(client, action, {}, form_page="/console/calibration")
    assert closed.headers["location"] == "/console/calibration?done=closed"
    again = await post_form(client, action, {}, form_page="/console/calibration")
    assert again.headers["location"] == "/console/calibration?done=not_open"
    assert sorted(status for status, _ in exercise_rows(await client.get("/console/calibration")).values()) == [
        "closed",
        "open",
    ]
