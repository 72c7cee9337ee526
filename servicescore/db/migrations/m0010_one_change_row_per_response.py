"""The snapshot's change log keeps one row per response and partition: its latest change.

m0005 logged a row for every statement (PostgreSQL) or every answer row (SQLite) that touched a counted response,
so a response of eleven answers left twelve rows and the log grew with every edit, forever: at 1M responses it held
more rows than the answer table. A reader only ever asks which responses changed after the last `seq` it applied,
and the latest `seq` of a response answers that as well as all of them, so each trigger now replaces the response's
row with a new one (a fresh, larger `seq`) instead of adding another. The log is bounded by the responses, with no
pruning job, and nothing a reader needs is lost. The order argument of m0005 still holds: the partition's version is
bumped (and on PostgreSQL its row locked) before the old row is deleted and the new `seq` drawn.

The replacement is a DELETE then an INSERT rather than `INSERT OR REPLACE`: on SQLite an outer statement's own
conflict clause (`INSERT OR IGNORE INTO answer …`) would override the trigger's and keep the stale `seq`.
"""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.sqlite import SQLiteEngine

from servicescore.db.migrations.m0005_snapshot_partition_versions import (
    _ENTERED,
    _UPSERT,
    COUNTED,
    _answered,
    _counted,
)

ID = "2026-12-06T19:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "one snapshot change row per response"

DEDUPLICATE = """
DELETE FROM snapshot_change WHERE seq NOT IN (
    SELECT max(seq) FROM snapshot_change GROUP BY instrument_version, wave, response
)
"""
UNIQUE = "CREATE UNIQUE INDEX snapshot_change_response ON snapshot_change (instrument_version, wave, response)"

_SQLITE_TRIGGERS = (
    "snapshot_response_insert",
    "snapshot_response_update_old",
    "snapshot_response_update_new",
    "snapshot_response_delete",
    "snapshot_answer_insert",
    "snapshot_answer_update",
    "snapshot_answer_delete",
)


def _sqlite_log(partition: str) -> str:
    """Bump the partition, then replace the response's change row; `partition` selects `iv, w, r` (instrument
    version, wave, response) of the row that fired, or nothing when it does not count."""
    return (
        f"INSERT INTO snapshot_partition (instrument_version, wave, version) SELECT iv, w, 1 FROM ({partition}) "
        f"WHERE true {_UPSERT}; "
        "DELETE FROM snapshot_change WHERE (instrument_version, wave, response) IN "
        f"(SELECT iv, w, r FROM ({partition})); "
        f"INSERT INTO snapshot_change (instrument_version, wave, response) SELECT iv, w, r FROM ({partition});"
    )


def _sqlite_bump(row: str) -> str:
    return _sqlite_log(f"SELECT {row}.instrument_version AS iv, {row}.wave AS w, {row}.id AS r")


def _sqlite_answer_bump(row: str) -> str:
    return _sqlite_log(
        "SELECT r.instrument_version AS iv, r.wave AS w, r.id AS r FROM response r "
        f"WHERE r.id = {row}.response AND r.status IN {COUNTED}"
    )


SQLITE = (
    f"CREATE TRIGGER snapshot_response_insert AFTER INSERT ON response WHEN NEW.status IN {COUNTED} "
    f"BEGIN {_sqlite_bump('NEW')} END",
    f"CREATE TRIGGER snapshot_response_update_old AFTER UPDATE ON response WHEN OLD.status IN {COUNTED} "
    f"BEGIN {_sqlite_bump('OLD')} END",
    f"CREATE TRIGGER snapshot_response_update_new AFTER UPDATE ON response WHEN NEW.status IN {COUNTED} "
    f"AND (OLD.status NOT IN {COUNTED} OR OLD.instrument_version <> NEW.instrument_version OR OLD.wave <> NEW.wave) "
    f"BEGIN {_sqlite_bump('NEW')} END",
    f"CREATE TRIGGER snapshot_response_delete AFTER DELETE ON response WHEN OLD.status IN {COUNTED} "
    f"BEGIN {_sqlite_bump('OLD')} END",
    f"CREATE TRIGGER snapshot_answer_insert AFTER INSERT ON answer BEGIN {_sqlite_answer_bump('NEW')} END",
    f"CREATE TRIGGER snapshot_answer_update AFTER UPDATE ON answer BEGIN {_sqlite_answer_bump('NEW')} END",
    f"CREATE TRIGGER snapshot_answer_delete AFTER DELETE ON answer BEGIN {_sqlite_answer_bump('OLD')} END",
)


def _postgres_function(name: str, changes: str) -> str:
    """m0005's statement trigger function, replacing each response's change row instead of adding one."""
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO snapshot_partition (instrument_version, wave, version)
    SELECT DISTINCT c.instrument_version, c.wave, 1 FROM ({changes}) c
    ORDER BY c.instrument_version, c.wave
    {_UPSERT};
    DELETE FROM snapshot_change s USING ({changes}) c
    WHERE s.instrument_version = c.instrument_version AND s.wave = c.wave AND s.response = c.response;
    INSERT INTO snapshot_change (instrument_version, wave, response)
    SELECT DISTINCT c.instrument_version, c.wave, c.response FROM ({changes}) c;
    RETURN NULL;
END $$
"""


POSTGRES = (
    _postgres_function("snapshot_response_insert", _counted("new_rows")),
    _postgres_function("snapshot_response_update", f"{_counted('old_rows')} UNION ALL {_ENTERED}"),
    _postgres_function("snapshot_response_delete", _counted("old_rows")),
    _postgres_function("snapshot_answer_insert", _answered("new_rows")),
    _postgres_function("snapshot_answer_update", f"{_answered('old_rows')} UNION {_answered('new_rows')}"),
    _postgres_function("snapshot_answer_delete", _answered("old_rows")),
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="servicescore", description=DESCRIPTION)

    async def replace_triggers() -> None:
        engine = engine_finder()
        assert engine is not None
        if isinstance(engine, SQLiteEngine):
            statements = (*(f"DROP TRIGGER {name}" for name in _SQLITE_TRIGGERS), DEDUPLICATE, UNIQUE, *SQLITE)
        else:
            statements = (DEDUPLICATE, UNIQUE, *POSTGRES)
        for statement in statements:
            await engine.run_ddl(statement)

    manager.add_raw(replace_triggers)
    return manager
