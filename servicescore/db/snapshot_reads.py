"""Column-wise reads of the operational database for the analytics snapshot: SQL in, Polars frames out.

Every value reaches the database as a bound parameter, never as text in the query: queries are written with `?`
placeholders (PostgreSQL's driver gets `$1`, `$2`, …), and a list is one parameter (`_among`).

SQLite is read through Python's own `sqlite3`, the library every writer in the process uses. A second SQLite
build in the same process does not see the first one's locks: when its connection closed it deleted `-wal` and
`-shm` under the server's open connections, and every later commit went to an unlinked WAL and was lost at the
next crash (sqlite.org, "How To Corrupt An SQLite Database File", 2.2.1). PostgreSQL is read through ADBC's
PostgreSQL driver (libpq, no SQLite inside), which binds parameters and moves result sets into Arrow without a
Python object per row.

Both engines hand over a bounded slice of rows at a time (`_SLICE`). libpq holds the whole result of a query with
bound parameters before the first row reaches Arrow (about 450 MB for the million counted responses of a first
build), so PostgreSQL reads through a cursor declared in a read-only transaction, `_SLICE` rows per `FETCH`.

Connections of both engines are kept open for the process's next read (`_Connections`): opening one took 25–120 ms
on PostgreSQL, twenty times the freshness check it serves, and 1.5 ms of CPU on SQLite (reading the schema), fifteen
times the check's query. The check itself is one statement read as tuples (`freshness`).
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import sqlite3
import threading
from array import array
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Final, Generic, Protocol, TypeVar

import polars as pl
import pyarrow as pa

from servicescore.db.common import BUSY_TIMEOUT_MS, lock_key, sqlite_path

if TYPE_CHECKING:
    from adbc_driver_manager import AdbcStatement

# A response counts in results only once it is final: a completed survey or an approved visit.
COUNTED_STATUSES: Final[tuple[str, ...]] = ("complete", "approved")
_COUNTED = "r.status IN ('complete', 'approved')"

# One bound value: a scalar, or a list that `_among` tests a column against.
Parameter = str | int | Sequence[str] | Sequence[int]


def _is_sqlite(url: str) -> bool:
    return url.startswith("sqlite:")


def _postgres_url(url: str) -> str:
    if not url.startswith(("postgresql://", "postgres://")):
        raise ValueError("analytics reads need a sqlite:/// or postgresql:// URL")
    return url.replace("postgres://", "postgresql://", 1)


def _among(url: str, pg_type: str) -> str:
    """`IN` a list given as one parameter: a JSON array on SQLite (`json_each`), an array of `pg_type` on PostgreSQL
    (`= ANY`, which PostgreSQL plans as it plans an `IN` list)."""
    return "IN (SELECT value FROM json_each(?))" if _is_sqlite(url) else f"= ANY(CAST(? AS {pg_type}[]))"


def _sqlite_values(parameters: Sequence[Parameter]) -> list[str | int]:
    return [value if isinstance(value, str | int) else json.dumps(list(value)) for value in parameters]


def _arrow_offsets(lengths: Iterable[int]) -> pa.Buffer:
    return pa.py_buffer(array("q", [0, *accumulate(lengths)]))


def _arrow_text(values: Sequence[str]) -> pa.Array:
    data = [value.encode("utf-8") for value in values]
    offsets = _arrow_offsets(len(datum) for datum in data)
    return pa.LargeStringArray.from_buffers(len(data), offsets, pa.py_buffer(b"".join(data)))


def _arrow_value(value: Parameter) -> pa.Array:
    """One parameter as a one-row array: text, a 64-bit integer, or a list of text (`_among` casts it)."""
    if isinstance(value, str):
        return _arrow_text([value])
    if isinstance(value, int):
        return pa.Array.from_buffers(pa.int64(), 1, [None, pa.py_buffer(array("q", [value]))])
    offsets = pa.Array.from_buffers(pa.int64(), 2, [None, _arrow_offsets([len(value)])])
    return pa.LargeListArray.from_arrays(offsets, _arrow_text([str(v) for v in value]))


def _arrow_values(parameters: Sequence[Parameter]) -> pa.RecordBatch:
    """The parameters as the one-row batch ADBC binds, built from buffers: `pyarrow.array` of Python values loads
    pandas (0.5 s) to ask whether they are pandas objects, and a Polars frame's `to_arrow` waited for Polars' threads
    (3 ms in 1 % of the freshness checks on a loaded machine)."""
    columns = [_arrow_value(value) for value in parameters]
    return pa.RecordBatch.from_arrays(columns, names=[f"p{n}" for n in range(1, len(columns) + 1)])


def _numbered(query: str) -> str:
    """PostgreSQL's placeholders: the n-th `?` becomes `$n` (no query here holds a `?` in a literal)."""
    first, *rest = query.split("?")
    return first + "".join(f"${n}{part}" for n, part in enumerate(rest, 1))


class Read(Protocol):
    """One connection's reads: a query and its parameters in, its rows out as a frame (`at_once` when the result is
    known to be small: read whole) or as plain tuples (`rows`: a handful of rows, for which a frame costs more than
    the query)."""

    def frame(self, query: str, parameters: Sequence[Parameter], at_once: bool = False, /) -> pl.DataFrame: ...

    def slices(self, query: str, parameters: Sequence[Parameter], /) -> Iterator[pl.DataFrame]: ...

    def rows(self, query: str, parameters: Sequence[Parameter], /) -> list[tuple[Any, ...]]: ...


T = TypeVar("T")

# Rows turned into a frame at a time: a million responses as Python tuples took 1.4 GB at once on SQLite, and libpq
# held the whole result (450 MB) on PostgreSQL.
_SLICE: Final[int] = 50_000


def _sqlite_slices(cursor: sqlite3.Cursor) -> Iterator[pl.DataFrame]:
    """A result's rows, `_SLICE` rows of Python objects at a time, each slice's column types inferred over all its
    rows (`answer.value` mixes integers and reals: slices may differ)."""
    names = [column[0] for column in cursor.description]
    for rows in iter(lambda: cursor.fetchmany(_SLICE), []):
        yield pl.DataFrame(rows, schema=names, orient="row", infer_schema_length=None)


def _sqlite_frame(cursor: sqlite3.Cursor) -> pl.DataFrame:
    """A result's rows as a frame, its slices' types widened to one another."""
    slices = list(_sqlite_slices(cursor))
    names = [column[0] for column in cursor.description]
    return pl.concat(slices, how="vertical_relaxed") if slices else pl.DataFrame(schema=names)


def _adbc() -> ModuleType:
    from servicescore.db import adbc_driver  # noqa: PLC0415 (ADBC loads on the first PostgreSQL read: see the module)

    return adbc_driver


class _Postgres:
    """One connection to PostgreSQL through ADBC, in autocommit mode: statements run as they are written, results
    arrive as Arrow."""

    def __init__(self, url: str) -> None:
        self._adbc = _adbc()
        self._database = self._adbc.connect(_postgres_url(url))
        try:
            self._connection = self._adbc.AdbcConnection(self._database)
        except BaseException:
            self._database.close()
            raise

    def _statement(self, sql: str) -> AdbcStatement:
        statement: AdbcStatement = self._adbc.AdbcStatement(self._connection)
        # ADBC wraps a query without parameters in `COPY … TO STDOUT`, which cannot hold a `FETCH`.
        statement.set_options(**{"adbc.postgresql.use_copy": "false"})
        statement.set_sql_query(sql)
        return statement

    def table(self, sql: str, values: pa.RecordBatch | None = None) -> pa.Table:
        with closing(self._statement(sql)) as statement:
            if values is not None:
                statement.bind(values)
            stream, _ = statement.execute_query()
            return pa.RecordBatchReader.from_stream(stream).read_all()

    def run(self, sql: str) -> None:
        with closing(self._statement(sql)) as statement:
            statement.execute_update()

    def close(self) -> None:
        self._connection.close()
        self._database.close()


def _postgres_slices(connection: _Postgres, query: str, parameters: Sequence[Parameter]) -> Iterator[pl.DataFrame]:
    """A query's rows, `_SLICE` rows per `FETCH` from a cursor (the values still bound to the `DECLARE`, `_SLICE` is
    this module's constant) in a read-only transaction that ends with the read: every slice sees the database as the
    first did. The last slice is short, possibly empty (the first one always comes, with the result's columns)."""
    connection.run("BEGIN READ ONLY")
    try:
        values = _arrow_values(parameters) if parameters else None
        connection.table(f"DECLARE reading NO SCROLL CURSOR FOR {_numbered(query)}", values)
        while True:
            piece = pl.DataFrame(connection.table(f"FETCH FORWARD {_SLICE} FROM reading"))
            yield piece
            if piece.height < _SLICE:
                break
    except BaseException:
        connection.run("ROLLBACK")
        raise
    connection.run("COMMIT")


def _postgres_frame(connection: _Postgres, query: str, parameters: Sequence[Parameter], at_once: bool) -> pl.DataFrame:
    """A query's rows as a frame, read in slices (`_postgres_slices`). A result read `at_once` (a row per partition
    or organisation) takes one statement instead of four: the freshness check is two."""
    if at_once:
        return pl.DataFrame(connection.table(_numbered(query), _arrow_values(parameters) if parameters else None))
    slices = list(_postgres_slices(connection, query, parameters))
    return pl.concat(slices) if len(slices) > 1 else slices[0]


def _postgres_rows(connection: _Postgres, query: str, parameters: Sequence[Parameter]) -> list[tuple[Any, ...]]:
    """A small result's rows as tuples, read whole in one statement."""
    table = connection.table(_numbered(query), _arrow_values(parameters) if parameters else None)
    return list(zip(*(column.to_pylist() for column in table.columns), strict=True))


class _Closing(Protocol):
    def close(self) -> None: ...


C = TypeVar("C", bound=_Closing)


class _Connections(Generic[C]):
    """The process's idle connections of one engine (none inside a transaction or a statement), at most `kept`, shared
    by its threads: a read takes one for its key or opens one, and gives it back when it succeeded. A forked child
    never uses or closes its parent's (they share the sockets and files); the rest are closed when the process
    exits."""

    def __init__(self, kept: int) -> None:
        self.kept = kept
        self._idle: list[tuple[Hashable, C]] = []
        self._inherited: list[tuple[Hashable, C]] = []  # a parent's: kept from the collector, which closes them
        self._lock = threading.Lock()
        os.register_at_fork(after_in_child=self._forget)
        atexit.register(self.close)

    def _forget(self) -> None:
        self._inherited += self._idle
        self._idle = []
        self._lock = threading.Lock()

    def take(self, key: Hashable) -> C | None:
        """An idle connection of `key`, or None."""
        with self._lock:
            for number, (held, connection) in enumerate(self._idle):
                if held == key:
                    del self._idle[number]
                    return connection
        return None

    def give_back(self, key: Hashable, connection: C) -> None:
        with self._lock:
            self._idle.append((key, connection))
            surplus, self._idle = self._idle[: -self.kept], self._idle[-self.kept :]
        for _, extra in surplus:
            extra.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for _, connection in idle:
            connection.close()


# A server's threads read at once; more idle connections than that only hold server memory.
_CONNECTIONS: Final = _Connections[_Postgres](kept=4)
# SQLite's are kept as well: opening one and reading the schema (a hundred tables, indexes and triggers) cost 1.5 ms
# of CPU, fifteen times the freshness check's query. A kept one is idle in autocommit, with no statement open: it
# holds no snapshot of the database (its next read sees what was committed by then) and holds back no checkpoint.
_SQLITE_CONNECTIONS: Final = _Connections[sqlite3.Connection](kept=4)


def _sqlite_file(path: Path) -> tuple[int, int] | None:
    """The database file at `path` (device and inode): a kept connection reads the file it opened, so it is used
    again only while the path still names that file (not after a restore or a re-created database)."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


class _SqliteRead:
    """Reads through one `sqlite3` connection, in autocommit: each sees what was committed when it ran."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def frame(self, query: str, parameters: Sequence[Parameter], _at_once: bool = False, /) -> pl.DataFrame:
        return _sqlite_frame(self._connection.execute(query, _sqlite_values(parameters)))  # sliced, few or many

    def slices(self, query: str, parameters: Sequence[Parameter], /) -> Iterator[pl.DataFrame]:
        return _sqlite_slices(self._connection.execute(query, _sqlite_values(parameters)))

    def rows(self, query: str, parameters: Sequence[Parameter], /) -> list[tuple[Any, ...]]:
        return self._connection.execute(query, _sqlite_values(parameters)).fetchall()


class _PostgresRead:
    """Reads through a kept connection (`_CONNECTIONS`). A kept connection the server has closed meanwhile (a restart,
    an idle timeout) fails its first statement: that read runs again on a new connection."""

    def __init__(self, url: str) -> None:
        self._url = url
        kept = _CONNECTIONS.take(url)
        self.connection, self._kept = (kept, True) if kept is not None else (_Postgres(url), False)

    def _again_if_gone(self, read: Callable[[_Postgres], T]) -> T:
        try:
            return read(self.connection)
        except _adbc().OperationalError:  # a connection that is gone (among other errors, which then fail again)
            if not self._kept:
                raise
        self.connection.close()
        self.connection, self._kept = _Postgres(self._url), False
        return read(self.connection)

    def frame(self, query: str, parameters: Sequence[Parameter], at_once: bool = False, /) -> pl.DataFrame:
        return self._again_if_gone(lambda connection: _postgres_frame(connection, query, parameters, at_once))

    def slices(self, query: str, parameters: Sequence[Parameter], /) -> Iterator[pl.DataFrame]:
        def first(connection: _Postgres) -> tuple[Iterator[pl.DataFrame], pl.DataFrame]:
            stream = _postgres_slices(connection, query, parameters)
            return stream, next(stream)

        stream, piece = self._again_if_gone(first)  # a connection found gone is replaced before the first slice
        yield piece
        yield from stream

    def rows(self, query: str, parameters: Sequence[Parameter], /) -> list[tuple[Any, ...]]:
        return self._again_if_gone(lambda connection: _postgres_rows(connection, query, parameters))


@contextmanager
def _reading(url: str) -> Iterator[Read]:
    """One connection for several reads: SQLite through Python's own `sqlite3` (see the module docstring for why
    never another build), PostgreSQL through ADBC on a connection kept for the next read."""
    if _is_sqlite(url):
        path = sqlite_path(url)
        key = (url, _sqlite_file(path))  # read before opening: a file replaced meanwhile is opened anew next time
        connection = _SQLITE_CONNECTIONS.take(key) if key[1] is not None else None
        if connection is None:  # used by one thread at a time: taken from the idle ones, given back after the reads
            connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
            connection.execute("PRAGMA query_only = ON")
        try:
            yield _SqliteRead(connection)
        except BaseException:
            connection.close()  # a read that failed may have left a statement open: never used again
            raise
        _SQLITE_CONNECTIONS.give_back(key, connection)
        return
    postgres = _PostgresRead(url)
    try:
        yield postgres
    except BaseException:
        postgres.connection.close()
        raise
    _CONNECTIONS.give_back(url, postgres.connection)


# The read `shared_connection` opened for this thread or task, with its URL.
_SHARED: ContextVar[tuple[str, Read] | None] = ContextVar("snapshot_reads_shared", default=None)


@contextmanager
def shared_connection(url: str) -> Iterator[None]:
    """Every read of `url` inside the block (in this thread or task) goes through one connection: on PostgreSQL
    opening one costs about 40 ms of the client's CPU (its password exchange), six of them were most of a refresh
    after one new response (240 of 340 ms) and of a warm dashboard page. Each read still sees what was committed
    when it ran (the reads are separate statements: SQLite in autocommit, PostgreSQL at READ COMMITTED)."""
    shared = _SHARED.get()
    if shared is not None and shared[0] == url:
        yield
        return
    with _reading(url) as read:
        token = _SHARED.set((url, read))
        try:
            yield
        finally:
            _SHARED.reset(token)


def read_frame(url: str, query: str, parameters: Sequence[Parameter] = (), *, at_once: bool = False) -> pl.DataFrame:
    """The rows of a query of the operational database as a frame, `parameters` bound to its `?` in order. With
    `at_once`, the result is known to be small (a row per partition, per organisation): PostgreSQL reads it whole."""
    shared = _SHARED.get()
    if shared is not None and shared[0] == url:
        return shared[1].frame(query, parameters, at_once)
    with _reading(url) as read:
        return read.frame(query, parameters, at_once)


def read_slices(url: str, query: str, parameters: Sequence[Parameter] = ()) -> Iterator[pl.DataFrame]:
    """The rows of a large query a slice at a time, on a connection of its own (never the shared one: its owner may
    read between two slices), held until the last slice or until the caller stops."""
    with _reading(url) as read:
        yield from read.slices(query, parameters)


def read_rows(url: str, query: str, parameters: Sequence[Parameter] = ()) -> list[tuple[Any, ...]]:
    """The rows of a small result (a row per partition, per organisation) as tuples, read whole: no frame is made
    for a handful of rows (the freshness check)."""
    shared = _SHARED.get()
    if shared is not None and shared[0] == url:
        return shared[1].rows(query, parameters)
    with _reading(url) as read:
        return read.rows(query, parameters)


@contextmanager
def advisory_lock(url: str, name: str) -> Iterator[None]:
    """Hold PostgreSQL's session advisory lock `name` (`lock_key`) while the block runs, on the connection its reads
    share (`shared_connection`, a kept one): a lock on a session of its own opened a connection for every refresh
    that wrote, 20–470 ms of a 60–700 ms refresh after one new response at 1M responses (a backend started and a
    password exchanged on a loaded server). The lock is released when the block is left, however; if the release
    fails, the block's connection is closed (`_reading`), which ends the session and the lock with it, so a
    connection given back for the next read never holds it."""
    key = lock_key(name)
    with shared_connection(url):
        read_rows(url, "SELECT pg_advisory_lock(?) IS NULL AS taken", [key])
        try:
            yield
        finally:
            read_rows(url, "SELECT pg_advisory_unlock(?) AS released", [key])


# Every partition of an instrument (or of every instrument when both parameters are ''), one row each: its version
# (summed over the instrument's content versions), its newest change row's `seq` and its highest pruned `seq`.
_PARTITIONS: Final[str] = """
    SELECT instrument, wave, CAST(sum(version) AS BIGINT) AS version, CAST(COALESCE(max(seq), 0) AS BIGINT) AS seq,
           CAST(max(pruned) AS BIGINT) AS pruned FROM (
        SELECT i.key AS instrument, w.key AS wave, p.version AS version, p.pruned AS pruned,
               (SELECT max(c.seq) FROM snapshot_change c
                WHERE c.instrument_version = p.instrument_version AND c.wave = p.wave) AS seq
        FROM snapshot_partition p
        JOIN instrument_version v ON v.id = p.instrument_version
        JOIN instrument i ON i.id = v.instrument
        JOIN wave w ON w.id = p.wave
        WHERE ? = '' OR i.key = ?
    ) partitions
    GROUP BY instrument, wave
"""

# Every organisation, unit and wave id with its slug or key: answers carry these names, so a rename must reach the
# snapshot although no response changes.
_NAMES: Final[str] = """
    SELECT 'organisation' AS kind, id, slug AS name FROM organisation
    UNION ALL SELECT 'unit' AS kind, id, slug AS name FROM unit
    UNION ALL SELECT 'wave' AS kind, id, key AS name FROM wave
"""


def partition_versions(url: str, instrument: str | None = None) -> pl.DataFrame:
    """`instrument, wave, version, seq` of every partition that ever held a counted response: one row each.

    The database's triggers (migration m0005) bump `snapshot_partition.version` in the same transaction as any
    write that changes a counted response or its answers, and log the response in `snapshot_change`; `seq` is the
    partition's latest change (0 for none), which pruning never lowers: the larger of its newest change row and the
    highest pruned one (`snapshot_partition.pruned`, m0016). A partition spans the instrument's content versions: the
    sum of their counters only grows. One indexed lookup per partition, however many responses there are.
    """
    every = instrument or ""  # '' selects every instrument (no instrument's key is empty)
    frame = read_frame(url, _PARTITIONS, [every, every], at_once=True)
    return frame.select(
        pl.col("instrument").cast(pl.String),
        pl.col("wave").cast(pl.String),
        pl.col("version").cast(pl.Int64),
        pl.max_horizontal(pl.col("seq").cast(pl.Int64), pl.col("pruned").cast(pl.Int64)).alias("seq"),
    )


@dataclass(frozen=True)
class Freshness:
    """What the freshness check reads: each partition's version and latest change (as `partition_versions`), and the
    names answers carry (`kind, id, name` of every organisation, unit and wave)."""

    partitions: dict[tuple[str, str], tuple[int, int]]  # (instrument, wave) → (version, seq)
    names: tuple[tuple[str, int, str], ...]


def freshness(url: str, instrument: str | None = None) -> Freshness:
    """The partitions of `instrument` (every instrument when None) and the names, in one statement read as tuples:
    the check before every read costs one round trip and no frame (two statements and their frames were 1.3–2 ms of
    a 5 ms budget at 1M responses on PostgreSQL)."""
    query = f"""
        SELECT '' AS kind, instrument AS name, wave, version AS number, seq, pruned FROM ({_PARTITIONS}) partitions
        UNION ALL SELECT kind, name, NULL, id, NULL, NULL FROM ({_NAMES}) names
    """  # noqa: S608 (only this module's SQL is interpolated; every value is a bound parameter)
    every = instrument or ""
    partitions: dict[tuple[str, str], tuple[int, int]] = {}
    names: list[tuple[str, int, str]] = []
    for kind, name, wave, number, seq, pruned in read_rows(url, query, [every, every]):
        if kind:
            names.append((str(kind), int(number), str(name)))
        else:
            partitions[str(name), str(wave)] = (int(number), max(int(seq), int(pruned)))
    return Freshness(partitions, tuple(names))


def changed_responses(url: str, instrument: str, wave: str, after: int) -> tuple[pl.DataFrame, int]:
    """`response_id, seq, first_seq`: each response of a partition logged in `snapshot_change` after `after`, with
    its latest change and the first change logged of it in the partition (m0022; 0 when unknown). Whatever they are
    now (counted, moved, gone), their rows in the snapshot are to be replaced; a snapshot holds none of those first
    logged after the last change its rows reflect.

    With them, the partition's highest pruned `seq` (m0016), read in the same statement: the upkeep job deletes
    change rows and raises it in one transaction, so when it is above `after` rows this reader needed may be gone
    (another snapshot applied more and pruned), and the partition must be rebuilt instead of merged."""
    query = """
        SELECT CAST(c.response AS TEXT) AS response_id, max(c.seq) AS seq,
               min(COALESCE(c.first_seq, c.seq)) AS first_seq
        FROM snapshot_change c
        JOIN instrument_version v ON v.id = c.instrument_version
        JOIN instrument i ON i.id = v.instrument
        JOIN wave w ON w.id = c.wave
        WHERE i.key = ? AND w.key = ? AND c.seq > ?
        GROUP BY c.response
        UNION ALL
        SELECT NULL AS response_id, max(p.pruned) AS seq, NULL AS first_seq
        FROM snapshot_partition p
        JOIN instrument_version v ON v.id = p.instrument_version
        JOIN instrument i ON i.id = v.instrument
        JOIN wave w ON w.id = p.wave
        WHERE i.key = ? AND w.key = ?
    """
    parameters: list[Parameter] = [instrument, wave, int(after), instrument, wave]
    frame = read_frame(url, query, parameters).select(
        pl.col("response_id").cast(pl.String), pl.col("seq").cast(pl.Int64), pl.col("first_seq").cast(pl.Int64)
    )
    pruned = frame.filter(pl.col("response_id").is_null()).select(pl.col("seq").max()).item()
    return frame.filter(pl.col("response_id").is_not_null()), int(pruned or 0)


def instrument_versions(url: str, instrument: str) -> pl.DataFrame:
    """Every stored content version of an instrument: `version_id, version, definition` (JSON), `current`."""
    query = """
        SELECT v.id AS version_id, v.version AS version, CAST(v.definition AS TEXT) AS definition,
               CASE WHEN v.version = i.current_version THEN 1 ELSE 0 END AS current
        FROM instrument_version v JOIN instrument i ON i.id = v.instrument
        WHERE i.key = ?
        ORDER BY v.id
    """
    return read_frame(url, query, [instrument], at_once=True)


def instrument_keys(url: str) -> list[str]:
    keys = read_frame(url, "SELECT key FROM instrument ORDER BY key", at_once=True).get_column("key")
    return keys.cast(pl.String).to_list()


def _only(url: str, response_ids: Sequence[str] | None) -> tuple[str, list[Parameter]]:
    """The test that limits a response query to `response_ids` (none without them), and its parameter."""
    return ("", []) if response_ids is None else (f" AND r.id {_among(url, 'uuid')}", [list(response_ids)])


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
    their dimensions as slugs and the number their answers refer to them by."""
    wave_join, counted = _by_ids(response_ids)
    only, ids = _only(url, response_ids)
    query = f"""
        SELECT CAST(r.id AS TEXT) AS response_id, r.number AS response_number, r.instrument_version AS version_id,
               w.key AS wave,
               o.slug AS organisation, u.slug AS unit, r.segment AS segment,
               r.submitted_at AS submitted_at, r.weight AS weight
        FROM response r
        JOIN wave w ON {wave_join}
        JOIN organisation o ON o.id = r.organisation
        JOIN unit u ON u.id = r.unit
        WHERE {counted} AND r.instrument_version {_among(url, "bigint")} AND w.key {_among(url, "text")}{only}
    """  # noqa: S608 (only this module's SQL is interpolated; every value is a bound parameter)
    return read_frame(url, query, [list(version_ids), list(waves), *ids])


def _answers_query(url: str, response_ids: Sequence[str] | None) -> tuple[str, list[Parameter]]:
    """The answers of the responses `counted_responses` selects: its query and the parameters after the versions and
    waves."""
    wave_join, counted = _by_ids(response_ids)
    only, ids = _only(url, response_ids)
    query = f"""
        SELECT a.response_number AS response_number, a.item AS item, a.value AS value, a.na AS na, a.text AS text
        FROM response r JOIN wave w ON {wave_join}
        JOIN answer a ON a.response_number = r.number
        WHERE {counted} AND r.instrument_version {_among(url, "bigint")} AND w.key {_among(url, "text")}{only}
    """  # noqa: S608 (only this module's SQL is interpolated; every value is a bound parameter)
    return query, ids


def answers_of_counted(
    url: str, version_ids: Sequence[int], waves: Sequence[str], response_ids: Sequence[str] | None = None
) -> pl.DataFrame:
    """Answer rows (`response_number, item, value, na, text`) of the responses `counted_responses` selects."""
    query, ids = _answers_query(url, response_ids)
    return read_frame(url, query, [list(version_ids), list(waves), *ids])


def counted_answer_slices(url: str, version_ids: Sequence[int], waves: Sequence[str]) -> Iterator[pl.DataFrame]:
    """The same rows for every counted response of the waves, a slice at a time, in the order the database keeps them
    (a walk of the answers' index: no sort, no random reads), all slices from one read of the database."""
    query, _ = _answers_query(url, None)
    return read_slices(url, query, [list(version_ids), list(waves)])


@functools.cache
def database_identity(url: str) -> str:
    """Which database a URL reaches, named alike from every machine and every spelling of the URL: SQLite's file
    (resolved), PostgreSQL's cluster (its system identifier) and database name. A snapshot is made from one database
    and never read as another's."""
    if _is_sqlite(url):
        return f"sqlite:{sqlite_path(url).resolve()}"
    query = "SELECT CAST(system_identifier AS TEXT) AS cluster, current_database() AS name FROM pg_control_system()"
    ((cluster, name),) = read_frame(url, query, at_once=True).iter_rows()
    return f"postgresql:{cluster}/{name}"


def applied_migrations(url: str) -> set[str]:
    """The ids of the migrations the database has applied, from Piccolo's own `migration` table."""
    frame = read_frame(url, "SELECT name FROM migration WHERE app_name = ?", ["servicescore"], at_once=True)
    return set(frame.get_column("name").cast(pl.String).to_list())


def peer_groups(url: str) -> pl.DataFrame:
    """Every organisation's slug and its peer group's slug (null without one): the benchmark's peer table."""
    query = """
        SELECT o.slug AS organisation, p.slug AS peer_group
        FROM organisation o LEFT JOIN peer_group p ON p.id = o.peer_group
    """
    frame = read_frame(url, query, at_once=True)
    return frame.select(pl.col("organisation").cast(pl.String), pl.col("peer_group").cast(pl.String))
