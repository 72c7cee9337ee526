"""A version number per instrument version and wave, and a log of the responses whose counted answers changed,
both written by the database itself in the writer's own transaction.

The analytics snapshot asks "is my copy current?" by reading `snapshot_partition` (one row per partition) instead
of grouping every response, and refreshes a changed partition from the `snapshot_change` rows after the last one
it applied, so the work is in proportion to the change. Triggers do the writing, so no write path can forget it:
a counted response (complete or approved) inserted, changed, deleted or leaving the counted statuses, and any
answer of a counted response inserted, changed or deleted. A change row names the partition and the response;
the snapshot re-reads such a response's current rows and replaces what it held of it (an idempotent merge).

Order: each trigger bumps the partition's version (on PostgreSQL this locks the partition's row until commit)
before it draws `seq` for the partition's change rows, so within a partition `seq` follows commit order and a
reader that has applied changes up to `seq` N never later meets a committed change below N. On PostgreSQL the
triggers are per statement, over the statement's changed rows (one bump per partition per statement).
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

CHANGES = {
    "sqlite": """
CREATE TABLE snapshot_change (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    instrument_version INTEGER NOT NULL,
    wave INTEGER NOT NULL,
    response TEXT NOT NULL
)""",
    "postgres": """
CREATE TABLE snapshot_change (
    seq BIGSERIAL PRIMARY KEY,
    instrument_version INTEGER NOT NULL,
    wave INTEGER NOT NULL,
    response UUID NOT NULL
)""",
}
CHANGE_INDEX = "CREATE INDEX snapshot_change_partition ON snapshot_change (instrument_version, wave, seq)"

FILL = f"""
INSERT INTO snapshot_partition (instrument_version, wave, version)
SELECT instrument_version, wave, 1 FROM response WHERE status IN {COUNTED} GROUP BY instrument_version, wave
"""

_UPSERT = "ON CONFLICT (instrument_version, wave) DO UPDATE SET version = snapshot_partition.version + 1"


def _sqlite_bump(row: str) -> str:
    return (
        "INSERT INTO snapshot_partition (instrument_version, wave, version) "
        f"VALUES ({row}.instrument_version, {row}.wave, 1) {_UPSERT}; "
        "INSERT INTO snapshot_change (instrument_version, wave, response) "
        f"VALUES ({row}.instrument_version, {row}.wave, {row}.id);"
    )


def _sqlite_answer_bump(row: str) -> str:
    counted = f"FROM response r WHERE r.id = {row}.response AND r.status IN {COUNTED}"
    return (
        "INSERT INTO snapshot_partition (instrument_version, wave, version) "
        f"SELECT r.instrument_version, r.wave, 1 {counted} {_UPSERT}; "
        "INSERT INTO snapshot_change (instrument_version, wave, response) "
        f"SELECT r.instrument_version, r.wave, r.id {counted};"
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
    """A statement trigger's function: bump each partition the statement changed, then log its responses."""
    return f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO snapshot_partition (instrument_version, wave, version)
    SELECT DISTINCT c.instrument_version, c.wave, 1 FROM ({changes}) c
    ORDER BY c.instrument_version, c.wave
    {_UPSERT};
    INSERT INTO snapshot_change (instrument_version, wave, response)
    SELECT c.instrument_version, c.wave, c.response FROM ({changes}) c;
    RETURN NULL;
END $$
"""


def _counted(rows: str) -> str:
    return f"SELECT instrument_version, wave, id AS response FROM {rows} WHERE status IN {COUNTED}"


_ENTERED = (
    "SELECT n.instrument_version, n.wave, n.id AS response FROM new_rows n "
    f"JOIN old_rows o ON o.id = n.id WHERE n.status IN {COUNTED} "
    f"AND (o.status NOT IN {COUNTED} OR o.instrument_version <> n.instrument_version OR o.wave <> n.wave)"
)


def _answered(rows: str) -> str:
    return (
        f"SELECT DISTINCT r.instrument_version, r.wave, r.id AS response FROM {rows} a "
        f"JOIN response r ON r.id = a.response WHERE r.status IN {COUNTED}"
    )


def _postgres_trigger(name: str, event: str, table: str, transition: str) -> str:
    return (
        f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {transition} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
    )


POSTGRES = (
    _postgres_function("snapshot_response_insert", _counted("new_rows")),
    _postgres_function("snapshot_response_update", f"{_counted('old_rows')} UNION ALL {_ENTERED}"),
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
        sqlite = isinstance(engine, SQLiteEngine)
        triggers = SQLITE if sqlite else POSTGRES
        for statement in (TABLE, CHANGES["sqlite" if sqlite else "postgres"], CHANGE_INDEX, FILL, *triggers):
            await engine.run_ddl(statement)

    manager.add_raw(create_versions)
    return manager
