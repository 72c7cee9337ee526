"""PostgreSQL: the change log's answer triggers look up each answered response once, by its number, instead of
joining every answer of the statement to the whole response table.

m0023's answer triggers joined the statement's answers to `response` on the number. For a statement of many answers
(an import copies 1.1M in one), the planner took the answers' count and hashed the whole response table for each of
the trigger's three statements: three scans of every stored response, 1.7 s of an import at 1.5M responses, growing
with the table (an import's answers find no counted response: theirs are stored after them, m0024). Now the
answers' distinct response numbers come first (a handful for a survey page, 100,000 for an import), and each is
looked up in the number's unique index: the work follows the statement, not the table. What is logged is unchanged.

SQLite: nothing; its answer triggers are row triggers that touch their response by number already (m0023).
"""

from __future__ import annotations

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.engine.sqlite import SQLiteEngine

from servicescore.db.migrations.m0005_snapshot_partition_versions import COUNTED
from servicescore.db.migrations.m0022_snapshot_change_first_seq import _postgres_function

ID = "2026-12-07T16:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "answer trigger by response"


def _answered(rows: str) -> str:
    """The counted responses a statement's answers belong to: their distinct numbers, each looked up once."""
    return (
        f"SELECT r.instrument_version, r.wave, r.id AS response, false AS entered "
        f"FROM (SELECT DISTINCT response_number FROM {rows}) a "
        f"JOIN response r ON r.number = a.response_number WHERE r.status IN {COUNTED}"
    )


POSTGRES = (
    _postgres_function("snapshot_answer_insert", _answered("new_rows")),
    _postgres_function("snapshot_answer_update", f"{_answered('old_rows')} UNION {_answered('new_rows')}"),
    _postgres_function("snapshot_answer_delete", _answered("old_rows")),
)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="servicescore", description=DESCRIPTION)

    async def answer_triggers_by_response() -> None:
        engine = engine_finder()
        assert engine is not None
        if not isinstance(engine, SQLiteEngine):
            for statement in POSTGRES:
                await engine.run_ddl(statement)

    manager.add_raw(answer_triggers_by_response)
    return manager
