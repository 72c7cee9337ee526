"""A change row says since when its response has been logged in its partition, so a refresh tells a new response
from a changed one without reading the snapshot.

`snapshot_change.first_seq` is the `seq` of the response's first logged change in the partition: NULL when that is
the row's own `seq` (its first change), carried over when a later change replaces the row (m0010), and 0 when it is
unknown. It is unknown for the rows logged before this migration, and for a change of a response that counted
before (an edit, a departure) whose earlier rows the upkeep pruned. A response that enters the partition (inserted
as counted, completed, approved, moved to the wave) with no earlier row starts at its own `seq`.

So a snapshot partition whose rows reflect no change after `seq` N (its manifest's `held`) holds no row of a
response first logged after N: every change that makes a response count is logged, and a response whose earlier
rows were pruned is only ever said to be new when it enters (it did not count before, so since its last, pruned
change). Such responses are appended; any other is merged (`snapshot.refresh`). Before, the refresh read every
response id of the partition to find out (2.75M ids at 1M responses, most of a refresh's time).

On SQLite a trigger cannot keep a value between statements, so it inserts the new row first, with the old row's
`first_seq`, then deletes the older row: `snapshot_change_response` becomes a plain index (the replacement keeps one
row per response, as m0010 did). On PostgreSQL the old row is updated in place with a new `seq` drawn from the
same sequence, and the unique index stays.
"""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.sqlite import SQLiteEngine

from servicescore.db.migrations.m0005_snapshot_partition_versions import _UPSERT, COUNTED
from servicescore.db.migrations.m0013_indexed_change_replacement import _TRIGGERS, _answer

ID = "2026-12-07T01:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "snapshot change first seq"

ADD_COLUMN = "ALTER TABLE snapshot_change ADD COLUMN first_seq BIGINT DEFAULT 0"  # existing rows: unknown

# The first seq when the response has no earlier row: its own (NULL) when it enters the partition, else unknown.
_OWN, _UNKNOWN = "NULL", "0"


def _log(version: str, wave: str, response: str, first: str) -> str:
    """Bump the partition, insert the response's new change row carrying the old row's `first_seq` (or `first`),
    then delete the old row; each argument is an SQL expression."""
    same = f"instrument_version = {version} AND wave = {wave} AND response = CAST({response} AS TEXT)"
    return (
        f"INSERT INTO snapshot_partition (instrument_version, wave, version) VALUES ({version}, {wave}, 1) "
        f"{_UPSERT}; "
        "INSERT INTO snapshot_change (instrument_version, wave, response, first_seq) "
        f"VALUES ({version}, {wave}, {response}, "
        f"(SELECT COALESCE(min(COALESCE(first_seq, seq)), {first}) FROM snapshot_change WHERE {same})); "
        f"DELETE FROM snapshot_change WHERE {same} AND seq < (SELECT max(seq) FROM snapshot_change WHERE {same});"
    )


def _response(row: str, first: str) -> str:
    return _log(f"{row}.instrument_version", f"{row}.wave", f"{row}.id", first)


# Entering the partition: it did not count, or it counted in another wave (another version of the instrument in
# the same wave is the same snapshot partition: not an entry).
_ENTERS = f"CASE WHEN OLD.status NOT IN {COUNTED} OR OLD.wave <> NEW.wave THEN {_OWN} ELSE {_UNKNOWN} END"

SQLITE = (
    f"CREATE TRIGGER snapshot_response_insert AFTER INSERT ON response WHEN NEW.status IN {COUNTED} "
    f"BEGIN {_response('NEW', _OWN)} END",
    f"CREATE TRIGGER snapshot_response_update_old AFTER UPDATE ON response WHEN OLD.status IN {COUNTED} "
    f"BEGIN {_response('OLD', _UNKNOWN)} END",
    f"CREATE TRIGGER snapshot_response_update_new AFTER UPDATE ON response WHEN NEW.status IN {COUNTED} "
    f"AND (OLD.status NOT IN {COUNTED} OR OLD.instrument_version <> NEW.instrument_version OR OLD.wave <> NEW.wave) "
    f"BEGIN {_response('NEW', _ENTERS)} END",
    f"CREATE TRIGGER snapshot_response_delete AFTER DELETE ON response WHEN OLD.status IN {COUNTED} "
    f"BEGIN {_response('OLD', _UNKNOWN)} END",
    _answer("INSERT", "NEW"),
    _answer("UPDATE", "NEW"),
    _answer("DELETE", "OLD"),
)
SQLITE_INDEX = (
    "DROP INDEX snapshot_change_response",
    "CREATE INDEX snapshot_change_response ON snapshot_change (instrument_version, wave, response)",
)


def _counted(rows: str, entered: str) -> str:
    return f"SELECT instrument_version, wave, id AS response, {entered} AS entered FROM {rows} WHERE status IN {COUNTED}"


_ENTERED = (
    "SELECT n.instrument_version, n.wave, n.id AS response, "
    f"(o.status NOT IN {COUNTED} OR o.wave <> n.wave) AS entered FROM new_rows n "
    f"JOIN old_rows o ON o.id = n.id WHERE n.status IN {COUNTED} "
    f"AND (o.status NOT IN {COUNTED} OR o.instrument_version <> n.instrument_version OR o.wave <> n.wave)"
)


def _answered(rows: str) -> str:
    return (
        f"SELECT DISTINCT r.instrument_version, r.wave, r.id AS response, false AS entered FROM {rows} a "
        f"JOIN response r ON r.id = a.response WHERE r.status IN {COUNTED}"
    )


def _postgres_function(name: str, changes: str) -> str:
    """m0010's statement trigger function; a response's change row is moved to a new `seq` (keeping where it
    started) instead of being replaced, and a response without one gets a row starting at its own `seq` when it
    entered the partition."""
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO snapshot_partition (instrument_version, wave, version)
    SELECT DISTINCT c.instrument_version, c.wave, 1 FROM ({changes}) c
    ORDER BY c.instrument_version, c.wave
    {_UPSERT};
    UPDATE snapshot_change s
    SET seq = nextval(pg_get_serial_sequence('snapshot_change', 'seq')), first_seq = COALESCE(s.first_seq, s.seq)
    FROM (SELECT DISTINCT instrument_version, wave, response FROM ({changes}) c) c
    WHERE s.instrument_version = c.instrument_version AND s.wave = c.wave AND s.response = c.response;
    INSERT INTO snapshot_change (instrument_version, wave, response, first_seq)
    SELECT c.instrument_version, c.wave, c.response, CASE WHEN bool_and(c.entered) THEN NULL ELSE 0 END
    FROM ({changes}) c
    WHERE NOT EXISTS (SELECT 1 FROM snapshot_change s WHERE s.instrument_version = c.instrument_version
                      AND s.wave = c.wave AND s.response = c.response)
    GROUP BY c.instrument_version, c.wave, c.response;
    RETURN NULL;
END $$
"""


POSTGRES = (
    _postgres_function("snapshot_response_insert", _counted("new_rows", "true")),
    _postgres_function("snapshot_response_update", f"{_counted('old_rows', 'false')} UNION ALL {_ENTERED}"),
    _postgres_function("snapshot_response_delete", _counted("old_rows", "false")),
    _postgres_function("snapshot_answer_insert", _answered("new_rows")),
    _postgres_function("snapshot_answer_update", f"{_answered('old_rows')} UNION {_answered('new_rows')}"),
    _postgres_function("snapshot_answer_delete", _answered("old_rows")),
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="servicescore", description=DESCRIPTION)

    async def replace_triggers() -> None:
        engine = engine_finder()
        assert engine is not None
        statements: tuple[str, ...] = (ADD_COLUMN,)
        if isinstance(engine, SQLiteEngine):
            statements += (*(f"DROP TRIGGER {name}" for name in _TRIGGERS), *SQLITE_INDEX, *SQLITE)
        else:
            statements += POSTGRES
        for statement in statements:
            await engine.run_ddl(statement)

    manager.add_raw(replace_triggers)
    return manager
