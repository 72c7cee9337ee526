"""The kept score tables never outlive the answers they were computed from: a change of the counted responses
shows on the next dashboard (the snapshot's fingerprint is part of every cache key, `reporting.live`)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from servicescore.formats import integer, number
from tests.support.dashboard_session import Login, figure, scored_index, seed_into, soup

RESPONSES_OF_ZORNGARDEN_Q3 = """
    SELECT r.id FROM response r
    JOIN organisation o ON o.id = r.organisation JOIN wave w ON w.id = r.wave
    JOIN instrument_version v ON v.id = r.instrument_version JOIN instrument i ON i.id = v.instrument
    WHERE o.slug = 'zorngarden' AND w.key = '2026-Q3' AND i.key = 'visitor-survey' AND r.status = 'complete'
    ORDER BY r.id
"""


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A world of this module's own: the test changes it."""
    folder = tmp_path_factory.mktemp("dashboards-fresh") / "data"
    seed_into(tmp_path_factory, folder)
    return folder


def test_a_response_no_longer_counted_changes_the_next_dashboard(login: Login, demo_dir: Path) -> None:
    before = soup(login("kund").get("/portal/dashboard"))
    assert figure(before, "n") == integer(196, "sv")
    with sqlite3.connect(demo_dir / "servicescore.sqlite3") as db:
        ids = [row[0] for row in db.execute(RESPONSES_OF_ZORNGARDEN_Q3).fetchall()[:40]]
        db.executemany(
            "UPDATE response SET status = 'partial', updated_at = '2026-10-01 12:00:00+00:00' WHERE id = ?",
            [(i,) for i in ids],
        )
    after = soup(login("kund").get("/portal/dashboard"))
    assert figure(after, "n") == integer(156, "sv")
    assert figure(after, "index") == number(scored_index(demo_dir, "zorngarden"), "sv")
