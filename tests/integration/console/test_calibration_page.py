"""``/console/calibration``: α per section over waves and the flagged shoppers, for consultants only, in Swedish
and English."""

from __future__ import annotations

import random

import pytest

from servicescore.accounts.account import Role
from servicescore.accounts.users import create_account
from servicescore.db.calibration import ExerciseRequest, calibration_inputs, create_exercise, record_answers
from servicescore.db.tables import User
from servicescore.definitions import load_instruments
from servicescore.scoring.calibration import calibration_tables
from servicescore.settings import Settings
from servicescore.snapshot import catalogue
from servicescore.visits.answers import AnswerRow
from tests.support.console_world import PASSWORD, Client, World, in_app, log_in, soup

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
