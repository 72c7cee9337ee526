"""A shopper's calibration journey in a phone-sized Chromium: find the exercise from the visit list, score the
recorded call alone (nothing of the panel shows), send, and after the consultant closes it see their own answers
beside the panel's consensus; the pages fit the phone's width, every control is big enough to tap, and axe finds
nothing."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import axe_violations, small_tap_targets
from tests.support.live_server import PHONE, Server, running_server
from tests.support.shopper_browser import choose, log_in

pytestmark = pytest.mark.browser

SEED = """
import asyncio
from servicescore.identity import Role
from servicescore.accounts.users import create_account
from servicescore.db.attachments import attachment_key
from servicescore.db.calibration import ExerciseRequest, create_exercise, record_answers
from servicescore.db.lifecycle import database
from servicescore.db.tables import User
from servicescore.definitions import load_instruments
from servicescore.demo.calibration import recording
from servicescore.settings import Settings
from servicescore.storage import storage_for
from servicescore.visits.answers import AnswerRow

async def main():
    settings = Settings()
    audio, sha = recording()
    storage_for(settings).put_once(attachment_key(sha), audio)
    async with database(settings) as engine:
        for name in ("panel2", "panel3"):
            await create_account(name, "x" * 12, Role.shopper)
        definitions = {d.id: d for d in load_instruments(settings.surveys_dir)}
        request = ExerciseRequest("mystery-call", "2026-Q4", "Inspelat samtal", "recording",
                                  ("shopper", "panel2", "panel3"), file_sha256=sha, file_type="audio/wav",
                                  transcript="Kunden ringer om ett spärrat kort.")
        exercise = await create_exercise(engine, request, definitions)
        ids = {row["username"]: row["id"] for row in await User.select(User.id, User.username)}
        for name, courtesy in (("panel2", 4.0), ("panel3", 4.0)):
            rows = [AnswerRow("courtesy", courtesy, False, None), AnswerRow("greeting_name_given", 0.0, False, None)]
            await record_answers(engine, exercise, ids[name], rows)
        print(exercise)

asyncio.run(main())
"""
CLOSE = """
import asyncio, sys
from servicescore.db.calibration import close_exercise
from servicescore.db.lifecycle import database
from servicescore.settings import Settings

async def main():
    async with database(Settings()) as engine:
        await close_exercise(engine, int(sys.argv[1]))

asyncio.run(main())
"""


def python(server: Server, script: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", script, *args], env=server.environment(), text=True,
                          capture_output=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture(scope="module")
def panel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str]]:
    with running_server(tmp_path_factory.mktemp("e2e-calibration")) as live:
        yield live, python(live, SEED)


def fits_the_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert small_tap_targets(page) == []
    assert axe_violations(page) == [], page.url


def test_a_shopper_calibrates_on_a_phone(page: Page, panel: tuple[Server, str]) -> None:
    server, exercise = panel
    log_in(page, server, "shopper")
    fits_the_phone(page)  # the visit list with its link to the exercises
    page.get_by_role("link", name="Kalibreringsövningar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kalibrering")
    fits_the_phone(page)
    page.get_by_role("link", name="Inspelat samtal").click()
    expect(page.locator("audio")).to_have_attribute("src", f"/visits/calibration/{exercise}/recording")
    expect(page.get_by_text("Panelen")).to_have_count(0)
    fits_the_phone(page)
    choose(page, "courtesy", "2")
    choose(page, "greeting_name_given", "Ja")
    page.locator('input[name="queue_time.min"]').fill("4")
    page.get_by_role("button", name="Skicka svaren").click()
    expect(page.get_by_role("status")).to_have_text("Dina svar är sparade.")
    expect(page.locator('.item[data-item="courtesy"] input[value="2"]')).to_be_checked()

    python(server, CLOSE, exercise)
    page.reload()
    courtesy = page.locator('tr[data-item="courtesy"] td')
    expect(courtesy).to_have_text(["2", "4"])  # the median of 2, 4, 4
    expect(page.locator('tr[data-item="greeting_name_given"] td')).to_have_text(["Ja", "Nej"])
    expect(page.locator('tr[data-item="queue_time"] td')).to_have_text(["4 min", "4 min"])
    expect(page.get_by_role("button", name="Skicka svaren")).to_have_count(0)
    fits_the_phone(page)
