"""The visit history and "who uploaded this photo" read the audit log through the m0003 index
``audit_event_object (object_type, object_id)``: SQLite's own query plan says so."""

from __future__ import annotations

import sqlite3
import uuid

import pytest

from servicescore.db.attachments import uploads_by
from servicescore.db.visits import visit, visit_events
from tests.support.visits_world import Client, World, in_app, log_in_as, put_visit, visit_payload

pytestmark = pytest.mark.anyio


def plan(database: str, sql: str) -> str:
    with sqlite3.connect(database) as connection:
        rows = connection.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
    return "\n".join(str(row[-1]) for row in rows)


async def test_history_reads_use_the_audit_object_index(client: Client, world: World) -> None:
    token = await log_in_as(client, "shopper")
    visit_id = uuid.uuid4()
    for revision in (1, 2):
        payload = visit_payload(world.assignment_id, status="draft", revision=revision)
        assert (await put_visit(client, token, str(visit_id), payload)).status_code in {200, 201}
    record = await in_app(client, visit, visit_id)
    assert record is not None
    assert [event["action"] for event in record.history] == ["visit.saved", "visit.saved"]
    assert [event["detail"]["revision"] for event in record.history] == [1, 2]

    database = str(world.settings.data_dir / "servicescore.sqlite3")
    history = plan(database, str(visit_events(visit_id)))
    assert "USING INDEX audit_event_object (object_type=? AND object_id=?)" in history, history
    assert "SCAN audit_event" not in history, history
    uploaded = plan(database, str(uploads_by(1, "a" * 64)))
    assert "USING INDEX audit_event_object (object_type=? AND object_id=?)" in uploaded, uploaded
