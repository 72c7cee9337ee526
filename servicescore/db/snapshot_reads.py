"""Column-wise reads of the operational database for the analytics snapshot: SQL in, Polars frames out.

SQLite is read through Python's own `sqlite3`, the library every writer in the process uses. A second SQLite
build in the same process (ConnectorX carries one) does not see the first one's locks: when its connection
closed it deleted `-wal` and `-shm` under the server's open connections, and every later commit went to an
unlinked WAL and was lost at the next crash (sqlite.org, "How To Corrupt An SQLite Database File", 2.2.1).
PostgreSQL is read through ConnectorX, which moves result sets into Polars without a Python object per row.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing
from typing import Final

import polars as pl

from servicescore.db.engine import BUSY_TIMEOUT_MS, sqlite_path

# A response counts in results only once it is final: a completed survey or an approved visit.
COUNTED_STATUSES: Final[tuple[str, ...]] = ("complete", "approved")
_COUNTED = "r.status IN ('complete', 'approved')"


def _is_sqlite(url: str) -> bool:
    return url.startswith("sqlite:")


def _read_sqlite(url: str, query: str) -> pl.DataFrame:
    """The query's rows through Python's own `sqlite3` (see the module docstring for why never another build).

    Column types are inferred over every row: `answer.value` mixes integers and reals."""
    with closing(sqlite3.connect(sqlite_path(url), timeout=BUSY_TIMEOUT_MS / 1000)) as connection:
        connection.execute("PRAGMA query_only = ON")
        cursor = connection.execute(query)
        names = [column[0] for column in cursor.description]
        return pl.DataFrame(cursor.fetchall(), schema=names, orient="row", infer_schema_length=None)


def read_frame(url: str, query: str) -> pl.DataFrame:
    """The rows of a query of the operational database as a frame; values in `query` are already quoted."""
    if _is_sqlite(url):
        return _read_sqlite(url, query)
    if not url.startswith(("postgresql://", "postgres://")):
        raise ValueError("analytics reads need a sqlite:/// or postgresql:// URL")
    # ConnectorX only ever sees a PostgreSQL URL: its own SQLite build must not open a file this process writes.
    return pl.read_database_uri(query, url.replace("postgres://", "postgresql://", 1), engine="connectorx")


def _quote(value: str) -> str:
    """A string literal; ConnectorX takes no parameters, and the values here are ids this module was given."""
    return "'" + value.replace("'", "''") + "'"


def _in_list(values: Sequence[str | int]) -> str:
    return ", ".join(_quote(v) if isinstance(v, str) else str(int(v)) for v in values)


def partition_versions(url: str, instrument: str | None = None) -> pl.DataFrame:
    """`instrument, wave, version, seq` of every partition that ever held a counted response: one row each.

    The database's triggers (migration m0005) bump `snapshot_partition.version` in the same transaction as any
    write that changes a counted response or its answers, and log the response in `snapshot_change`; `seq` is the
    partition's latest change (0 for none), which pruning never lowers: the larger of its newest change row and the
    highest pruned one (`snapshot_partition.pruned`, m0016). A partition spans the instrument's content versions: the
    sum of their counters only grows. One indexed lookup per partition, however many responses there are.
    """
    where = f" WHERE i.key = {_quote(instrument)}" if instrument is not None else ""
    query = f"""
        SELECT instrument, wave, sum(version) AS version, COALESCE(max(seq), 0) AS seq, max(pruned) AS pruned FROM (
            SELECT i.key AS instrument, w.key AS wave, p.version AS version, p.pruned AS pruned,
                   (SELECT max(c.seq) FROM snapshot_change c
                    WHERE c.instrument_version = p.instrument_version AND c.wave = p.wave) AS seq
            FROM snapshot_partition p
            JOIN instrument_version v ON v.id = p.instrument_version
            JOIN instrument i ON i.id = v.instrument
            JOIN wave w ON w.id = p.wave{where}
        ) partitions
        GROUP BY instrument, wave
    """  # noqa: S608 (ConnectorX takes no parameters; values pass _quote or int)
    frame = read_frame(url, query)
    return frame.select(
        pl.col("instrument").cast(pl.String),
        pl.col("wave").cast(pl.String),
        pl.col("version").cast(pl.Int64),
        pl.max_horizontal(pl.col("seq").cast(pl.Int64), pl.col("pruned").cast(pl.Int64)).alias("seq"),
    )


def changed_responses(url: str, instrument: str, wave: str, after: int) -> tuple[pl.DataFrame, int]:
    """`response_id, seq`: each response of a partition logged in `snapshot_change` after `after`, with its latest
    change. Whatever they are now (counted, moved, gone), their rows in the snapshot are to be replaced.

    With them, the partition's highest pruned `seq` (m0016), read in the same statement: the upkeep job deletes
    change rows and raises it in one transaction, so when it is above `after` rows this reader needed may be gone
    (another snapshot applied more and pruned), and the partition must be rebuilt instead of merged."""
    partition = f"i.key = {_quote(instrument)} AND w.key = {_quote(wave)}"
    query = f"""
        SELECT CAST(c.response AS TEXT) AS response_id, max(c.seq) AS seq
        FROM snapshot_change c
        JOIN instrument_version v ON v.id = c.instrument_version
        JOIN instrument i ON i.id = v.instrument
        JOIN wave w ON w.id = c.wave
        WHERE {partition} AND c.seq > {int(after)}
        GROUP BY c.response
        UNION ALL
        SELECT NULL AS response_id, max(p.pruned) AS seq
        FROM snapshot_partition p
        JOIN instrument_version v ON v.id = p.instrument_version
        JOIN instrument i ON i.id = v.instrument
        JOIN wave w ON w.id = p.wave
        WHERE {partition}
    """  # noqa: S608 (ConnectorX takes no parameters; values pass _quote or int)
    frame = read_frame(url, query).select(pl.col("response_id").cast(pl.String), pl.col("seq").cast(pl.Int64))
    pruned = frame.filter(pl.col("response_id").is_null()).select(pl.col("seq").max()).item()
    return frame.filter(pl.col("response_id").is_not_null()), int(pruned or 0)


def dimension_keys(url: str) -> pl.DataFrame:
    """Every organisation, unit and wave id with its slug or key: answers carry these names, so a rename must
    reach the snapshot although no response changes."""
    query = """
        SELECT 'organisation' AS kind, id, slug AS name FROM organisation
        UNION ALL SELECT 'unit' AS kind, id, slug AS name FROM unit
        UNION ALL SELECT 'wave' AS kind, id, key AS name FROM wave
    """
    frame = read_frame(url, query)
    return frame.select(pl.col("kind").cast(pl.String), pl.col("id").cast(pl.Int64), pl.col("name").cast(pl.String))


def instrument_versions(url: str, instrument: str) -> pl.DataFrame:
    """Every stored content version of an instrument: `version_id, version, definition` (JSON), `current`."""
    query = f"""
        SELECT v.id AS version_id, v.version AS version, CAST(v.definition AS TEXT) AS definition,
               CASE WHEN v.version = i.current_version THEN 1 ELSE 0 END AS current
        FROM instrument_version v JOIN instrument i ON i.id = v.instrument
        WHERE i.key = {_quote(instrument)}
        ORDER BY v.id
    """  # noqa: S608 (ConnectorX takes no parameters; values pass _quote or int)
    return read_frame(url, query)


def instrument_keys(url: str) -> list[str]:
    return read_frame(url, "SELECT key FROM instrument ORDER BY key").get_column("key").cast(pl.String).to_list()


def _only(column: str, response_ids: Sequence[str] | None) -> str:
    return "" if response_ids is None else f" AND {column} IN ({_in_list(response_ids)})"


def _by_ids(response_ids: Sequence[str] | None) -> tuple[str, str]:
    """The wave join and the counted test of a response query. Given response ids, both are written so that no
    index serves them (`+ 0`, `|| ''`, the same on both engines), which leaves SQLite looking the ids up by key (4 ms
    for 250 ids at 100,000 responses) instead of walking every response of the wave or of the status (40–110 ms)."""
    if response_ids is None:
        return "w.id = r.wave", _COUNTED
    return "w.id = r.wave + 0", "(r.status || '') IN ('complete', 'approved')"


def counted_responses(
    url: str, version_ids: Sequence[int], waves: Sequence[str], response_ids: Sequence[str] | None = None
) -> pl.DataFrame:
    """The counted responses of some instrument versions in some waves (and among `response_ids` when given), with
    their dimensions as slugs."""
    wave_join, counted = _by_ids(response_ids)
    query = f"""
        SELECT CAST(r.id AS TEXT) AS response_id, r.instrument_version AS version_id, w.key AS wave,
               o.slug AS organisation, u.slug AS unit, r.segment AS segment,
               r.submitted_at AS submitted_at, r.weight AS weight
        FROM response r
        JOIN wave w ON {wave_join}
        JOIN organisation o ON o.id = r.organisation
        JOIN unit u ON u.id = r.unit
        WHERE {counted} AND r.instrument_version IN ({_in_list(version_ids)}) AND w.key IN ({_in_list(waves)})
              {_only("r.id", response_ids)}
    """  # noqa: S608 (ConnectorX takes no parameters; values pass _quote or int)
    return read_frame(url, query)


_ANSWER_COLUMNS: Final[str] = (
    "CAST(a.response AS TEXT) AS response_id, a.item AS item, a.value AS value, a.na AS na, a.text AS text"
)


def answers_of_counted(
    url: str, version_ids: Sequence[int], waves: Sequence[str], response_ids: Sequence[str] | None = None
) -> pl.DataFrame:
    """Answer rows (`response_id, item, value, na, text`) of the responses `counted_responses` selects."""
    wave_join, counted = _by_ids(response_ids)
    query = f"""
        SELECT {_ANSWER_COLUMNS} FROM answer a
        WHERE a.response IN (
            SELECT r.id FROM response r JOIN wave w ON {wave_join}
            WHERE {counted} AND r.instrument_version IN ({_in_list(version_ids)})
              AND w.key IN ({_in_list(waves)}){_only("r.id", response_ids)}
        )
    """  # noqa: S608 (ConnectorX takes no parameters; values pass _quote or int)
    return read_frame(url, query)


def answer_chunks(url: str, rows: int) -> Iterator[pl.DataFrame]:
    """Every answer row (`response_id, item, value, na, text`), `rows` at a time in id order: each chunk is one
    range of the primary key, so memory holds one chunk however large the table. Three times faster than the
    semi-join of `answers_of_counted` when most of the table is wanted (a first build); the caller's join with the
    responses selects. Chunks are read at different moments: a write landing meanwhile is logged after the
    versions the caller read first, so its next refresh applies it."""
    last = 0
    while True:
        page = f"WHERE a.id > {int(last)} ORDER BY a.id LIMIT {int(rows)}"
        query = f"SELECT a.id AS id, {_ANSWER_COLUMNS} FROM answer a {page}"  # noqa: S608 (a constant and ints)
        frame = read_frame(url, query)
        if frame.is_empty():
            return
        last = int(frame.select(pl.col("id").max()).item())
        yield frame.drop("id")
        if frame.height < rows:
            return


def peer_groups(url: str) -> pl.DataFrame:
    """Every organisation's slug and its peer group's slug (null without one): the benchmark's peer table."""
    query = """
        SELECT o.slug AS organisation, p.slug AS peer_group
        FROM organisation o LEFT JOIN peer_group p ON p.id = o.peer_group
    """
    frame = read_frame(url, query)
    return frame.select(pl.col("organisation").cast(pl.String), pl.col("peer_group").cast(pl.String))
