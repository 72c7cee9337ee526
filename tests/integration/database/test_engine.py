from __future__ import annotations

import asyncio
import re
import sqlite3

import pytest
from click.testing import CliRunner
from piccolo.engine.sqlite import SQLiteEngine

from servicescore.cli import cli
from servicescore.db.common import DatabaseUnreachable
from servicescore.db.engine import open_database, write_transaction
from servicescore.db.migrate import migrate, pending_migrations
from servicescore.db.tables import TABLES, Answer, Organisation, Response, Unit
from tests.support.answer_rows import number_of
from tests.support.response_rows import response_rows

pytestmark = pytest.mark.anyio

DB_ERRORS = (sqlite3.IntegrityError, Exception)


async def test_migrations_create_every_table_once(database_url: str) -> None:
    await open_database(database_url)
    known = await pending_migrations()
    assert len(known) >= 2
    assert known == sorted(known)
    assert await migrate() == known
    assert await pending_migrations() == []
    assert await migrate() == []
    for table in TABLES:
        assert await table.count().run() == 0, table._meta.tablename


async def test_answer_is_unique_per_response_and_item(database_url: str) -> None:
    engine = await open_database(database_url)
    await migrate()
    rows = await response_rows()
    response = Response(
        instrument_version=rows.version.id,
        wave=rows.wave.id,
        organisation=rows.organisation.id,
        unit=rows.unit.id,
        status="complete",
    )
    await Response.insert(response).run()
    number = await number_of(response.id)
    async with write_transaction(engine):
        await Answer.insert(Answer(response_number=number, item="overall", value=5.0)).run()
    with pytest.raises(DB_ERRORS):  # noqa: PT012 - the transaction around the failing insert is what is tested
        async with write_transaction(engine):
            await Answer.insert(Answer(response_number=number, item="guide", value=4.0)).run()
            await Answer.insert(Answer(response_number=number, item="overall", value=3.0)).run()
    stored = await Answer.select(Answer.item, Answer.value).run()
    assert stored == [{"item": "overall", "value": 5.0}], "the failed transaction left nothing behind"
    with pytest.raises(DB_ERRORS):
        await Unit.insert(Unit(organisation=rows.organisation.id, slug="hemmet", name="Again")).run()


async def test_sqlite_is_durable_and_waits_for_the_lock(tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/s.sqlite3"
    engine = await open_database(url)
    await migrate()
    assert isinstance(engine, SQLiteEngine)
    assert (await engine.run_ddl("PRAGMA journal_mode"))[0]["journal_mode"] == "wal"
    assert (await engine.run_ddl("PRAGMA synchronous"))[0]["synchronous"] == 2  # FULL
    assert (await engine.run_ddl("PRAGMA busy_timeout"))[0]["timeout"] == 30_000

    async def write(index: int) -> None:
        async with write_transaction(engine):
            count = await Organisation.count().run()
            await asyncio.sleep(0.01)  # a read-then-write race that IMMEDIATE serialises
            await Organisation.insert(Organisation(slug=f"org-{index}-{count}", name=f"Org {index}")).run()

    await asyncio.gather(*(write(index) for index in range(8)))
    seen = sorted(int(row["slug"].rsplit("-", 1)[1]) for row in await Organisation.select(Organisation.slug).run())
    assert seen == list(range(8)), "each writer saw the rows of every writer before it"


async def test_unreachable_database_is_one_line_without_the_password() -> None:
    with pytest.raises(DatabaseUnreachable) as caught:
        await open_database("postgresql://ss:hemligt@127.0.0.1:1/servicescore")
    message = str(caught.value)
    assert "hemligt" not in message
    assert "cannot reach the database at postgresql://ss:***@127.0.0.1:1/servicescore" in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgresql://ss:hemligt@127.0.0.1:1/servicescore",
            "Error: cannot reach the database at postgresql://ss:***@",
        ),
        ("mysql://localhost/x", "Error: SERVICESCORE_DATABASE_URL must start with sqlite:/// or postgresql://"),
        ("sqlite:////proc/no/such/dir/db.sqlite3", "Error: cannot open the SQLite database at /proc/no/such/dir"),
    ],
)
def test_db_migrate_command_fails_in_one_line(url: str, expected: str) -> None:
    result = CliRunner().invoke(cli, ["db", "migrate"], env={"SERVICESCORE_DATABASE_URL": url})
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith(expected)
    assert "hemligt" not in result.output


def test_db_migrate_command_on_the_embedded_database() -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["db", "migrate"])
    assert first.exit_code == 0, first.output
    assert re.match(r"applied \d+ migration\(s\): ", first.output)
    second = runner.invoke(cli, ["db", "migrate"])
    assert second.output.strip() == "applied 0 migration(s)"
