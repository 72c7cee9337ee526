"""Downloading reports from /console/reports and /portal/reports: PDFs made from the stored data, cached until
the data changes, and a client viewer's own organisation only."""

from __future__ import annotations

import asyncio
import os
import threading
import uuid
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from servicescore import formats
from servicescore.identity import Role
from servicescore.reporting import on_demand
from servicescore.reporting.on_demand import CACHE, POOL, prune
from servicescore.scoring import scores
from servicescore.settings import Settings
from servicescore.snapshot import catalogue, load_answers, stored_instruments
from servicescore.storage import LocalStorage, storage_for
from tests.support.report_downloads import invoke, pdf_pages, pdf_text

pytestmark = pytest.mark.anyio

Client = AsyncTestClient[Litestar]
PASSWORD = "correct horse battery"
WAVE = "2026-Q3"
HANG_GUARD_SECONDS = 120  # fails a broken build instead of hanging it; no test measures time
COMPARISON = (
    f"/console/reports/pdf?report=comparison&organisation=zorngarden&organisation=carl-larssons-gard&wave={WAVE}"
    "&language=sv"
)


async def _log_in(client: Client, username: str) -> None:
    from bs4 import BeautifulSoup

    form = BeautifulSoup((await client.get("/login")).text, "html.parser")
    token = form.find("input", attrs={"name": "_csrf_token"})["value"]  # type: ignore[index]
    done = await client.post("/login", data={"username": username, "password": PASSWORD, "_csrf_token": token})
    assert done.status_code in (200, 302, 303), done.text


@pytest.fixture
async def consultant(client: Client, make_user: object) -> Client:
    await make_user("konsult", Role.consultant)  # type: ignore[operator]
    await _log_in(client, "konsult")
    return client


@pytest.fixture
async def viewer(client: Client, make_user: object) -> Client:
    await make_user("kund", Role.client, organisation="zorngarden")  # type: ignore[operator]
    await _log_in(client, "kund")
    return client


def _index(settings: Settings, organisation: str) -> str:
    """The overall visitor-survey index as the scoring core computes it, formatted as the report prints it."""
    answers = load_answers(settings, "visitor-survey")
    table = scores(answers, catalogue(settings, stored_instruments(settings)), by=("organisation",), level="overall")
    row = table.filter((pl.col("wave") == WAVE) & (pl.col("organisation") == organisation)).collect()
    return formats.number(row.item(0, "index"), "sv")


async def test_consultant_downloads_the_comparison_and_a_repeat_comes_from_the_cache(
    consultant: Client, settings: Settings, poppler: None
) -> None:
    form = await consultant.get("/console/reports")
    assert form.status_code == 200
    assert 'name="organisation"' in form.text
    assert "Carl Larssons gård" in form.text
    renders = POOL.renders
    first = await consultant.get(COMPARISON)
    assert first.status_code == 200, first.text
    assert first.headers["content-type"] == "application/pdf"
    assert 'filename="comparison-zorngarden-carl-larssons-gard-2026-Q3-sv.pdf"' in first.headers["content-disposition"]
    assert first.content.startswith(b"%PDF-")
    assert POOL.renders == renders + 1
    text = pdf_text(first.content)
    assert "Zorngården · Carl Larssons gård" in text
    assert f"Totalt {_index(settings, 'zorngarden')}" in text
    assert _index(settings, "carl-larssons-gard") in text
    pages = pdf_pages(first.content)
    assert pages >= 5
    assert f"Sida 2 av {pages}" in text
    cached = cached_pdfs(settings)
    assert len(cached) == 1

    again = await consultant.get(COMPARISON)
    assert again.status_code == 200
    assert POOL.renders == renders + 1  # no second render
    assert again.content == first.content
    assert cached_pdfs(settings) == cached


async def test_a_new_answer_makes_a_new_pdf(consultant: Client, settings: Settings, tmp_path: Path) -> None:
    url = "/console/reports/pdf?report=client&organisation=zorngarden&language=sv"
    first = await consultant.get(url)
    assert first.status_code == 200, first.text
    renders = POOL.renders
    assert (await consultant.get(url)).content == first.content
    assert POOL.renders == renders
    header = "response_id,instrument,wave,organisation,unit,item,value,na,text,submitted_at,segment"
    answer = f"{uuid.uuid4()},visitor-survey,{WAVE},zorngarden,hemmet,overall_satisfaction,1,,,2026-08-01T10:00:00Z,"
    (tmp_path / "one.csv").write_text(f"{header}\n{answer}\n", encoding="utf-8")
    imported = await invoke("responses", "import", str(tmp_path / "one.csv"))
    assert imported.exit_code == 0, imported.output
    after = await consultant.get(url)
    assert after.status_code == 200
    assert POOL.renders == renders + 1
    assert after.content != first.content
    assert len(cached_pdfs(settings)) == 2


async def test_consultant_requests_that_cannot_be_reports_say_what_is_wrong(consultant: Client) -> None:
    unknown = await consultant.get("/console/reports/pdf?report=nope&organisation=zorngarden")
    assert unknown.status_code == 404
    assert "Rapport: det finns ingen rapport ”nope”. Välj en av: client, comparison, industry." in unknown.text
    wave = await consultant.get("/console/reports/pdf?report=client&organisation=zorngarden&wave=1999-Q1")
    assert wave.status_code == 400
    assert "Mätperiod: det finns ingen mätperiod ”1999-Q1”. Välj en av: 2025-Q4, 2026-Q1" in wave.text
    missing = await consultant.get("/console/reports/pdf?report=client&organisation=ingen-sadan")
    assert missing.status_code == 404
    assert "Organisation: det finns ingen organisation ”ingen-sadan”." in missing.text
    # In English (the interface's ?lang= switch; the report's own language is ?language=).
    one = await consultant.get("/console/reports/pdf?report=comparison&organisation=zorngarden&language=en&lang=en")
    assert one.status_code == 400
    assert "Compare with: a comparison needs at least one more organisation." in one.text
    assert "Traceback" not in missing.text + wave.text + unknown.text + one.text


async def test_client_viewer_downloads_their_own_report_with_peers_anonymised(
    viewer: Client, settings: Settings, poppler: None
) -> None:
    listing = await viewer.get("/portal/reports")
    assert listing.status_code == 200
    assert f"/portal/reports/pdf?report=client&amp;wave={WAVE}&amp;language=sv" in listing.text
    assert "comparison" not in listing.text
    own = await viewer.get(f"/portal/reports/pdf?report=client&wave={WAVE}&language=sv")
    assert own.status_code == 200, own.text
    assert own.content.startswith(b"%PDF-")
    text = pdf_text(own.content)
    assert "Zorngården" in text
    assert "Jämförelse A" in text
    assert "Carl Larssons gård" not in text
    assert f"Zorngården får index {_index(settings, 'zorngarden')}" in text
    assert pdf_pages(own.content) >= 10


async def test_another_tenants_organisation_is_a_missing_one(viewer: Client) -> None:
    other = await viewer.get(f"/portal/reports/pdf?report=client&organisation=carl-larssons-gard&wave={WAVE}")
    missing = await viewer.get(f"/portal/reports/pdf?report=client&organisation=finns-inte&wave={WAVE}")
    assert other.status_code == missing.status_code == 404
    # The same page; only the language switch repeats the address asked for.
    assert other.text.replace("carl-larssons-gard", "?") == missing.text.replace("finns-inte", "?")
    assert "Carl Larssons gård" not in other.text
    named = await viewer.get(f"/portal/reports/pdf?report=comparison&organisation=zorngarden&wave={WAVE}")
    assert named.status_code == 404  # a report naming peers is not offered to a client viewer
    assert "Rapport: det finns ingen rapport ”comparison”. Välj en av: client." in named.text
    console = await viewer.get("/console/reports")
    assert console.status_code == 403


async def test_rendering_leaves_the_event_loop_free(consultant: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    composing, health_answered = threading.Event(), threading.Event()
    compose = on_demand.compose_job

    def compose_once_the_server_answered(settings: Settings, job: Any) -> Any:
        # Were the report made on the event loop, no health probe could be answered while it waits here.
        composing.set()
        if not health_answered.wait(timeout=HANG_GUARD_SECONDS):
            raise AssertionError("the server answered no health probe while a report was being made")
        return compose(settings, job)

    monkeypatch.setattr(on_demand, "compose_job", compose_once_the_server_answered)
    # The test client answers a request before it returns to the event loop, so the download runs in a thread.
    url = COMPARISON.replace("language=sv", "language=en")
    download = asyncio.create_task(asyncio.to_thread(asyncio.run, consultant.get(url)))
    assert await asyncio.to_thread(composing.wait, HANG_GUARD_SECONDS)
    assert (await consultant.get("/healthz")).status_code == 200
    assert not download.done()
    health_answered.set()
    assert (await download).status_code == 200


def cached_pdfs(settings: Settings) -> list[str]:
    return [stored.key for stored in storage_for(settings).list(CACHE)]


def test_the_cache_keeps_the_most_recently_used(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    for number in range(5):
        storage.put(f"{CACHE}/{number}.pdf", b"%PDF-")
        os.utime(storage.path(f"{CACHE}/{number}.pdf"), (1_000_000 + number, 1_000_000 + number))
    storage.touch(f"{CACHE}/0.pdf")  # just served from the cache
    removed = prune(storage, keep=3)
    assert removed == [f"{CACHE}/2.pdf", f"{CACHE}/1.pdf"]
    assert [stored.key for stored in storage.list(CACHE)] == [f"{CACHE}/{n}.pdf" for n in (0, 3, 4)]


async def test_further_organisations_are_ticked_not_ctrl_clicked(consultant: Client) -> None:
    from bs4 import BeautifulSoup

    asked = "/console/reports?report=comparison&organisation=zorngarden&organisation=carl-larssons-gard"
    page = BeautifulSoup((await consultant.get(asked)).text, "html.parser")
    assert page.find("select", attrs={"multiple": True}) is None
    compare = page.find("fieldset", id="compare")
    assert compare.legend.get_text(strip=True) == "Jämför med"
    assert "Ctrl" not in compare.get_text()
    boxes = compare.find_all("input", attrs={"type": "checkbox", "name": "organisation"})
    assert len(boxes) == 12  # every demo organisation
    assert [box["value"] for box in boxes if box.has_attr("checked")] == ["carl-larssons-gard"]
    assert all(box.find_parent("label") is not None for box in boxes)


async def test_the_portal_offers_only_reports_with_answers_each_language_named(viewer: Client, tmp_path: Path) -> None:
    """A wave where Zorngården has answers only to an instrument the client report does not read (a guided-tour
    visit in 2026-Q4) offers no report: its link answered 404 "no answers"."""
    from bs4 import BeautifulSoup

    header = "response_id,instrument,wave,organisation,unit,item,value,na,text,submitted_at,segment"
    visit = f"{uuid.uuid4()},guided-tour,2026-Q4,zorngarden,hemmet,guide_engagement,4,,,2026-11-01T10:00:00Z,"
    (tmp_path / "visit.csv").write_text(f"{header}\n{visit}\n", encoding="utf-8")
    imported = await invoke("responses", "import", str(tmp_path / "visit.csv"))
    assert imported.exit_code == 0, imported.output
    page = BeautifulSoup((await viewer.get("/portal/reports?lang=sv")).text, "html.parser")
    offers = {section.h2.get_text(strip=True): section for section in page.main.find_all("section")}
    assert list(offers) == ["Mätperiod 2026-Q3", "Mätperiod 2026-Q2", "Mätperiod 2026-Q1", "Mätperiod 2025-Q4"]
    links = offers["Mätperiod 2026-Q3"].find_all("a")
    assert [(a.get_text(strip=True), a["hreflang"]) for a in links] == [
        ("Servicerapport, 2026-Q3, Svenska (PDF)", "sv"), ("Servicerapport, 2026-Q3, English (PDF)", "en"),
    ]  # fmt: skip
    assert (await viewer.get("/portal/reports/pdf?report=client&wave=2026-Q4&language=sv")).status_code == 404


async def test_consultants_tick_adjusted_scores_and_client_viewers_cannot_ask(
    consultant: Client, poppler: None
) -> None:
    form = (await consultant.get("/console/reports?lang=en")).text
    assert 'name="adjust_shoppers" value="true">' in form  # offered, not ticked
    plain = await consultant.get(f"/console/reports/pdf?report=client&organisation=zorngarden&wave={WAVE}&language=en")
    adjusted = await consultant.get(
        f"/console/reports/pdf?report=client&organisation=zorngarden&wave={WAVE}&language=en&adjust_shoppers=true"
    )
    assert plain.status_code == adjusted.status_code == 200
    assert "Adjusted for shopper leniency" not in pdf_text(plain.content)
    assert "Adjusted for shopper leniency" in pdf_text(adjusted.content)  # the methods page says how, or why not


async def test_a_client_viewer_asking_for_adjusted_scores_is_refused(viewer: Client) -> None:
    asked = await viewer.get(f"/portal/reports/pdf?report=client&wave={WAVE}&language=sv&adjust_shoppers=true")
    assert asked.status_code == 403
    assert "%PDF" not in asked.text
