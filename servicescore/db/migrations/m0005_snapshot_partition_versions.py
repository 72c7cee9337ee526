"""A version number per instrument version and wave, bumped by the database itself whenever what counts changes.

The analytics snapshot asks "is my copy current?" by reading this small table (one row per partition) instead of
grouping every response. Triggers do the bumping in the writer's own transaction, so no write path can forget it:
a counted response (complete or approved) inserted, changed, deleted or leaving the counted statuses, and any
answer of a counted response inserted, changed or deleted. On PostgreSQL the triggers are per statement, over the
statement's changed rows, so a bulk import bumps each partition once per statement.
"""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.sqlite import SQLiteEngine

ID = "2026-12-06T10:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "snapshot partition versions"

COUNTED = "('complete', 'approved')"

TABLE = """
CREATE TABLE snapshot_partition (
    instrument_version INTEGER NOT NULL,
    wave INTEGER NOT NULL,
    version BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (instrument_version, wave)
)
"""

FILL = f"""
INSERT INTO snapshot_partition (instrument_version, wave, version)
SELECT instrument_version, wave, 1 FROM response WHERE status IN {COUNTED} GROUP BY instrument_version, wave
"""

_UPSERT = "ON CONFLICT (instrument_version, wave) DO UPDATE SET version = snapshot_partition.version + 1"


def _sqlite_bump(row: str) -> str:
    return (
        "INSERT INTO snapshot_partition (instrument_version, wave, version) "
        f"VALUES ({row}.instrument_version, {row}.wave, 1) {_UPSERT};"
    )


def _sqlite_answer_bump(row: str) -> str:
    return (
        "INSERT INTO snapshot_partition (instrument_version, wave, version) "
        f"SELECT r.instrument_version, r.wave, 1 FROM response r WHERE r.id = {row}.response "
        f"AND r.status IN {COUNTED} {_UPSERT};"
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


def _postgres_function(name: str, partitions: str) -> str:
    return f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO snapshot_partition (instrument_version, wave, version)
    SELECT DISTINCT p.instrument_version, p.wave, 1 FROM ({partitions}) p
    {_UPSERT};
    RETURN NULL;
END $$
"""


def _counted(rows: str) -> str:
    return f"SELECT instrument_version, wave FROM {rows} WHERE status IN {COUNTED}"


def _answered(rows: str) -> str:
    return (
        f"SELECT r.instrument_version, r.wave FROM {rows} a JOIN response r ON r.id = a.response "
        f"WHERE r.status IN {COUNTED}"
    )


def _postgres_trigger(name: str, event: str, table: str, transition: str) -> str:
    return (
        f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {transition} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
    )


POSTGRES = (
    _postgres_function("snapshot_response_insert", _counted("new_rows")),
    _postgres_function("snapshot_response_update", f"{_counted('old_rows')} UNION {_counted('new_rows')}"),
    _postgres_function("snapshot_response_delete", _counted("old_rows")),
    _postgres_function("snapshot_answer_insert", _answered("new_rows")),
    _postgres_function("snapshot_answer_update", f"{_answered('old_rows')} UNION {_answered('new_rows')}"),
    _postgres_function("snapshot_answer_delete", _answered("old_rows")),
    _postgres_trigger("snapshot_response_insert", "INSERT", "response", "NEW TABLE AS new_rows"),
    _postgres_trigger("snapshot_response_update", "UPDATE", "response", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    _postgres_trigger("snapshot_response_delete", "DELETE", "response", "OLD TABLE AS old_rows"),
    _postgres_trigger("snapshot_answer_insert", "INSERT", "answer", "NEW TABLE AS new_rows"),
    _postgres_trigger("snapshot_answer_update", "UPDATE", "answer", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    _postgres_trigger("snapshot_answer_delete", "DELETE", "answer", "OLD TABLE AS old_rows"),
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="servicescore", description=DESCRIPTION)

    async def create_versions() -> None:
        engine = engine_finder()
        assert engine is not None
        triggers = SQLITE if isinstance(engine, SQLiteEngine) else POSTGRES
        for statement in (TABLE, FILL, *triggers):
            await engine.run_ddl(statement)

    manager.add_raw(create_versions)
    return manager
