"""Many respondents sending pages at the same moment: every page saved, a double tap counted once; twelve browsers
answering one personal invitation at once: one completion wins and nobody else is thanked; on SQLite one failing
write in a group commit is rolled back alone."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from servicescore.db.group_commit import GroupCommitWriter
from tests.support.respond_world import World
from tests.support.respondent import VISITOR_PAGES, Client, Respondent, answers_of, form_data, hidden, responses, soup

pytestmark = pytest.mark.anyio

RESPONDENTS = 24
BROWSERS = 12


async def test_pages_sent_at_the_same_moment_are_all_saved_once(client: Client, world: World) -> None:
    path = f"/s/{world.open_token}"
    started = []
    for _ in range(RESPONDENTS):
        client.cookies.delete("servicescore_response")
        page = soup(await client.get(path))
        started.append((hidden(page, "_csrf_token"), hidden(page, "_response")))

    versions = dict.fromkeys((r for _, r in started), "")  # of each response's answers, from each redirect

    async def send(csrf: str, response_id: str, number: int, version: str) -> int:
        fields = [("_csrf_token", csrf), ("_response", response_id), ("_page", str(number)), ("_nav", "next")]
        fields += [("_version", version), *VISITOR_PAGES[number].items()]
        response = await client.post(path, data=form_data(fields), follow_redirects=False)
        versions[response_id] = parse_qs(urlsplit(response.headers["location"]).query).get("version", [""])[0]
        return response.status_code

    for number in range(len(VISITOR_PAGES)):
        # The last page twice per respondent: a double tap racing itself.
        copies = 2 if number == len(VISITOR_PAGES) - 1 else 1
        sent = dict(versions)
        codes = await asyncio.gather(*(send(c, r, number, sent[r]) for c, r in started for _ in range(copies)))
        assert set(codes) == {303}
    rows = responses(client)
    assert len(rows) == RESPONDENTS
    assert {r["status"] for r in rows} == {"complete"}
    for _, response_id in started:
        assert len(answers_of(client, response_id)) == 12


async def test_one_invitation_answered_in_twelve_browsers_at_once_is_completed_once(
    client: Client, world: World
) -> None:
    """Each browser walks the four pages with a comment of its own, all of them step by step at the same moment.
    Exactly one is thanked, the stored comment is that browser's, and every other browser is told why its answers
    were not taken (the invitation answered, or the answers changed elsewhere), never thanked."""
    path = f"/i/{world.invitations[0]}"
    browsers = [Respondent(client, path) for _ in range(BROWSERS)]
    for browser in browsers:
        await browser.open()

    async def answer(number: int) -> str:
        browser = browsers[number]
        for index, answers in enumerate(VISITOR_PAGES):
            if browser.page is None or browser.page.find("input", attrs={"name": "_page"}) is None:
                break  # no form any more: thanked, or told why not
            if browser.page_index != index:
                break  # sent back to check the answers another browser changed
            await browser.send({**answers, "best_part": f"Webbläsare {number}"} if "best_part" in answers else answers)
            if browser.last is None or browser.last.status_code != 200:
                break
        assert browser.page is not None
        assert browser.last is not None
        return str(browser.last.url).rsplit("/", 1)[-1] + " " + browser.page.find("h1").get_text()

    endings = await asyncio.gather(*(answer(number) for number in range(BROWSERS)))
    thanked = [number for number, ending in enumerate(endings) if "Tack för dina svar!" in ending]
    assert len(thanked) == 1, endings
    assert all(ending.startswith("done ") == (number in thanked) for number, ending in enumerate(endings)), endings
    (row,) = responses(client)
    assert row["status"] == "complete"
    assert answers_of(client, str(row["id"]))["best_part"].text == f"Webbläsare {thanked[0]}"


async def test_a_failing_job_in_a_group_commit_is_rolled_back_alone(tmp_path: Path) -> None:
    path = tmp_path / "group.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)")
    writer = GroupCommitWriter(path)

    def insert(value: str) -> Callable[[sqlite3.Connection], int | None]:
        return lambda db: db.execute("INSERT INTO t (v) VALUES (?)", (value,)).lastrowid

    outcomes = await asyncio.gather(
        *(writer.write(insert(v)) for v in ["a", "b", "a", "c", "b", "d"]), return_exceptions=True
    )
    failures = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(failures) == 2
    assert all(isinstance(f, sqlite3.IntegrityError) for f in failures)
    values = await writer.read(lambda db: [r[0] for r in db.execute("SELECT v FROM t ORDER BY v")])
    assert values == ["a", "b", "c", "d"]
