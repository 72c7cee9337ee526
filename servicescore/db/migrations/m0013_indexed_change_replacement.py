"""SQLite's change-log triggers find a response's old change row by one index lookup again, and an answer costs
little when its response does not count (yet).

m0010's triggers deleted the old row with `(instrument_version, wave, response) IN (SELECT …)`: SQLite used only
the index's first two columns for that row-value test (and the response column's affinity differs from the log's
text), so every logged answer scanned every change row of its partition, and an import slowed as the log grew:
20,000 visitor responses (220,000 answers) took 263 s, 76 responses per second. Each trigger now compares the
three columns by equality, with the response id as text. Answer triggers touch their counted response, whose
update trigger logs it (see `_answer`). What is logged is unchanged. The single-column index on `answer.response`
goes on both engines (see `DROP_INDEX`); PostgreSQL's statement triggers join and keep their m0010 form.
"""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.sqlite import SQLiteEngine

from servicescore.db.migrations.m0005_snapshot_partition_versions import _UPSERT, COUNTED

ID = "2026-12-06T20:32:00:000000"  # after m0014's (merged first, at 20:31)
VERSION = "1.38.0"
DESCRIPTION = "indexed snapshot change replacement"

_TRIGGERS = (
    "snapshot_response_insert",
    "snapshot_response_update_old",
    "snapshot_response_update_new",
    "snapshot_response_delete",
    "snapshot_answer_insert",
    "snapshot_answer_update",
    "snapshot_answer_delete",
)


def _log(version: str, wave: str, response: str) -> str:
    """Bump the partition, then replace the response's change row; each argument is an SQL expression."""
    return (
        f"INSERT INTO snapshot_partition (instrument_version, wave, version) VALUES ({version}, {wave}, 1) "
        f"{_UPSERT}; "
        f"DELETE FROM snapshot_change WHERE instrument_version = {version} AND wave = {wave} "
        f"AND response = CAST({response} AS TEXT); "
        f"INSERT INTO snapshot_change (instrument_version, wave, response) VALUES ({version}, {wave}, {response});"
    )


def _response(row: str) -> str:
    return _log(f"{row}.instrument_version", f"{row}.wave", f"{row}.id")


def _answer(event: str, row: str) -> str:
    """An answer of a counted response logs that response by touching it: the response's own update trigger
    (`snapshot_response_update_old`) bumps and logs. SQLite sets up a trigger's whole program for every row it
    fires on, before its WHEN is tested, so a short body keeps an answer of a response that does not count (yet)
    at one index lookup; a bulk import stores answers that way (db/answers_io.py)."""
    return (
        f"CREATE TRIGGER snapshot_answer_{event.lower()} AFTER {event} ON answer BEGIN "
        f"UPDATE response SET status = status WHERE id = {row}.response AND status IN {COUNTED}; END"
    )


SQLITE = (
    f"CREATE TRIGGER snapshot_response_insert AFTER INSERT ON response WHEN NEW.status IN {COUNTED} "
    f"BEGIN {_response('NEW')} END",
    f"CREATE TRIGGER snapshot_response_update_old AFTER UPDATE ON response WHEN OLD.status IN {COUNTED} "
    f"BEGIN {_response('OLD')} END",
    f"CREATE TRIGGER snapshot_response_update_new AFTER UPDATE ON response WHEN NEW.status IN {COUNTED} "
    f"AND (OLD.status NOT IN {COUNTED} OR OLD.instrument_version <> NEW.instrument_version OR OLD.wave <> NEW.wave) "
    f"BEGIN {_response('NEW')} END",
    f"CREATE TRIGGER snapshot_response_delete AFTER DELETE ON response WHEN OLD.status IN {COUNTED} "
    f"BEGIN {_response('OLD')} END",
    _answer("INSERT", "NEW"),
    _answer("UPDATE", "NEW"),
    _answer("DELETE", "OLD"),
)
# `answer_response_item` (response, item), unique since m0002, serves every lookup by response: the single-column
# index Piccolo made for the foreign key only cost each inserted answer a second index update.
DROP_INDEX = "DROP INDEX IF EXISTS answer_response"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="servicescore", description=DESCRIPTION)

    async def replace_triggers() -> None:
        engine = engine_finder()
        assert engine is not None
        statements: tuple[str, ...] = (DROP_INDEX,)
        if isinstance(engine, SQLiteEngine):
            statements += (*(f"DROP TRIGGER {name}" for name in _TRIGGERS), *SQLITE)
        for statement in statements:
            await engine.run_ddl(statement)

    manager.add_raw(replace_triggers)
    return manager
