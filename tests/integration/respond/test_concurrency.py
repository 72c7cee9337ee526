"""Many respondents sending pages at the same moment: every page saved, a double tap counted once; on SQLite one
failing write in a group commit is rolled back alone."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from servicescore.db.group_commit import GroupCommitWriter
from tests.support.respond_world import World
from tests.support.respondent import VISITOR_PAGES, Client, answers_of, form_data, hidden, responses, soup

pytestmark = pytest.mark.anyio

RESPONDENTS = 24


async def test_pages_sent_at_the_same_moment_are_all_saved_once(client: Client, world: World) -> None:
    path = f"/s/{world.open_token}"
    started = []
    for _ in range(RESPONDENTS):
        client.cookies.delete("servicescore_response")
        page = soup(await client.get(path))
        started.append((hidden(page, "_csrf_token"), hidden(page, "_response")))

    async def send(csrf: str, response_id: str, number: int) -> int:
        fields = [("_csrf_token", csrf), ("_response", response_id), ("_page", str(number)), ("_nav", "next")]
        fields += list(VISITOR_PAGES[number].items())
        response = await client.post(path, data=form_data(fields), follow_redirects=False)
        return response.status_code

    for number in range(len(VISITOR_PAGES)):
        # The last page twice per respondent: a double tap racing itself.
        copies = 2 if number == len(VISITOR_PAGES) - 1 else 1
        codes = await asyncio.gather(*(send(c, r, number) for c, r in started for _ in range(copies)))
        assert set(codes) == {303}
    rows = responses(client)
    assert len(rows) == RESPONDENTS
    assert {r["status"] for r in rows} == {"complete"}
    for _, response_id in started:
        assert len(answers_of(client, response_id)) == 12


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
