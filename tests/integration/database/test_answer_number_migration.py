"""Migration m0023 numbers the responses of a database that already holds some, and points their answers at the
numbers: nothing lost, the cascades and the change log as before."""

from __future__ import annotations

import contextlib
import io
import uuid
from datetime import UTC, datetime

import pytest
from piccolo.apps.migrations.commands.forwards import ForwardsMigrationManager

from servicescore.db.engine import open_database
from servicescore.db.migrate import APP_NAME, migrate
from servicescore.db.tables import Answer, Attachment, Case, Response
from tests.support.answer_rows import of_response
from tests.support.response_rows import response_rows

pytestmark = pytest.mark.anyio

BEFORE_NUMBERS = "2026-12-07T01:40:00:000000"  # m0022, the last migration with answers keyed by the response's id
RESPONSES = [str(uuid.UUID(int=n, version=4)) for n in (9, 3, 7)]  # stored in this order, not in id order


async def _changes() -> list[str]:
    rows = await Response.raw("SELECT response FROM snapshot_change ORDER BY seq")
    return [str(row["response"]) for row in rows]


async def test_stored_answers_follow_their_responses_through_the_migration(database_url: str) -> None:
    await open_database(database_url)
    with contextlib.redirect_stdout(io.StringIO()):
        done = await ForwardsMigrationManager(app_name=APP_NAME, migration_id=BEFORE_NUMBERS).run()
    assert done.success, done.message
    rows = await response_rows()
    for index, response_id in enumerate(RESPONSES):  # written as m0022's schema was: the classes know m0023's
        await Response.raw(
            "INSERT INTO response (id, instrument_version, wave, organisation, unit, status)"
            " VALUES ({}, {}, {}, {}, {}, 'complete')",
            response_id, rows.version.id, rows.wave.id, rows.organisation.id, rows.unit.id,
        )  # fmt: skip
        for item, value in (("overall", 5.0 - index), ("guide", 1.0 + index)):
            await Response.raw(
                "INSERT INTO answer (response, item, value) VALUES ({}, {}, {})", response_id, item, value
            )
    await Response.raw(
        "INSERT INTO follow_up_case (response, organisation, due_at) VALUES ({}, {}, {})",
        RESPONSES[0], rows.organisation.id, datetime(2026, 12, 8, tzinfo=UTC),
    )  # fmt: skip
    await Response.raw(
        "INSERT INTO attachment (response, item, sha256, content_type, size) VALUES ({}, 'photo', {}, 'image/jpeg', 1)",
        RESPONSES[0], "ab" * 32,
    )  # fmt: skip

    assert "2026-12-07T09:30:00:000000" in await migrate()

    numbered = await Response.select(Response.id, Response.number).order_by(Response.number).run()
    assert [str(r["id"]) for r in numbered] == RESPONSES, "numbered in the order they were stored"
    assert len({r["number"] for r in numbered}) == 3
    stored = await Answer.select(Answer.response_number._.id.as_alias("response"), Answer.item, Answer.value).run()
    assert sorted((str(r["response"]), r["item"], r["value"]) for r in stored) == sorted(
        (response_id, item, value)
        for index, response_id in enumerate(RESPONSES)
        for item, value in (("overall", 5.0 - index), ("guide", 1.0 + index))
    )

    # The change log still hears of an answer changed, by its response's id.
    before = await _changes()
    await Answer.update({Answer.value: 2.0}).where(of_response(RESPONSES[1]) & (Answer.item == "overall")).run()
    after = await _changes()
    assert after[-1] == RESPONSES[1]
    assert len(after) == len(before) == 3, "one change row per response, replaced"

    # A new response gets the next number; deleting a response still deletes its answers, case and attachment.
    await Response.insert(
        Response(id=uuid.uuid4(), instrument_version=rows.version.id, wave=rows.wave.id,
                 organisation=rows.organisation.id, unit=rows.unit.id, status="partial")
    ).run()  # fmt: skip
    numbers = [r["number"] for r in await Response.select(Response.number).order_by(Response.number).run()]
    assert numbers[-1] > numbers[-2]
    await Response.delete().where(Response.id == RESPONSES[0]).run()
    assert await Answer.count().where(of_response(RESPONSES[0])).run() == 0
    assert await Answer.count().run() == 4
    assert await Case.count().run() == 0
    assert await Attachment.count().run() == 0
