"""A consultant's journey in Chromium at desktop size: log in, create an organisation with a unit and a wave, publish
the visitor survey for the unit, open its public link and see the survey's first page. axe-core finds nothing on
any console page on the way, including a form showing its errors."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.support.browser import axe_violations, log_in
from tests.support.live_server import Server, running_server

# One worker runs the module, so its module-wide live server starts once, not once per worker that picks up a test.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("console-journey")]

DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def console_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("console-e2e")) as live:
        yield live


@pytest.fixture
def desktop(browser: Browser) -> Iterator[BrowserContext]:
    profile = browser.new_context(viewport=DESKTOP, locale="sv-SE")
    yield profile
    profile.close()


def accessible(page: Page) -> None:
    assert axe_violations(page) == [], page.url


def test_a_consultant_publishes_a_survey_and_its_link_opens_it(desktop: BrowserContext, console_server: Server) -> None:
    page = desktop.new_page()
    log_in(page, console_server)
    expect(page).to_have_url(console_server.url("/console"))
    page.get_by_role("link", name="Organisationer, enheter, jämförelsegrupper och perioder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisationer")
    accessible(page)

    new = page.locator("form[action='/console/organisations']")
    new.get_by_label("Namn", exact=True).fill("Zorngården")
    new.get_by_label("Kortnamn (i adresser och filer)").fill("Zorn gården")  # a space: refused
    new.get_by_label("Profilfärg").fill("#ffcc00")  # too light for text: refused
    new.get_by_role("button", name="Skapa organisationen").click()
    expect(page.locator("#new-slug-error")).to_contain_text("små bokstäver")
    expect(page.locator("#new-brand_colour-error")).to_contain_text("Kontrasten mot vitt")
    expect(page.get_by_label("Namn", exact=True).first).to_have_value("Zorngården")
    accessible(page)  # errors tied to their fields
    new = page.locator("form[action='/console/organisations']")
    new.get_by_label("Kortnamn (i adresser och filer)").fill("zorngarden")
    new.get_by_label("Profilfärg").fill("#7a2e1f")
    new.get_by_role("button", name="Skapa organisationen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zorngården")
    expect(page.get_by_role("status")).to_have_text("Organisationen är skapad.")

    unit = page.locator("form[action$='/units']")
    unit.get_by_label("Namn", exact=True).fill("Zornmuseet")
    unit.get_by_label("Kortnamn (i adresser och filer)").fill("museet")
    unit.get_by_label("Latitud").fill("61.0047")
    unit.get_by_label("Longitud").fill("14.5374")
    unit.get_by_role("button", name="Lägg till enheten").click()
    expect(page.locator("tr[data-unit='museet']")).to_contain_text("Zornmuseet")
    accessible(page)
    page.get_by_role("link", name="Redigera Zornmuseet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Redigera enheten Zornmuseet")
    accessible(page)

    page.goto(console_server.url("/console/organisations"))
    wave = page.locator("form[action='/console/waves']")
    wave.get_by_label("Omgång").fill("2026-Q4")
    wave.get_by_role("button", name="Skapa omgången").click()
    expect(page.locator("#waves tbody th")).to_have_text("2026-Q4")
    page.screenshot(path=console_server.data_dir / "e2e-console-organisations.png", full_page=True)

    page.goto(console_server.url("/console/collections"))
    accessible(page)
    page.get_by_role("link", name="Publicera en enkät").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publicera en enkät")
    accessible(page)
    page.get_by_label("Enkät").select_option("visitor-survey")
    page.get_by_label("Omgång").select_option(label="2026-Q4")
    page.get_by_label("Zornmuseet").check()
    today = datetime.now(UTC).date()
    page.get_by_label("Öppnar").fill(today.isoformat())
    page.get_by_label("Stänger (dagen ingår)").fill((today + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Publicera").click()
    expect(page.get_by_role("status")).to_have_text("Enkäten är publicerad. Här är länkarna.")
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "open")
    qr = page.get_by_role("img", name="QR-kod till enkäten för Zornmuseet")
    expect(qr).to_be_visible()
    # Visible comes before loaded on a busy machine: wait for the image's load (or error) before reading its width.
    loaded = (
        "image => image.complete ? image.naturalWidth"
        " : new Promise(done => { image.onload = image.onerror = () => done(image.naturalWidth); })"
    )
    assert qr.evaluate(loaded) > 0  # the QR code loaded
    accessible(page)
    page.screenshot(path=console_server.data_dir / "e2e-console-collection.png", full_page=True)

    for path in ("/console/assignments", "/console/instruments"):
        page.goto(console_server.url(path))
        accessible(page)
    page.get_by_label("XLSForm-fil (.xlsx, högst 5\u00a0MB)").set_input_files(
        files=[{"name": "form.xlsx", "mimeType": "text/html", "buffer": b"<html>not a workbook</html>"}]
    )
    page.get_by_role("button", name="Importera").click()
    expect(page.locator("#xlsform-file-error")).to_contain_text("inget sparades")
    expect(page.locator("tr[data-sheet='(file)']")).to_be_visible()
    accessible(page)  # the problem list and the error next to the file field

    page.goto(console_server.url("/console/collections"))
    page.locator("tr[data-collection] a").first.click()
    link = page.locator("a.public-link")
    url = link.get_attribute("href")
    assert url is not None
    assert url.startswith(console_server.url("/s/"))
    link.click()
    expect(page).to_have_url(url)
    expect(page.locator(".survey-title")).to_have_text("Hur var ditt besök?")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ditt besök")
    expect(page.get_by_text("Zornmuseet").first).to_be_visible()


def test_console_pages_fit_a_phone(desktop: BrowserContext, console_server: Server) -> None:
    """At 360 px wide the console's forms and tables stay inside the page: wide tables scroll in their own box."""
    page = desktop.new_page()
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, console_server)
    expect(page).to_have_url(console_server.url("/console"))
    # An organisation with a positioned unit: its table's hidden "Redigera <name>" widened the page by 45 px.
    page.goto(console_server.url("/console/organisations"))
    new = page.locator("form[action='/console/organisations']")
    new.get_by_label("Namn", exact=True).fill("Telefonens Besökscentrum i Sundborn")
    new.get_by_label("Kortnamn (i adresser och filer)").fill("telefon")
    new.get_by_role("button", name="Skapa organisationen").click()
    unit = page.locator("form[action$='/units']")
    unit.get_by_label("Namn", exact=True).fill("Besökscentret vid Lilla Hyttnäs")
    unit.get_by_label("Kortnamn (i adresser och filer)").fill("besokscentret")
    unit.get_by_label("Latitud").fill("60,6235")
    unit.get_by_label("Longitud").fill("15,7800")
    unit.get_by_role("button", name="Lägg till enheten").click()
    expect(page.locator("tr[data-unit='besokscentret']")).to_contain_text("60,6235; 15,7800")
    organisation = page.url.split("?")[0].removeprefix(console_server.url(""))
    widths = {}
    for path in ("/console/organisations", "/console/instruments", "/console/collections", "/console/assignments",
                 organisation):  # fmt: skip
        page.goto(console_server.url(path))
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
    assert widths == dict.fromkeys(widths, 360)
