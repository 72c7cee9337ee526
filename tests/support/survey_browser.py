"""A respondent's survey in the browser: the survey under test, the checks at each state, answering a question."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page

from tests.support.browser import axe_violations, small_tap_targets
from tests.support.live_server import PHONE, Server

DESKTOP = {"width": 1280, "height": 800}


@dataclass(frozen=True)
class Survey:
    server: Server
    path: str

    @property
    def url(self) -> str:
        return self.server.url(self.path)

    def stored(self, response_id: str) -> tuple[tuple[str, str], dict[str, tuple[float | None, int, str | None]]]:
        with sqlite3.connect(self.server.data_dir / "servicescore.sqlite3") as db:
            status = db.execute("SELECT status, language FROM response WHERE id = ?", (response_id,)).fetchone()
            rows = db.execute(
                "SELECT a.item, a.value, a.na, a.text FROM answer a JOIN response r ON r.number = a.response_number"
                " WHERE r.id = ?",
                (response_id,),
            )
            return status, {item: (value, na, text) for item, value, na, text in rows}


def check_state(page: Page, name: str, shots: Path) -> None:
    """axe-core clean, big enough tap targets and nothing wider than the screen, at phone and desktop size."""
    page.screenshot(path=shots / f"respond-{name}-360.png", full_page=True)
    for size in (PHONE, DESKTOP):
        page.set_viewport_size(size)
        violations = axe_violations(page)
        assert violations == [], f"{name} at {size['width']}: {json.dumps(violations, indent=1)}"
        assert small_tap_targets(page) == [], name
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], name
    page.set_viewport_size(PHONE)


def choose(page: Page, question: str, option: str) -> None:
    page.get_by_role("group", name=question).get_by_label(option, exact=True).check()
