"""Suppression on dashboards: with a minimum group size of 70, Zorngården's units (64–66 answers in 2026-Q3)
show no figure, their comments are not quoted, and a unit under the minimum has no headline at all."""

from __future__ import annotations

import pytest

from tests.support.dashboard_session import Login, figure, soup


@pytest.fixture(scope="module")
def settings_overrides() -> dict[str, object]:
    return {"min_group_size": 70}


def test_a_suppressed_unit_shows_no_figure(login: Login) -> None:
    page = soup(login("kund").get("/portal/dashboard"))
    assert figure(page, "index") is not None, "the whole organisation (196 answers) is shown"
    rows = page.select("#b0-executive_summary tbody tr")
    assert len(rows) == 3
    for row in rows:
        cells = [td.get_text(strip=True) for td in row.find_all("td")]
        assert cells[1:3] == ["–", "för få svar"], cells
        assert row.find("svg").find("rect", attrs={"height": "8"}) is None, "no bar for a suppressed unit"
    assert page.select(".dash-comments blockquote") == []
    assert "fewer than 70" in login("kund").get("/portal/dashboard?lang=en").text


def test_a_unit_under_the_minimum_has_no_headline(login: Login) -> None:
    response = login("kund").get("/portal/dashboard?unit=hemmet")
    assert response.status_code == 200
    page = soup(response)
    assert figure(page, "index") is None
    league = {row.th.get_text(strip=True): [td.get_text(strip=True) for td in row.find_all("td")]
              for row in page.select(".dash-league_table tbody tr")}  # fmt: skip
    assert league["Zorngården"][2] == "–"
