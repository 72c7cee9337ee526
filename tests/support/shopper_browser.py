"""The shopper's phone in the browser: the demo shop seeded by a script, logging in, waiting for the page script,
choosing an option, filling a guided-tour visit with a photo, checking a page's accessibility, waiting for the outbox
to deliver."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import time
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import Page, expect

from tests.support.browser import small_tap_targets
from tests.support.live_server import PASSWORD, Server

SECTIONS: list[dict[str, str]] = [
    {"started_on_time": "Ja", "group_welcomed": "Ja", "guide_introduced": "Nej", "welcome_warmth": "3"},
    {"knowledge_depth": "3", "answers_questions": "Ej aktuellt", "facts_accurate": "Ja"},
    {"guide_engagement": "2", "storytelling": "3", "eye_contact": "Nej"},
    {"daily_life": "3", "residents_relationships": "2"},
    {"everyone_could_hear": "Ja", "questions_welcomed": "Nej", "pace": "2"},
    {"clear_ending": "Ja", "overall_rating": "3", "would_recommend": "5"},
]
COMMENT = "Guiden rabblade visningen utantill och tittade i golvet."
SEED_WORLD = """
import asyncio, sys
from servicescore.db.lifecycle import database
from servicescore.db.tables import Organisation, Unit
from servicescore.settings import Settings

async def main():
    async with database(Settings()):
        org = Organisation(slug="carl-larssons-gard", name="Carl Larssons gård")
        await org.save()
        for slug, name, lat, lon in (("lilla-hyttnas", "Lilla Hyttnäs", 60.624, 15.779),
                                     ("besokscentret", "Besökscentret", 60.6235, 15.78)):
            await Unit(organisation=org.id, slug=slug, name=name, latitude=lat, longitude=lon).save()

asyncio.run(main())
"""


def log_in(page: Page, server: Server, username: str) -> None:
    page.goto(server.url("/login"))
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()


def script_ready(page: Page) -> None:
    """Wait until the page script has taken over the forms (a tap before that would post to the server)."""
    expect(page.locator("html[data-visit-script='ready']")).to_have_count(1)


def choose(page: Page, item: str, label: str) -> None:
    options = page.locator(f'.item[data-item="{item}"] label.option')
    options.filter(has_text=re.compile(f"^{re.escape(label)}$")).click()


def listed_as_submitted(page: Page, unit: str) -> None:
    """Reload the list until the server shows the visit as submitted: the outbox sends in the background."""
    deadline = time.monotonic() + 30
    submitted = page.locator('section[aria-labelledby="h-submitted"]')
    while time.monotonic() < deadline and not (submitted.count() and unit in (submitted.text_content() or "")):
        page.wait_for_timeout(500)
        page.reload()
    expect(submitted).to_contain_text(unit)
    expect(page.locator("#group-waiting")).to_be_hidden()


def run_python(*args: str, data_dir: Path) -> str:
    environment = {"SERVICESCORE_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, *args], env=environment, text=True, capture_output=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def photo_file(folder: Path) -> Path:
    path = folder / "entre.jpg"
    image = Image.new("RGB", (2400, 1800), (150, 60, 40))
    out = io.BytesIO()
    image.save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return path


def fill_visit(page: Page, folder: Path) -> None:
    for number, answers in enumerate(SECTIONS, start=1):
        expect(page.locator(".progress")).to_have_text(f"Del {number} av 6")
        script_ready(page)
        if number == 1:
            page.locator('input[name="entrance_photo.photo"]').set_input_files(photo_file(folder))
            expect(page.locator('[data-photos-for="entrance_photo"]')).to_have_text("Sparade foton: 1")
        for item, label in answers.items():
            choose(page, item, label)
        if number == 3:
            page.locator('textarea[name="guide_engagement.comment"]').fill(COMMENT)
        if number == 6:
            page.locator('input[name="tour_duration.min"]').fill("35")
        page.get_by_role("button", name="Spara och fortsätt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Avsluta och skicka in")
    script_ready(page)


def accessible(page: Page) -> None:
    """axe-core finds no violation and every visible control is at least 44 px both ways."""
    violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in Axe().run(page).response["violations"]]
    assert violations == []
    assert small_tap_targets(page) == []
