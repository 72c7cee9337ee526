"""The shopper's offline journey in a phone-sized Chromium, and the consultant's review after it.

Log in as `shopper`, cut the network, fill the guided-tour scorecard for Carl Larssons gård with a photo,
reload while offline and find every answer, come back online and watch it sync; `konsult` approves it and it
is counted in the scores; a second visit is returned with a comment, corrected on the phone and resubmitted.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, expect

from servicescore.settings import Settings
from servicescore.snapshot import load_answers
from tests.support.browser import small_tap_targets
from tests.support.live_server import PHONE, Server, running_server
from tests.support.shopper_browser import (
    COMMENT,
    SEED_WORLD,
    accessible,
    fill_visit,
    listed_as_submitted,
    log_in,
    run_python,
    script_ready,
)

# One worker runs the module, so its module-wide live server starts once, not once per worker that picks up a test.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("shopper-offline")]


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("e2e-shopper")
    run_python("-c", SEED_WORLD, data_dir=data_dir)
    with running_server(data_dir) as live:
        for unit in ("lilla-hyttnas", "besokscentret"):
            run_python("-m", "servicescore", "assignments", "create", "--shopper", "shopper", "--unit",
                 f"carl-larssons-gard/{unit}", "--instrument", "guided-tour", "--wave", "2026-Q4",
                 "--from", "2026-01-01", "--to", "2027-12-31", "--scenario", "Boka visningen kl. 11.",
                 data_dir=data_dir)  # fmt: skip
        yield live


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    profile = browser.new_context(viewport=PHONE, locale="sv-SE", device_scale_factor=2)
    yield profile
    profile.close()


def stored(server: Server) -> pl.DataFrame:
    # The server's own embedded database, whatever SERVICESCORE_DATABASE_URL the test run has (CI sets one).
    settings = Settings(data_dir=server.data_dir, database_url=f"sqlite:///{server.data_dir / 'servicescore.sqlite3'}")
    return load_answers(settings, "guided-tour").collect()


def test_offline_visit_syncs_and_counts_once_approved(browser: Browser, phone: BrowserContext, shop: Server,
                                                      tmp_path: Path) -> None:  # fmt: skip
    page = phone.new_page()
    log_in(page, shop, "shopper")
    expect(page).to_have_url(shop.url("/visits"))
    expect(page.locator("#offline-ready")).to_be_visible(timeout=30_000)  # the service worker holds the pages
    page.screenshot(path=shop.data_dir / "e2e-shopper-home-360.png")
    assert Axe().run(page).response["violations"] == []
    assert small_tap_targets(page) == []

    phone.set_offline(True)
    page.get_by_role("link", name=re.compile("Lilla Hyttnäs")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Carl Larssons gård – Lilla Hyttnäs")
    assert Axe().run(page).response["violations"] == []
    assert small_tap_targets(page) == []
    script_ready(page)
    page.get_by_role("button", name="Starta besöket").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mottagande")
    page.screenshot(path=shop.data_dir / "e2e-shopper-scorecard-360.png")
    violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in Axe().run(page).response["violations"]]
    assert violations == []
    assert small_tap_targets(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    fill_visit(page, tmp_path)
    accessible(page)  # the finish page
    page.get_by_role("button", name="Avsluta och skicka in").click()
    expect(page.locator("#waiting-list")).to_contain_text("Lilla Hyttnäs")
    # Listed once: the list kept for offline use also had it under "Att göra", as if nothing had been done.
    expect(page.locator(".visit-link:visible", has_text="Lilla Hyttnäs")).to_have_count(1)
    accessible(page)  # the list with a visit waiting to sync

    # Offline, a reload of a filled section finds every answer: they live in IndexedDB.
    page.goto(shop.url("/visits/1/section/3"))
    page.reload()
    expect(page.locator('.item[data-item="guide_engagement"] input[value="2"]')).to_be_checked()
    expect(page.locator('.item[data-item="eye_contact"] input[value="no"]')).to_be_checked()
    expect(page.locator('textarea[name="guide_engagement.comment"]')).to_have_value(COMMENT)
    assert stored(shop).height == 0

    phone.set_offline(False)
    page.goto(shop.url("/visits"))
    listed_as_submitted(page, "Lilla Hyttnäs")
    script_ready(page)
    accessible(page)  # the list with a submitted visit
    page.goto(shop.url("/visits/1/section/1"))  # submitted: read-only until the consultant decides
    expect(page.locator(".notice")).to_be_visible()
    script_ready(page)
    accessible(page)

    consultant = browser.new_context(viewport=PHONE, locale="sv-SE")
    review = consultant.new_page()
    log_in(review, shop, "konsult")
    review.get_by_role("link", name=re.compile("Granska inskickade besök")).click()
    accessible(review)  # the queue
    review.get_by_role("link", name=re.compile("Lilla Hyttnäs")).click()
    expect(review.locator('dd[data-item="guide_engagement"]')).to_contain_text(COMMENT)
    expect(review.locator(".photo-thumbs img")).to_have_count(1)
    review.screenshot(path=shop.data_dir / "e2e-review-detail-360.png", full_page=True)
    accessible(review)  # the visit with its photo, flags and history
    expect(review.locator(".photo-thumbs img")).to_have_count(1)
    assert review.locator(".photo-thumbs img").evaluate("img => img.naturalWidth") == 2048
    review.get_by_role("button", name="Godkänn").click()
    expect(review.get_by_role("status")).to_have_text("Besöket är nu godkänt.")
    accessible(review)  # the queue after a decision
    consultant.close()

    answers = stored(shop)
    assert answers.get_column("response_id").n_unique() == 1
    assert answers.height == 19
    by_item = dict(zip(answers.get_column("item").to_list(), answers.get_column("value").to_list(), strict=True))
    assert (by_item["guide_engagement"], by_item["tour_duration"], by_item["would_recommend"]) == (2.0, 2100.0, 5.0)
    scores = subprocess.run(
        [sys.executable, "-m", "servicescore", "scores", "--instrument", "guided-tour", "--format", "json"],
        env={"SERVICESCORE_DATA_DIR": str(shop.data_dir), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert scores.returncode == 0, scores.stderr
    assert json.loads(scores.stdout)[0]["n"] == 1


def test_a_returned_visit_is_corrected_and_resubmitted(browser: Browser, phone: BrowserContext, shop: Server,
                                                       tmp_path: Path) -> None:  # fmt: skip
    page = phone.new_page()
    log_in(page, shop, "shopper")
    page.get_by_role("link", name=re.compile("Besökscentret")).click()
    script_ready(page)
    page.get_by_role("button", name="Starta besöket").click()
    fill_visit(page, tmp_path)
    page.get_by_role("button", name="Avsluta och skicka in").click()
    listed_as_submitted(page, "Besökscentret")

    consultant = browser.new_context(viewport=PHONE, locale="sv-SE")
    review = consultant.new_page()
    log_in(review, shop, "konsult")
    review.goto(shop.url("/console/review"))
    review.get_by_role("link", name=re.compile("Besökscentret")).click()
    review.get_by_label("Kommentar till shoppern").fill("Ange hur lång visningen var i minuter, inte 35.")
    review.get_by_role("button", name="Skicka tillbaka").click()
    expect(review.get_by_role("status")).to_have_text("Besöket är nu återsänt.")

    page.goto(shop.url("/visits"))
    returned = page.locator('section[aria-labelledby="h-returned"]')
    expect(returned).to_contain_text("Ange hur lång visningen var i minuter")
    script_ready(page)
    accessible(page)  # the list with a returned visit and its comment
    page.screenshot(path=shop.data_dir / "e2e-shopper-list-returned-360.png", full_page=True)
    returned.get_by_role("link", name=re.compile("Besökscentret")).click()
    expect(page.locator(".review-comment")).to_contain_text("Ange hur lång visningen var i minuter")
    script_ready(page)
    accessible(page)  # the brief of a returned visit
    page.get_by_role("link", name="Fortsätt besöket").click()
    for number in range(1, 6):
        # The section's own number first: the previous page keeps its "ready" mark until it is replaced.
        expect(page.locator(".progress")).to_have_text(f"Del {number} av 6")
        script_ready(page)
        page.get_by_role("button", name="Spara och fortsätt").click()
    expect(page.locator(".progress")).to_have_text("Del 6 av 6")
    script_ready(page)
    page.locator('input[name="tour_duration.min"]').fill("52")
    page.get_by_role("button", name="Spara och fortsätt").click()
    script_ready(page)
    page.get_by_role("button", name="Avsluta och skicka in").click()
    listed_as_submitted(page, "Besökscentret")

    review.goto(shop.url("/console/review"))
    review.get_by_role("link", name=re.compile("Besökscentret")).click()
    expect(review.locator('dd[data-item="tour_duration"]')).to_contain_text("52 min")  # 3,120 s in words
    history = review.locator('section[aria-labelledby="h-history"] li')
    expect(history.filter(has_text="Skickade tillbaka besöket")).to_have_count(1)  # events read as sentences
    expect(history.filter(has_text="Skickade tillbaka besöket")).to_contain_text("Ange hur lång visningen var")
    expect(history.last).to_contain_text("Skickade in version")
    consultant.close()
