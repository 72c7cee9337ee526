"""An answer refers to its response by the response's number, an integer that grows as responses are stored, not by
the response's id, a UUID the client makes.

The answers' unique index (response, item) was ordered by the UUID, so 100,000 imported responses with random ids
put their 1.1M index entries on about 40 % of the index's leaf pages at 1M stored responses, and every one of those
pages went through the WAL and back: the answers and the commit took 9.5 s of a 16 s import. Keyed by a number that
grows, each import's answers go at the end of the table and of the index whatever the file's ids, and an entry is 8
bytes of key instead of a 36-character text.

`response.number`: SQLite's rowid (`INTEGER PRIMARY KEY`, so VACUUM keeps it), PostgreSQL's identity column; both
are given by the database when an insert leaves the column out. The response keeps its UUID `id`, unique, which
every other table and every URL still use. `answer.response` becomes `answer.response_number`, a foreign key to
it with the same cascade. The change log's answer triggers find the response by its number; what they log is
unchanged.

SQLite cannot add a primary key to a table: both tables are made again, with the foreign keys off on the
migration's own connection (dropping the old response table with them on would delete every answer, case and
attachment by cascade), checked with `PRAGMA foreign_key_check` before the commit.
"""

from __future__ import annotations

from typing import Any

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.sqlite import SQLiteEngine

from servicescore.db.migrations.m0005_snapshot_partition_versions import COUNTED, _postgres_trigger
from servicescore.db.migrations.m0022_snapshot_change_first_seq import _postgres_function

ID = "2026-12-07T09:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "answer response number"

_RESPONSE_COLUMNS = (
    "id, instrument_version, wave, organisation, unit, collection, assignment, status, segment, language,"
    " content_sha256, started_at, submitted_at, updated_at, weight, furthest_page"
)


def _sqlite_answer_trigger(event: str, row: str) -> str:
    """m0013's answer trigger: touch the counted response, whose own update trigger logs it; found by number."""
    return (
        f"CREATE TRIGGER snapshot_answer_{event.lower()} AFTER {event} ON answer BEGIN "
        f"UPDATE response SET status = status WHERE number = {row}.response_number AND status IN {COUNTED}; END"
    )


SQLITE = (
    'CREATE TABLE response_new ("id" UUID NOT NULL UNIQUE,'
    ' "instrument_version" INTEGER NOT NULL REFERENCES "instrument_version" ("id") ON DELETE RESTRICT'
    ' ON UPDATE CASCADE DEFAULT null,'
    ' "wave" INTEGER NOT NULL REFERENCES "wave" ("id") ON DELETE RESTRICT ON UPDATE CASCADE DEFAULT null,'
    ' "organisation" INTEGER NOT NULL REFERENCES "organisation" ("id") ON DELETE CASCADE ON UPDATE CASCADE'
    " DEFAULT null,"
    ' "unit" INTEGER NOT NULL REFERENCES "unit" ("id") ON DELETE CASCADE ON UPDATE CASCADE DEFAULT null,'
    ' "collection" INTEGER REFERENCES "collection" ("id") ON DELETE SET NULL ON UPDATE CASCADE DEFAULT null,'
    ' "assignment" INTEGER REFERENCES "assignment" ("id") ON DELETE SET NULL ON UPDATE CASCADE DEFAULT null,'
    ' "status" VARCHAR(20) NOT NULL DEFAULT \'\', "segment" VARCHAR(80) DEFAULT null,'
    ' "language" VARCHAR(2) NOT NULL DEFAULT \'sv\', "content_sha256" VARCHAR(64) NOT NULL DEFAULT \'\','
    ' "started_at" TIMESTAMPTZ DEFAULT null, "submitted_at" TIMESTAMPTZ DEFAULT null,'
    ' "updated_at" TIMESTAMPTZ NOT NULL DEFAULT current_timestamp, "weight" DOUBLE PRECISION NOT NULL DEFAULT 1.0,'
    ' "furthest_page" INTEGER NOT NULL DEFAULT -1, "number" INTEGER PRIMARY KEY)',
    f"INSERT INTO response_new ({_RESPONSE_COLUMNS}, number) SELECT {_RESPONSE_COLUMNS}, rowid FROM response",
    'CREATE TABLE answer_new ("id" INTEGER PRIMARY KEY NOT NULL,'
    ' "response_number" INTEGER NOT NULL REFERENCES "response" ("number") ON DELETE CASCADE ON UPDATE CASCADE,'
    ' "item" VARCHAR(80) NOT NULL DEFAULT \'\', "value" DOUBLE PRECISION DEFAULT null,'
    ' "na" BOOLEAN NOT NULL DEFAULT false, "text" TEXT DEFAULT null)',
    "INSERT INTO answer_new (id, response_number, item, value, na, text)"
    " SELECT a.id, n.number, a.item, a.value, a.na, a.text FROM answer a JOIN response_new n ON n.id = a.response"
    " ORDER BY a.id",
    "DROP TABLE answer",
    "DROP TABLE response",
    "ALTER TABLE response_new RENAME TO response",
    "ALTER TABLE answer_new RENAME TO answer",
    "CREATE UNIQUE INDEX answer_response_item ON answer (response_number, item)",
    _sqlite_answer_trigger("INSERT", "NEW"),
    _sqlite_answer_trigger("UPDATE", "NEW"),
    _sqlite_answer_trigger("DELETE", "OLD"),
)
_SQLITE_DONE = "SELECT 1 FROM pragma_table_info('response') WHERE name = 'number'"
# The response table's own indexes and triggers are made again from their stored SQL (m0005-m0022 made them).
_SQLITE_KEPT = "SELECT sql FROM sqlite_master WHERE tbl_name = 'response' AND type IN ('index', 'trigger') AND sql IS NOT NULL"


def _answered(rows: str) -> str:
    """m0022's answered responses of a statement, joined by number."""
    return (
        f"SELECT DISTINCT r.instrument_version, r.wave, r.id AS response, false AS entered FROM {rows} a "
        f"JOIN response r ON r.number = a.response_number WHERE r.status IN {COUNTED}"
    )


POSTGRES = (
    "ALTER TABLE response ADD COLUMN number bigint GENERATED BY DEFAULT AS IDENTITY",
    "ALTER TABLE response ADD CONSTRAINT response_number_key UNIQUE (number)",
    "ALTER SEQUENCE answer_id_seq OWNED BY NONE",
    "CREATE TABLE answer_new (id integer PRIMARY KEY DEFAULT nextval('answer_id_seq'),"
    " response_number bigint NOT NULL, item varchar(80) NOT NULL DEFAULT '', value double precision,"
    " na boolean NOT NULL DEFAULT false, text text)",
    "INSERT INTO answer_new (id, response_number, item, value, na, text)"
    " SELECT a.id, r.number, a.item, a.value, a.na, a.text FROM answer a JOIN response r ON r.id = a.response",
    "DROP TABLE answer",
    "ALTER TABLE answer_new RENAME TO answer",
    "ALTER INDEX answer_new_pkey RENAME TO answer_pkey",
    "ALTER SEQUENCE answer_id_seq OWNED BY answer.id",
    "ALTER TABLE answer ADD CONSTRAINT answer_response_number_fkey FOREIGN KEY (response_number)"
    " REFERENCES response (number) ON DELETE CASCADE ON UPDATE CASCADE",
    "CREATE UNIQUE INDEX answer_response_item ON answer (response_number, item)",
    _postgres_function("snapshot_answer_insert", _answered("new_rows")),
    _postgres_function("snapshot_answer_update", f"{_answered('old_rows')} UNION {_answered('new_rows')}"),
    _postgres_function("snapshot_answer_delete", _answered("old_rows")),
    _postgres_trigger("snapshot_answer_insert", "INSERT", "answer", "NEW TABLE AS new_rows"),
    _postgres_trigger("snapshot_answer_update", "UPDATE", "answer", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    _postgres_trigger("snapshot_answer_delete", "DELETE", "answer", "OLD TABLE AS old_rows"),
    "ANALYZE answer",  # a new table has no statistics until autovacuum comes round: the planner's first joins
    "ANALYZE response",
)


async def _on_sqlite(engine: SQLiteEngine) -> None:
    connection: Any = await engine.get_connection()
    try:
        await connection.execute("PRAGMA foreign_keys = OFF")  # outside a transaction, where it takes effect
        await connection.execute("BEGIN IMMEDIATE")
        if await (await connection.execute(_SQLITE_DONE)).fetchall():
            await connection.execute("ROLLBACK")  # made before a crash that kept Piccolo from recording it
            return
        kept = [row["sql"] for row in await (await connection.execute(_SQLITE_KEPT)).fetchall()]
        for statement in (*SQLITE, *kept):
            await connection.execute(statement)
        broken = await (await connection.execute("PRAGMA foreign_key_check")).fetchall()
        if broken:
            raise RuntimeError(f"foreign keys broken by the rebuild: {[dict(row) for row in broken[:5]]}")
        await connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            await connection.execute("ROLLBACK")
        raise
    finally:
        await connection.close()


async def forwards() -> MigrationManager:
    # SQLite's foreign keys can only be turned off outside a transaction: this migration opens its own.
    manager = MigrationManager(
        migration_id=ID, app_name="servicescore", description=DESCRIPTION, wrap_in_transaction=False
    )

    async def number_answers() -> None:
        engine = engine_finder()
        assert engine is not None
        if isinstance(engine, SQLiteEngine):
            await _on_sqlite(engine)
            return
        async with engine.transaction():
            for statement in POSTGRES:
                await engine.run_ddl(statement)

    manager.add_raw(number_answers)
    return manager
