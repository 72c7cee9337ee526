"""What a shopper's phone keeps, in a phone-sized Chromium: a mystery call scored offline (position, durations,
numbers, N/A, comments, free text) survives reloads and reaches the database whole; logging out leaves nothing
for the next person on a shared phone, and never deletes unsent visits without the shopper saying yes.
"""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from tests.support.browser import small_tap_targets
from tests.support.live_server import PASSWORD, PHONE, Server, running_server
from tests.support.shopper_browser import choose, listed_as_submitted, log_in, script_ready

# One worker runs the module, so its module-wide live server starts once, not once per worker that picks up a test.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("shopper-device")]

SEED_WORLD = """
import asyncio
from servicescore.db.lifecycle import database
from servicescore.db.tables import Organisation, Unit
from servicescore.settings import Settings

async def main():
    async with database(Settings()):
        org = Organisation(slug="nordbanken-demo", name="Nordbanken (demo)")
        await org.save()
        await Unit(organisation=org.id, slug="kundtjanst", name="Kundtjänst", kind="call_centre").save()
        await Unit(organisation=org.id, slug="kontoret", name="Kontoret", kind="site",
                   latitude=59.3326, longitude=18.0649).save()

asyncio.run(main())
"""
POSITION = {"latitude": 59.3293, "longitude": 18.0686, "accuracy": 12}
NOTES = "Bollades mellan fyra personer – kundkarusellen."
# Section by section: radio choices by their label, then fields by name.
CALL_CHOICES: list[dict[str, str]] = [
    {"phone_menu": "Ej aktuellt", "queue_information": "Nej", "callback_offered": "Ja"},
    {"greeting_name_given": "Ja", "courtesy": "2", "listening": "3"},
    {"briefed_after_transfer": "Nej", "agent_knowledge": "2", "problem_solved": "Nej", "next_steps_clear": "Nej",
     "manager_reached": "Ej aktuellt"},
    {"summary_given": "Ja", "anything_else_offered": "Nej", "overall_rating": "2"},
]  # fmt: skip
CALL_FIELDS: list[dict[str, str]] = [
    {"queue_time.min": "4", "queue_time.sec": "35", "queue_information.comment": "Ingen köplats, bara musik."},
    {"listening.comment": "Avbröt två gånger."},
    {"transfers": "3"},
    {"call_duration.min": "18", "call_duration.sec": "5", "shopper_notes": NOTES},
]
TITLES = ["Att komma fram", "Hälsning och bemötande", "Ärendet", "Avslut"]


def _servicescore(data_dir: Any, *args: str, stdin: str = "") -> None:
    environment = {"SERVICESCORE_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, *args], env=environment, input=stdin, text=True, capture_output=True,
                            timeout=120, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("e2e-device")
    _servicescore(data_dir, "-c", SEED_WORLD)
    _servicescore(data_dir, "-m", "servicescore", "users", "create", "--username", "shopper2", "--role", "shopper",
                  "--name", "Kim Ek", "--password-stdin", stdin=f"{PASSWORD}\n")  # fmt: skip
    with running_server(data_dir) as live:
        for unit, instrument in (("kundtjanst", "mystery-call"), ("kontoret", "guided-tour")):
            _servicescore(data_dir, "-m", "servicescore", "assignments", "create", "--shopper", "shopper", "--unit",
                          f"nordbanken-demo/{unit}", "--instrument", instrument, "--wave", "2026-Q4", "--from",
                          "2026-01-01", "--to", "2027-12-31", "--scenario", "Fråga om ett spärrat kort.")  # fmt: skip
        yield live


@pytest.fixture
def located_phone(browser: Browser, bank: Server) -> Iterator[BrowserContext]:
    profile = browser.new_context(viewport=PHONE, locale="sv-SE", device_scale_factor=2, geolocation=POSITION,
                                  permissions=["geolocation"])  # fmt: skip
    yield profile
    profile.close()


def no_axe_violations(page: Page) -> None:
    violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in Axe().run(page).response["violations"]]
    assert violations == []
    assert small_tap_targets(page) == []


def database(server: Server) -> sqlite3.Connection:
    return sqlite3.connect(server.data_dir / "servicescore.sqlite3")


def fill_call(page: Page) -> None:
    for number, (choices, fields) in enumerate(zip(CALL_CHOICES, CALL_FIELDS, strict=True), start=1):
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLES[number - 1])
        script_ready(page)
        for item, label in choices.items():
            choose(page, item, label)
        for name, value in fields.items():
            page.locator(f'[name="{name}"]').fill(value)
        page.get_by_role("button", name="Spara och fortsätt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Avsluta och skicka in")
    script_ready(page)


def test_a_mystery_call_scored_offline_keeps_every_value(located_phone: BrowserContext, bank: Server) -> None:
    page = located_phone.new_page()
    log_in(page, bank, "shopper")
    expect(page.locator("#offline-ready")).to_be_visible(timeout=30_000)
    located_phone.set_offline(True)
    page.get_by_role("link", name=re.compile("Kundtjänst")).click()
    script_ready(page)
    page.get_by_label("Spara min position när jag startar").check()
    page.get_by_role("button", name="Starta besöket").click()
    fill_call(page)
    no_axe_violations(page)
    page.get_by_role("button", name="Avsluta och skicka in").click()
    expect(page.locator("#waiting-list")).to_contain_text("Kundtjänst")
    assignment = page.locator("#waiting-list a").get_attribute("href")
    assert assignment is not None

    # Offline, every section reloads with every value: they live in IndexedDB, not in the page.
    for number in range(1, 5):
        page.goto(bank.url(f"{assignment}/section/{number}"))
        page.reload()
        script_ready(page)
        for item, label in CALL_CHOICES[number - 1].items():
            checked = page.locator(f'.item[data-item="{item}"] label.option', has=page.locator("input:checked"))
            expect(checked).to_have_text(label)
        for name, value in CALL_FIELDS[number - 1].items():
            expect(page.locator(f'[name="{name}"]')).to_have_value(value)
    with database(bank) as connection:
        assert connection.execute("SELECT count(*) FROM response").fetchone() == (0,)

    located_phone.set_offline(False)
    page.goto(bank.url("/visits"))
    listed_as_submitted(page, "Kundtjänst")

    with database(bank) as connection:
        rows = connection.execute(
            "SELECT a.item, a.value, a.na, a.text FROM answer a JOIN response r ON r.number = a.response_number"
        ).fetchall()
        saved = connection.execute(
            "SELECT detail FROM audit_event WHERE object_type = 'visit' AND action = 'visit.saved' ORDER BY id"
        ).fetchall()
    answers = {item: (value, bool(na), text) for item, value, na, text in rows}
    assert answers == {
        "queue_time": (275.0, False, None),
        "phone_menu": (None, True, None),
        "queue_information": (0.0, False, "Ingen köplats, bara musik."),
        "callback_offered": (1.0, False, None),
        "greeting_name_given": (1.0, False, None),
        "courtesy": (2.0, False, None),
        "listening": (3.0, False, "Avbröt två gånger."),
        "transfers": (3.0, False, None),
        "briefed_after_transfer": (0.0, False, None),
        "agent_knowledge": (2.0, False, None),
        "problem_solved": (0.0, False, None),
        "next_steps_clear": (0.0, False, None),
        "manager_reached": (None, True, None),
        "summary_given": (1.0, False, None),
        "anything_else_offered": (0.0, False, None),
        "call_duration": (1085.0, False, None),
        "overall_rating": (2.0, False, None),
        "shopper_notes": (None, False, NOTES),
    }
    payload = json.loads(saved[-1][0])["payload"]
    assert payload["status"] == "submitted"
    assert payload["position"] == {"latitude": 59.3293, "longitude": 18.0686, "accuracy_m": 12.0}
    assert payload["started_at"] <= payload["ended_at"]


def unsent_visit(page: Page, bank: Server) -> None:
    """Start the guided-tour visit while the API cannot be reached (no signal for it), so it waits on the phone."""
    page.get_by_role("link", name=re.compile("Kontoret")).click()
    script_ready(page)
    page.get_by_role("button", name="Starta besöket").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mottagande")
    script_ready(page)
    choose(page, "welcome_warmth", "4")
    page.get_by_role("button", name="Spara och fortsätt").click()
    expect(page.locator(".progress")).to_have_text("Del 2 av 6")
    page.goto(bank.url("/visits"))
    expect(page.locator("#waiting-list")).to_contain_text("Kontoret")


def stored_on_phone(page: Page) -> dict[str, Any]:
    return dict(
        page.evaluate("""async () => ({
            databases: (await indexedDB.databases()).map((d) => d.name),
            caches: await caches.keys(),
            workers: (await navigator.serviceWorker.getRegistrations()).length,
        })""")
    )


NOTHING = {"databases": [], "caches": [], "workers": 0}  # what a phone keeps after a logout


def wait_for(page: Page, check: Any, timeout_s: float = 10, shown: Any = None) -> None:
    """Poll ``check`` until it holds; on failure the message carries ``shown()`` (what was there instead)."""
    deadline = time.monotonic() + timeout_s
    while not check() and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert check(), shown() if shown else "the condition never held"


def test_logging_out_warns_about_unsent_visits_and_then_leaves_nothing(
    browser: Browser, bank: Server, tmp_path: Any
) -> None:
    phone = browser.new_context(viewport=PHONE, locale="sv-SE", device_scale_factor=2)
    page = phone.new_page()
    log_in(page, bank, "shopper")
    expect(page.locator("#offline-ready")).to_be_visible(timeout=30_000)

    def no_signal(route: Route) -> None:
        route.abort("internetdisconnected")

    page.route("**/api/v1/**", no_signal)
    unsent_visit(page, bank)
    before = stored_on_phone(page)
    assert "servicescore-shopper" in before["databases"]
    assert before["caches"] == ["servicescore-shopper-v1"]

    phone.set_offline(True)  # logging out needs the server: offline the phone says so and keeps everything
    page.locator("form.logout button").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Du behöver nät för att logga ut. Allt du har fyllt i finns kvar i telefonen."
    )
    expect(page).to_have_url(bank.url("/visits"))
    phone.set_offline(False)

    # The header's button goes through /visits/logout, which finds the unsent visit and asks.
    page.locator("form.logout button").click()
    expect(page).to_have_url(bank.url("/visits/logout"))
    expect(page.locator("#unsynced")).to_be_visible()
    expect(page.locator("#unsynced-list li")).to_have_text(["Nordbanken (demo) – Kontoret"])
    expect(page.locator("#logout-plain")).to_be_hidden()
    page.screenshot(path=bank.data_dir / "e2e-shopper-logout-warning-360.png", full_page=True)
    no_axe_violations(page)
    page.locator("#logout-back").click()
    expect(page).to_have_url(bank.url("/visits"))
    expect(page.locator("#waiting-list")).to_contain_text("Kontoret")  # nothing was deleted by asking

    page.locator("form.logout button").click()
    expect(page.locator("#unsynced")).to_be_visible()
    page.locator("#logout-discard").click()
    expect(page).to_have_url(bank.url("/"))
    expect(page.get_by_role("navigation").get_by_role("link", name="Logga in")).to_be_visible()
    wait_for(page, lambda: stored_on_phone(page) == NOTHING, shown=lambda: stored_on_phone(page))

    # The next person on the phone sees none of it.
    page.unroute("**/api/v1/**")
    log_in(page, bank, "shopper2")
    expect(page).to_have_url(bank.url("/visits"))
    expect(page.locator("#visit-page")).not_to_contain_text("Kontoret")
    expect(page.locator("#group-waiting")).to_be_hidden()
    page.goto(bank.url("/visits/logout"))  # nothing unsent: logging out needs no question
    expect(page).to_have_url(bank.url("/"))
    wait_for(page, lambda: stored_on_phone(page)["databases"] == [])
    phone.close()


def test_logging_out_with_everything_sent_asks_nothing(browser: Browser, bank: Server) -> None:
    phone = browser.new_context(viewport=PHONE, locale="sv-SE", device_scale_factor=2)
    page = phone.new_page()
    log_in(page, bank, "shopper")
    expect(page.locator("#offline-ready")).to_be_visible(timeout=30_000)
    page.goto(bank.url("/visits/logout"))
    expect(page).to_have_url(bank.url("/"))
    wait_for(page, lambda: stored_on_phone(page) == NOTHING, shown=lambda: stored_on_phone(page))
    page.goto(bank.url("/visits"))
    expect(page).to_have_url(re.compile(r"/login\?next="))  # the session ended on the server too
    phone.close()
