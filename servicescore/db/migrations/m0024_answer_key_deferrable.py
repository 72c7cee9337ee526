"""PostgreSQL: an answer's foreign key to its response may wait for the commit (`DEFERRABLE INITIALLY IMMEDIATE`), so
that an import can store its answers before their responses. Every other write still has it checked at once.

An import inserted its responses in a status that does not count and then updated them to the counted one, so that
the change log's statement triggers (m0005, m0022) logged each response once, and not again for each of its answers
(inserted counted, their trigger logged all 100,000 responses a second time: 4.7 s). The update wrote every response
twice, each new row version going into every index, the random-id one too: 4.4 s of a 20 s import of 100,000
responses at 1M stored. With the key deferred for the import alone, the answers go first (their trigger finds no
counted response to log), then the responses go in counted, logged once by their own insert trigger; the key is
checked at the commit, as many times as before.

SQLite: nothing; its imports log their responses in one statement (`answers_io._log_imported`).
"""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.sqlite import SQLiteEngine

ID = "2026-12-07T13:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "answer key deferrable"

POSTGRES = "ALTER TABLE answer ALTER CONSTRAINT answer_response_number_fkey DEFERRABLE INITIALLY IMMEDIATE"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="servicescore", description=DESCRIPTION)

    async def deferrable_answer_key() -> None:
        engine = engine_finder()
        assert engine is not None
        if not isinstance(engine, SQLiteEngine):
            await engine.run_ddl(POSTGRES)

    manager.add_raw(deferrable_answer_key)
    return manager
