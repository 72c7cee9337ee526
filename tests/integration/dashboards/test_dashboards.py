"""Dashboards on the seeded demo world: the scoring core's numbers on the page, tenants sealed off, bad filters."""

from __future__ import annotations

import re
from collections import Counter
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from servicescore.db import snapshot_reads
from servicescore.demo.world import ORGANISATIONS
from servicescore.formats import number
from tests.support.dashboard_session import WAVE, Login, demo_settings, figure, scored_index, soup


def test_the_printed_index_is_the_scoring_cores_for_zorngarden(login: Login, demo_dir: Path) -> None:
    expected = number(scored_index(demo_dir, "zorngarden"), "sv")
    consultant = soup(login("konsult").get(f"/console/dashboard?organisation=zorngarden&wave={WAVE}"))
    assert figure(consultant, "index") == expected
    client = soup(login("kund").get("/portal/dashboard"))  # the latest wave is 2026-Q3
    assert figure(client, "index") == expected
    assert client.h1.get_text(strip=True) == "Resultat för Zorngården"
    # A strong five: the founding example's organisation is far above the middle of the scale.
    assert scored_index(demo_dir, "zorngarden") > 85


def test_an_earlier_wave_and_a_unit_show_their_own_numbers(login: Login, demo_dir: Path) -> None:
    earlier = soup(login("kund").get("/portal/dashboard?wave=2026-Q1"))
    assert figure(earlier, "index") == number(scored_index(demo_dir, "zorngarden", "2026-Q1"), "sv")
    whole = soup(login("kund").get("/portal/dashboard"))
    by_unit = {
        row.th.get_text(strip=True): figure(row, "unit-index") for row in whole.select("#b0-executive_summary tbody tr")
    }
    hemmet = soup(login("kund").get("/portal/dashboard?unit=hemmet"))
    # The unit's dashboard has the unit's index as its headline, the one the whole organisation's table shows.
    assert figure(hemmet, "index") == by_unit["Zorns hem"]
    assert "Enhet: Zorns hem" in hemmet.find("p", class_="lead").get_text()


def test_the_client_of_carl_larssons_gard_sees_its_own_figures_and_no_other_name(login: Login, demo_dir: Path) -> None:
    response = login("carl").get("/portal/dashboard")
    assert response.status_code == 200
    page = soup(response)
    assert figure(page, "index") == number(scored_index(demo_dir, "carl-larssons-gard"), "sv")
    text = response.text
    assert "Carl Larssons gård" in text
    others = [o.name for o in ORGANISATIONS if o.slug != "carl-larssons-gard"]
    others += [u.name for o in ORGANISATIONS if o.slug != "carl-larssons-gard" for u in o.units]
    others += [o.slug for o in ORGANISATIONS if o.slug != "carl-larssons-gard"]
    assert [name for name in others if name in text] == []
    # Peers are there, anonymised, in the league table.
    league = [row.th.get_text(strip=True) for row in page.select(".dash-league_table tbody tr")]
    assert "Carl Larssons gård" in league
    assert {name for name in league if name != "Carl Larssons gård"} <= {f"Jämförelse {c}" for c in "ABCDEFGH"}
    assert len(league) == 7


def test_the_consultant_sees_peers_by_name(login: Login) -> None:
    page = soup(login("konsult").get("/console/dashboard?organisation=carl-larssons-gard"))
    league = [row.th.get_text(strip=True) for row in page.select(".dash-league_table tbody tr")]
    assert "Zorngården" in league
    assert not any(name.startswith("Jämförelse") for name in league)


@pytest.mark.parametrize(
    ("query", "field", "listed"),
    [
        ("wave=1999-Q1", "Mätperiod", "2026-Q3"),
        ("unit=finns-inte", "Enhet", "Zorns hem (hemmet)"),  # as the form names it and as the address takes it
        ("unit=lilla-hyttnas", "Enhet", "Zorns hem (hemmet)"),  # Carl Larssons gård's unit: unknown, like any other
        ("segment=vip", "Segment", "Ja, det är mitt första besök (first_visit)"),
        ("wave=" + "x" * 500, "Mätperiod", "2026-Q3"),
    ],
)
def test_a_filter_naming_what_is_not_there_is_a_400_that_says_what_to_choose(
    login: Login, query: str, field: str, listed: str
) -> None:
    response = login("kund").get(f"/portal/dashboard?{query}")
    assert response.status_code == 400
    alert = soup(response).find(attrs={"role": "alert"}).get_text(" ", strip=True)
    assert alert.startswith(f"{field}: Zorngården")
    assert listed in alert
    assert "Lilla Hyttnäs" not in response.text
    assert "lilla-hyttnas, " not in alert


def test_another_organisations_dashboard_answers_exactly_like_a_missing_one(login: Login) -> None:
    client = login("kund")
    other = client.get("/portal/dashboard/carl-larssons-gard")
    missing = client.get("/portal/dashboard/finns-inte")
    assert other.status_code == missing.status_code == 404
    # The same page; only the language switch link repeats the address that was asked for.
    assert other.text.replace("carl-larssons-gard", "X") == missing.text.replace("finns-inte", "X")
    assert "Carl Larssons" not in other.text
    by_query = client.get("/portal/dashboard?organisation=carl-larssons-gard")
    assert by_query.status_code == 404
    missing_by_query = client.get("/portal/dashboard?organisation=finns-inte")
    assert by_query.text.replace("carl-larssons-gard", "X") == missing_by_query.text.replace("finns-inte", "X")
    assert client.get("/portal/dashboard/zorngarden").status_code == 200
    # The consultant may choose any organisation, but not one that does not exist.
    assert login("konsult").get("/console/dashboard?organisation=finns-inte").status_code == 404
    # Roles: a client viewer never reaches the consultant's dashboard, a consultant has no portal.
    assert client.get("/console/dashboard?organisation=zorngarden").status_code == 403
    assert login("konsult").get("/portal/dashboard").status_code == 403


def test_the_portal_start_page_leads_to_every_part(login: Login) -> None:
    page = soup(login("kund").get("/portal"))
    assert page.h1.get_text(strip=True) == "Kundportalen"
    links = {a["href"] for a in page.select("main a")}
    assert {"/portal/dashboard", "/portal/reports", "/portal/exports", "/portal/cases", "/account/tokens"} <= links


def test_the_portal_start_page_shows_the_key_figures_of_the_dashboard(login: Login, demo_dir: Path) -> None:
    """Index with interval, change since the last wave and rank among the anonymised peers are the dashboard's own
    (one privacy rule), and the open cases are those of the case list."""
    home = soup(login("kund").get("/portal"))
    dashboard = soup(login("kund").get("/portal/dashboard"))
    assert home.find(id="key-figures").get_text(strip=True) == "Nyckeltal för Zorngården"
    assert figure(home, "index") == number(scored_index(demo_dir, "zorngarden"), "sv")
    for name in ("index", "index-ci", "change", "rank", "peer-mean"):
        assert figure(home, name) == figure(dashboard, name), name
    assert figure(home, "rank") is not None
    assert " av " in str(figure(home, "rank"))
    cases = soup(login("kund").get("/portal/cases"))
    assert figure(home, "open-cases") == str(len(cases.select("tr.case-row")))
    english = soup(login("kund").get("/portal?lang=en"))
    assert english.find(id="key-figures").get_text(strip=True) == "Key figures of Zorngården"
    login("kund").get("/portal?lang=sv")


def test_the_portal_carries_the_clients_colour_and_logo(login: Login) -> None:
    page = soup(login("kund").get("/portal"))
    assert page.find("link", attrs={"href": "/portal/theme.css"}) is not None
    theme = login("kund").get("/portal/theme.css")
    assert theme.headers["content-type"].startswith("text/css")
    assert "--accent:" in theme.text
    assert "url(/portal/logo)" in theme.text  # Zorngården's brand folder has a logo, like its survey pages
    logo = login("kund").get("/portal/logo")
    assert (logo.status_code, logo.headers["content-type"]) == (200, "image/svg+xml")
    assert "sandbox" in logo.headers["content-security-policy"]
    assert login("konsult").get("/portal/theme.css").status_code == 403
    assert soup(login("konsult").get("/console")).find("link", attrs={"href": "/portal/theme.css"}) is None


def test_the_consultant_chooses_an_organisation_first(login: Login) -> None:
    page = soup(login("konsult").get("/console/dashboard"))
    options = [o["value"] for o in page.select("select[name=organisation] option")]
    assert "zorngarden" in options
    assert "carl-larssons-gard" in options
    assert figure(page, "index") is None


def test_mystery_call_facts_for_a_customer_service_organisation(login: Login) -> None:
    page = soup(login("konsult").get("/console/dashboard?organisation=mobilia-telekom"))
    rows = {row.th.get_text(strip=True): [td.get_text(strip=True) for td in row.find_all("td")]
            for row in page.select(".dash-mystery_call tbody tr")}  # fmt: skip
    assert rows, "the mystery-call block is shown"
    queue = next(cells for label, cells in rows.items() if "kö" in label.lower() or "vänt" in label.lower())
    assert re.fullmatch(r"\d+ s|\d+ min( \d\d s)?", queue[1]), "a queue time prints in minutes and seconds"


def test_the_drivers_table_heads_relative_weights_as_importance_and_never_calls_them_pearson_r(login: Login) -> None:
    """The dashboard headed the relative-weight percentages "r" and said "Pearson r" about them."""
    page = soup(login("kund").get("/portal/dashboard"))
    block = page.select_one(".dash-quadrant")
    heads = [th.get_text(strip=True) for th in block.select("thead th")]
    assert heads[:2] == ["#", "Fråga"]
    assert heads[2:] == ["Betydelse (%)", "r", "Index", "Prioritet"]
    assert "Pearson" not in block.get_text()
    rows = [[td.get_text(strip=True) for td in tr.select("td")] for tr in block.select("tbody tr")]
    shares = [float(row[1].replace(",", ".")) for row in rows]
    assert sum(shares) == pytest.approx(100.0, abs=0.1 * len(shares))  # importance: shares of R², one decimal
    assert all(-1 <= float(row[2].replace(",", ".").replace("−", "-")) <= 1 for row in rows)  # r: a correlation
    # The summary's lists and the drivers' priorities follow one rule: nothing is a strength and "fix first".
    summary = page.select_one(".dash-executive_summary")
    strengths = summary.select(".two-columns > div")[0].get_text(" ", strip=True)
    fix_first = [tr.th.get_text(strip=True) for tr in block.select("tbody tr") if tr.select_one("td.fix")]
    assert [label for label in fix_first if label in strengths] == []


def test_the_legends_draw_in_the_colours_of_the_charts(login: Login) -> None:
    """The bars are the organisation's colour and the peer tick its accent; the legend said ServiceScore's blue and
    an orange the chart does not use. The quadrant's strengths too."""
    page = soup(login("konsult").get(f"/console/dashboard?organisation=zorngarden&wave={WAVE}"))
    (bar, _), *_ = Counter(str(rect["fill"]) for rect in page.select("td svg rect[height='8']")).most_common()
    (tick,) = {str(path["stroke"]) for path in page.select("td svg path[stroke-width='2.4']")}
    legends = [[str(rect["fill"]) for rect in legend.select("svg.swatch rect")] for legend in page.select(".legend")]
    assert [bar, tick] in legends
    quadrant = page.select_one("figure svg circle[r='7']")
    assert quadrant is not None
    assert [str(quadrant["stroke"]), "#d55e00", "#ffffff"] in legends


def test_a_warm_dashboard_reads_the_database_through_one_connection(
    login: Login, demo_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page's reads (the snapshot's freshness, the names) share one connection: on PostgreSQL each costs the
    client about 40 ms of CPU, and six of them were most of a warm page (361 ms)."""
    path = "/console/dashboard?organisation=zorngarden"
    first = soup(login("konsult").get(path)).find("main")
    opened: list[str] = []
    reading = snapshot_reads._reading

    def counted(url: str) -> AbstractContextManager[snapshot_reads.Read]:
        opened.append(url)
        return reading(url)

    monkeypatch.setattr(snapshot_reads, "_reading", counted)
    page = login("konsult").get(path)
    assert page.status_code == 200
    assert soup(page).find("main") == first
    assert opened == [demo_settings(demo_dir).database]
