"""A `servicescore worker` SIGKILLed while it sends a batch of invitations, then started again, on huey's SQLite
storage and on Redis: every contact receives exactly one invitation.

The SMTP server is the test's own (aiosmtpd, 5 ms a message, so the kill lands mid-batch) and what it received is
parsed at the end. The one message whose fate a kill can leave open is the one handed to the server when the
worker died; `mail.sending` records it as sent (unconfirmed) and never sends it again, so no contact is mailed
twice, and such a message is allowed to be missing at most once per kill (the instant between committing its mark
and writing its final dot); every other contact must have exactly one.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from servicescore.db.mail import UNCONFIRMED
from servicescore.settings import Settings
from tests.support.mail_load import environment, queue_round, receiving, seed, start_worker, wait_until
from tests.support.redis_server import redis_server

CONTACTS = 300
KILL_AT = (40, 170)  # messages received when the worker is killed, the first time and after its restart
HEARTBEAT = "0.3"  # a killed worker's job is taken for dead 0.9 s after its last beat
DEADLINE_SECONDS = 120


@pytest.fixture(params=["sqlite", "redis"])
def queue_url(request: pytest.FixtureRequest, tmp_path: Path, requires: Callable[..., None]) -> Iterator[str]:
    if request.param == "sqlite":
        yield ""
        return
    requires("redis")
    with redis_server(tmp_path / "redis") as url:
        yield url


def _rows(data_dir: Path, sql: str, *values: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(data_dir / "servicescore.sqlite3") as connection:
        return list(connection.execute(sql, values))


def test_a_worker_killed_mid_batch_resumes_without_duplicates(
    tmp_path: Path, migrated_sqlite: Path, queue_url: str
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    shutil.copyfile(migrated_sqlite, data_dir / "servicescore.sqlite3")
    with receiving(delay=0.005) as (url, received):
        env = environment(data_dir, url, queue_url, SERVICESCORE_JOB_HEARTBEAT_SECONDS=HEARTBEAT)
        # the worker's SQLite database, whatever SERVICESCORE_DATABASE_URL the test run has
        settings = Settings(data_dir=data_dir, database_url="", smtp_url=SecretStr(url), queue_url=queue_url)
        seed(settings, CONTACTS)
        assert queue_round(settings).jobs == 2  # 250 + 50 messages
        log = tmp_path / "worker.log"
        for kill_at in KILL_AT:
            worker = start_worker(env, log)
            wait_until(lambda: received.count() >= kill_at, DEADLINE_SECONDS)  # noqa: B023 - waited for at once
            worker.kill()
            worker.wait(timeout=30)
            assert received.count() < CONTACTS  # killed mid-batch
        worker = start_worker(env, log)
        try:
            unsettled = "SELECT count(*) FROM message WHERE status IN ('pending', 'sending')"
            wait_until(lambda: _rows(data_dir, unsettled) == [(0,)], DEADLINE_SECONDS, poll=0.1)
            wait_until(lambda: _rows(data_dir, "SELECT count(*) FROM job WHERE status != 'done'") == [(0,)], 30)
        finally:
            worker.terminate()
            worker.wait(timeout=60)
        messages = received.messages()
    per_contact = Counter(message["To"].addresses[0].addr_spec for message in messages)
    assert max(per_contact.values()) == 1, per_contact.most_common(3)  # nobody twice
    assert len({message["Message-ID"] for message in messages}) == len(messages)
    statuses = Counter(status for (status,) in _rows(data_dir, "SELECT status FROM message"))
    assert statuses == {"sent": CONTACTS}
    unconfirmed = {str(found) for (found,) in _rows(data_dir, "SELECT message_id FROM message WHERE reason = ?",
                                                   UNCONFIRMED)}  # fmt: skip
    assert len(unconfirmed) <= len(KILL_AT)  # at most the one message in flight at each kill
    every = {str(found) for (found,) in _rows(data_dir, "SELECT message_id FROM message")}
    missing = every - {str(message["Message-ID"]) for message in messages}
    assert missing <= unconfirmed, missing  # every other contact received theirs
