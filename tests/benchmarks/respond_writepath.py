"""The respondent's write path alone in a bare Litestar handler: what ``respond_ceiling.py`` measures for a raw
driver, measured for ``servicescore.db.survey_responses``, so the two compare like for like (the issue's figures:
bare sqlite3 about 1,600 inserts/s against 350/s through Piccolo's SQLite engine; raw asyncpg 2,800/s against 1,850/s
through Piccolo).

- ``POST /insert``: ``start_response`` of a new response: one row, as the ceiling inserts one row.
- ``POST /page``: ``save_page`` of a three-answer page on one of 2,000 partial responses made at start-up: an upsert
  of three answers and an update of the response, with the response's row checked and (PostgreSQL) locked.

Served like the ceiling (``uvicorn --app-dir tests/benchmarks respond_writepath:app``) in the environment of a seeded
ServiceScore database; ``BENCH_TOKEN`` is the public link whose collection the responses belong to.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, post

from servicescore.collections.answers import StoredAnswer
from servicescore.db.collections import SurveyLink, public_link
from servicescore.db.lifecycle import database
from servicescore.db.survey_responses import save_page, start_response
from servicescore.settings import get_settings

PREPARED = 2_000
PAGE = {"staff_welcome": StoredAnswer(value=5.0), "guide_rating": StoredAnswer(na=True),
        "waiting_time": StoredAnswer(value=4.0)}  # fmt: skip
_state: dict[str, Any] = {}


@post("/insert", status_code=201)
async def insert() -> None:
    await start_response(_state["link"], uuid.uuid4(), "sv")


@post("/page", status_code=201)
async def page() -> None:
    await save_page(_state["engine"], _state["link"], next(_state["ids"]), PAGE, ("information_before",),
                    language="sv", complete=False)  # fmt: skip


@asynccontextmanager
async def lifespan(_: Litestar) -> AsyncIterator[None]:
    async with database(get_settings()) as engine:
        link: SurveyLink | None = await public_link(os.environ["BENCH_TOKEN"])
        if link is None:
            raise SystemExit("BENCH_TOKEN names no link")
        ids = [uuid.uuid4() for _ in range(PREPARED)]
        await asyncio.gather(*(start_response(link, response_id, "sv", engine=engine) for response_id in ids))
        _state.update(engine=engine, link=link, ids=itertools.cycle(ids))
        yield


app = Litestar([insert, page], lifespan=[lifespan])
