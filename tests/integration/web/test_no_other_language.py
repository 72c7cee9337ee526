"""No English on a Swedish page or PDF, and no Swedish on an English one: the demo world as each role sees it.

The phrases looked for are the catalogue's (``servicescore.texts``): every literal stretch of an entry's text in
one language, longer than 12 characters, that its twin in the other language does not contain. A page's words are
its text and its alternative texts (``alt``, ``aria-label``, ``title``); a PDF's are its text (pdftotext) and the
alt texts of its images (the charts' accessible names, read from the HTML it is printed from).
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import string
from collections.abc import Callable, Iterator

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from httpx import Cookies
from litestar import Litestar
from litestar.testing import TestClient

from servicescore.app import create_app
from servicescore.cli import cli
from servicescore.definitions.reports.loading import load_brand, load_report
from servicescore.reporting.context import build_context
from servicescore.reporting.output import file_name, renderer_for
from servicescore.reporting.request import ReportRequest, report_brand
from servicescore.reporting.stored import from_snapshot
from servicescore.settings import Settings
from servicescore.texts import CATALOGUE
from servicescore.texts.entry import Text
from tests.support.dashboard_session import demo_settings
from tests.support.demo_world import copy_demo_world
from tests.support.report_files import pdf_text

# One worker runs the module, so its one `servicescore demo` run is shared by all its tests.
pytestmark = pytest.mark.xdist_group("language-demo")

PASSWORD = "Zorn-1909-Mora"
LONGER_THAN = 12
Pages = dict[str, str]  # what was read -> its words
Charts = dict[str, set[str]]  # what was read -> the accessible names of its charts
Read = tuple[Pages, Charts]


def _forms(text: Text) -> list[str]:
    return [text] if isinstance(text, str) else list(text.values())


def _stretches(text: Text) -> set[str]:
    """The literal parts of a text between its ``{fields}``, spaces folded."""
    return {
        " ".join(literal.split())
        for form in _forms(text)
        for literal, *_ in string.Formatter().parse(form)
        if len(" ".join(literal.split())) > LONGER_THAN
    }


def other_language_phrases(language: str) -> dict[str, str]:
    """Phrase -> its key: stretches of the other language's texts that this language's twin does not contain."""
    other = "en" if language == "sv" else "sv"
    found: dict[str, str] = {}
    for key, texts in CATALOGUE.items():
        twin = " ".join(" ".join(form.split()) for form in _forms(texts[language]))
        for stretch in _stretches(texts[other]):
            if stretch not in twin:
                found.setdefault(stretch, key)
    return found


def words_of_html(html: str) -> str:
    page = BeautifulSoup(html, "html.parser")
    for hidden in page(["script", "style", "template"]):
        hidden.decompose()
    alternatives = [
        value for element in page.find_all(True) for name in ("alt", "aria-label", "title")
        if isinstance(value := element.get(name), str)
    ]  # fmt: skip
    return " ".join(" ".join([page.get_text(" "), *alternatives]).split())


def chart_names(html: str) -> set[str]:
    """The accessible names of a page's charts: inline SVG (dashboards) and the images the PDF is printed from."""
    page = BeautifulSoup(html, "html.parser")
    inline = [svg.get("aria-label") for svg in page.select('svg[role="img"]')]
    images = [image.get("alt") for image in page.select("img.svg")]
    return {str(name) for name in (*inline, *images) if name is not None}


def catalogue_chart_names(language: str) -> set[str]:
    return {str(texts[language]) for key, texts in CATALOGUE.items() if key.startswith("chart.")}


def other_language_on(pages: Pages, language: str) -> dict[str, list[str]]:
    """Per page, the other language's phrases found on it (after checking that it does speak ``language``)."""
    own = other_language_phrases("en" if language == "sv" else "sv")
    assert [where for where, words in pages.items() if not any(phrase in words for phrase in own)] == []
    phrases = other_language_phrases(language)
    return {
        where: sorted(f"{phrase} ({key})" for phrase, key in phrases.items() if phrase in words)
        for where, words in pages.items()
        if any(phrase in words for phrase in phrases)
    }


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """The demo as `servicescore demo --no-serve` leaves it: the seeded world (a copy of the run's), its accounts,
    the shopper's visits and its Swedish PDFs."""
    folder = copy_demo_world(tmp_path_factory, tmp_path_factory.mktemp("language") / "data")
    with pytest.MonkeyPatch.context() as environment:
        for name in ("SERVICESCORE_DATABASE_URL", "SERVICESCORE_SECRET_KEY", "SERVICESCORE_QUEUE_URL"):
            environment.delenv(name, raising=False)
        environment.setenv("SERVICESCORE_DATA_DIR", str(folder))
        environment.setenv("SERVICESCORE_DEMO_PASSWORD", PASSWORD)
        result = CliRunner().invoke(cli, ["demo", "--no-serve"])
        assert result.exit_code == 0, result.output
        yield demo_settings(folder)


def _public_link(settings: Settings) -> str:
    with sqlite3.connect(settings.data_dir / "servicescore.sqlite3") as connection:
        (token,) = connection.execute("SELECT token FROM collection_link ORDER BY id LIMIT 1").fetchone()
    return f"/s/{token}"


def _first_visit(client: TestClient[Litestar], path: str) -> str:
    """The first link under ``path`` on the page ``path`` (a visit to review)."""
    page = BeautifulSoup(client.get(path).text, "html.parser")
    links = [
        href for a in page.find_all("a", href=True) if re.fullmatch(rf"{path}/[0-9a-f-]{{36}}", href := str(a["href"]))
    ]
    assert links, f"no visit listed on {path}"
    return str(links[0])


@pytest.fixture(scope="module")
def web_pages(demo: Settings) -> Callable[[str], Read]:
    """``web_pages("sv")``: the words of a set of pages of each role, in the language."""

    def read(language: str) -> Read:
        pages: Pages = {}
        charts: Charts = {}
        with TestClient(app=create_app(demo), base_url="http://127.0.0.1") as client:
            for username, paths in (
                ("konsult", ["/console", "/console/dashboard/zorngarden", "/console/review", "review"]),
                ("kund", ["/portal", "/portal/dashboard"]),
                ("shopper", ["/visits"]),
            ):
                client.cookies = Cookies()
                client.get("/login", params={"lang": language})
                form = BeautifulSoup(client.get("/login").text, "html.parser")
                token = form.find("input", attrs={"name": "_csrf_token"})["value"]  # type: ignore[index]
                data = {"username": username, "password": PASSWORD, "next": "", "_csrf_token": token}
                assert client.post("/login", data=data, follow_redirects=False).status_code == 303
                for asked in paths:
                    path = _first_visit(client, "/console/review") if asked == "review" else asked
                    response = client.get(path)
                    assert response.status_code == 200, path
                    pages[f"{username} {path}"] = words_of_html(response.text)
                    charts[f"{username} {path}"] = chart_names(response.text)
            client.cookies = Cookies()
            response = client.get(_public_link(demo), params={"lang": language})
            assert response.status_code == 200
            pages["respondent, first page"] = words_of_html(response.text)
        return pages, charts

    return read


@pytest.fixture(scope="module")
def client_report(demo: Settings, requires: Callable[..., None]) -> Callable[[str], Read]:
    """``client_report("sv")``: the words of the demo's client report of Zorngården: its PDF's text and the alt
    texts of the HTML it is printed from (the Swedish PDF is the one the demo wrote)."""
    requires("poppler-utils (pdftotext)", available=shutil.which("pdftotext") is not None)

    def read(language: str) -> Read:
        data = from_snapshot(demo)
        definition = load_report(demo.reports_dir, "client")
        brand = load_brand(demo.reports_dir / "brands", report_brand(data, definition, ("zorngarden",)))
        context = build_context(data, ReportRequest(definition, ("zorngarden",), language), brand)  # type: ignore[arg-type]
        renderer = renderer_for(demo)
        pdf = demo.reports_out_dir / file_name("client", "zorngarden", None, language)
        if language != "sv":
            renderer.pdf(context, brand, pdf)
        assert pdf.is_file()
        html = renderer.job(context, brand).html
        alternatives = BeautifulSoup(html, "html.parser").find_all("img", alt=True)
        assert len(alternatives) > 30  # the charts, each with its accessible name
        words = {
            f"PDF {pdf.name}": " ".join(pdf_text(pdf).split()),
            "PDF alt texts": " | ".join(str(image["alt"]) for image in alternatives),
        }
        return words, {"PDF charts": chart_names(html)}

    return read


def test_the_phrases_are_what_the_catalogue_says() -> None:
    # The looked-for phrases include the charts' English names and exclude words both languages share.
    english = other_language_phrases("sv")
    assert english["Index with its 95% interval and the peer mean"] == "chart.index_bar"
    assert "ServiceScore" not in english
    assert english["case is past its due time without contact."] == "cases.overdue_count"


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_client_report_speaks_its_language_and_so_do_its_charts(
    client_report: Callable[[str], Read], language: str
) -> None:
    words, charts = client_report(language)
    assert other_language_on(words, language) == {}
    assert charts["PDF charts"]
    assert {where: names - catalogue_chart_names(language) for where, names in charts.items()} == {"PDF charts": set()}


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_pages_of_each_role_speak_their_language_and_so_do_their_charts(
    web_pages: Callable[[str], Read], language: str
) -> None:
    words, charts = web_pages(language)
    assert len(words) == 8
    assert other_language_on(words, language) == {}
    assert charts["konsult /console/dashboard/zorngarden"]
    assert {where: names - catalogue_chart_names(language) for where, names in charts.items() if names} == {
        where: set() for where, names in charts.items() if names
    }


@pytest.mark.parametrize(("language", "wrong"), [("sv", r"\d%"), ("en", r"\d %")])
def test_shares_are_written_as_the_language_writes_them(
    web_pages: Callable[[str], Read], language: str, wrong: str
) -> None:
    """ "48 %" in Swedish, "48%" in English, also in a caption's "95% interval" (the dashboard's mirror said "95 %")."""
    words, _ = web_pages(language)
    assert {where: re.findall(rf".{{30}}{wrong}.{{0,20}}", text) for where, text in words.items()} == {
        where: [] for where in words
    }


def test_the_demo_shoppers_windows_run_from_midnight_to_midnight(web_pages: Callable[[str], Read]) -> None:
    """The demo's windows are Stockholm's days: "1 oktober 2026, 00:00 – 1 januari 2027, 00:00" (they were UTC
    midnights, which a Swedish page shows as 02:00 and 01:00)."""
    words, _ = web_pages("sv")
    visits = words["shopper /visits"]
    assert "1 oktober 2026, 00:00 – 1 januari 2027, 00:00" in visits
    assert re.findall(r"\d{4}, 0[12]:00", visits) == []
