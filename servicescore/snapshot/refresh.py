"""Keeping the snapshot in step with the database, and reading it.

Each partition (instrument × wave) carries the database's version of it and the last change it applied: the
database's own triggers bump the version and log the response in the same transaction as any write that changes a
counted response or its answers (migration m0005), so the freshness check is one statement that reads one small row
per partition and the names answers carry (`db/snapshot_reads.freshness`), however many responses there are. A
partition whose version moved merges just the responses logged since its last applied change: their current counted
rows replace what the snapshot held of them, so the work follows the change, not the wave. When all of them were
first logged after the last change the partition's rows reflect (`Fingerprint.held`; each change row carries its
response's first logged change, m0022), the snapshot holds none of them (new responses, the common case): they are
appended without reading the partition, one small file each time, which the periodic upkeep job compacts
(`snapshot.upkeep`): a read never waits for a compaction. Versions and changes are read *before* the answers, so a
write landing in between is applied again at the next read: a rebuild records the partition's latest change read
*after* its answers as `held`, so such a response counts as held by then and is merged, and merging the same
response twice gives the same rows; nothing is ever reported current that is not.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, partial

import polars as pl

from servicescore.db import snapshot_reads as reads
from servicescore.definitions import Instrument
from servicescore.scoring import ANSWER_SCHEMA
from servicescore.scoring.catalogue import items_frame
from servicescore.settings import Settings
from servicescore.snapshot.catalogue import sections_frame
from servicescore.snapshot.dimensions import stamp, unchanged
from servicescore.snapshot.ordered import ORDER
from servicescore.snapshot.store import (
    Entry,
    Fingerprint,
    Place,
    append_rows,
    mark_written,
    merge_responses,
    ordered_answers,
    partition_file,
    partition_rows,
    place,
    read_manifest,
    refresh_lock,
    replace_partitions,
    scan,
    write_manifest,
    written_before,
)

# Above this many changed responses a partition is rebuilt from the database instead of merged (a bulk import).
MERGE_LIMIT = 5_000
# Answers a build sorts at a time (a run; a partition with more is written as several files, which readers merge):
# memory holds one run's narrow columns, about 60 bytes an answer, and the partition's counted responses.
BUILD_ANSWERS = 1_500_000
# Answers of a sorted run joined to their responses and written at a time.
WRITE_ROWS = 262_144
# The columns of answer rows as read, typed alike on both engines (SQLite gives a slice of whole ratings as integers).
_ANSWER_TYPES = pl.Schema(
    {"response_number": pl.Int64(), "item": pl.String(), "value": pl.Float64(), "na": pl.Boolean(), "text": pl.String()}
)
_DB_TIME_FORMAT = "%Y-%m-%d %H:%M:%S%.f%:z"


@dataclass
class RefreshReport:
    rebuilt: list[tuple[str, str]] = field(default_factory=list)
    merged: list[tuple[str, str]] = field(default_factory=list)
    appended: list[tuple[str, str]] = field(default_factory=list)  # merged partitions whose changes were all new
    emptied: list[tuple[str, str]] = field(default_factory=list)
    kept: int = 0
    rows_written: int = 0
    seconds: float = 0.0


def _versions(url: str, instrument: str) -> list[tuple[int, Instrument, bool]]:
    rows = reads.instrument_versions(url, instrument).iter_rows(named=True)
    return [(int(r["version_id"]), Instrument.model_validate_json(r["definition"]), bool(r["current"])) for r in rows]


def _as_utc(column: str, dtype: pl.DataType) -> pl.Expr:
    """SQLite keeps timestamps as text, PostgreSQL as timestamptz: both become UTC microseconds."""
    if dtype == pl.Null:  # no rows: a typeless column
        return pl.col(column).cast(pl.Datetime("us", "UTC"))
    if dtype == pl.String:
        return pl.col(column).str.to_datetime(_DB_TIME_FORMAT, time_zone="UTC", time_unit="us", strict=False)
    if isinstance(dtype, pl.Datetime) and dtype.time_zone is None:
        return pl.col(column).dt.replace_time_zone("UTC").dt.cast_time_unit("us")
    return pl.col(column).dt.convert_time_zone("UTC").dt.cast_time_unit("us")


def _typed_responses(responses: pl.DataFrame) -> pl.DataFrame:
    """Response rows as the database gives them, typed alike on both engines: ids as text, times in UTC."""
    return responses.with_columns(
        pl.col("response_id").cast(pl.String),
        pl.col("response_number").cast(pl.Int64),
        pl.col("version_id").cast(pl.Int64),
        _as_utc("submitted_at", responses.schema["submitted_at"]),
    )


def answer_frame(
    responses: pl.DataFrame, answers: pl.DataFrame, sections: pl.DataFrame, instrument: str
) -> pl.DataFrame:
    """Join response rows (`_typed_responses`) and raw answer rows into `ANSWER_SCHEMA`, the answers' order kept
    (pure: frames in, frame out)."""
    return (
        answers.cast(_ANSWER_TYPES)
        .join(responses, on="response_number", how="inner", maintain_order="left")
        .join(sections, on=["version_id", "item"], how="left", maintain_order="left")
        .with_columns(instrument=pl.lit(instrument))
        .select(pl.col(name).cast(dtype) for name, dtype in ANSWER_SCHEMA.items())
    )


def _empty_answers() -> pl.DataFrame:
    return pl.DataFrame(schema=ANSWER_SCHEMA)


def _runs(slices: Iterable[pl.DataFrame], rows: int) -> Iterator[pl.DataFrame]:
    """The answer slices gathered into frames of `rows` rows or more (the last one fewer), typed alike. A run is
    handed over whole: this generator keeps no reference to it."""
    held: list[pl.DataFrame] = []
    count = 0
    for piece in slices:
        held.append(piece.cast(_ANSWER_TYPES))
        count += piece.height
        if count >= rows:
            yield _gathered(held)
            count = 0
    if count:
        yield _gathered(held)


def _gathered(held: list[pl.DataFrame]) -> pl.DataFrame:
    """The frames of `held` as one (their memory shared, not copied), `held` emptied."""
    frame = pl.concat(held, rechunk=False)
    held.clear()
    return frame


def _in_order(run: pl.DataFrame, chosen: pl.DataFrame) -> pl.DataFrame:
    """A run's answers in `ORDER`: `chosen` holds the partition's responses in `ORDER`, numbered by `place`, and the
    run is sorted by its responses' places and items. An answer whose response is not among them (counted after they
    were read) is left out, as the join to them would leave it."""
    place = pl.col("response_number").replace_strict(
        chosen.get_column("response_number"), chosen.get_column("place"), default=None
    )
    return run.with_columns(place=place).drop_nulls("place").sort("place", "item")


def _rebuilt_runs(
    url: str, stale: dict[str, list[str]]
) -> Callable[[tuple[str, str]], Iterator[Iterator[pl.DataFrame]]]:
    """The answers of each `stale` partition (instrument → waves) as runs in `ORDER`, each to be one file. A
    partition's counted responses are read first (a row each) and sorted; its answers are read in the database's own
    order (one walk of the answers' index, neither sorted nor fetched by id), `BUILD_ANSWERS` at a time, and each such
    run is put in order (`_in_order`). Memory holds the partition's responses and one run's narrow columns."""
    versions = {instrument: _versions(url, instrument) for instrument in stale}
    sections = {name: sections_frame((v, d) for v, d, _ in found) for name, found in versions.items()}

    def runs_of(key: tuple[str, str]) -> Iterator[Iterator[pl.DataFrame]]:
        instrument, wave = key
        ids = [version_id for version_id, _, _ in versions[instrument]]
        chosen = _typed_responses(reads.counted_responses(url, ids, [wave])).sort(ORDER[:3]).with_row_index("place")
        for run in _runs(reads.counted_answer_slices(url, ids, [wave]), BUILD_ANSWERS):
            ordered = _in_order(run, chosen)
            del run  # memory holds the run in order only
            yield (
                answer_frame(chosen, rows, sections[instrument], instrument) for rows in ordered.iter_slices(WRITE_ROWS)
            )
            del ordered  # written by now: freed before the next run is read

    return runs_of


@dataclass(frozen=True)
class _Plan:
    """What a refresh has to do: partitions to rebuild (`stale`, instrument → waves) and to merge (`moved`)."""

    manifest: dict[tuple[str, str], Entry]
    current: dict[tuple[str, str], Fingerprint]
    stale: dict[str, list[str]]
    moved: list[tuple[str, str]]
    dimensions: str

    @property
    def current_already(self) -> bool:
        return not self.stale and not self.moved


def _plan(where: Place, url: str, instrument: str | None) -> _Plan:
    manifest = read_manifest(where)
    found = reads.freshness(url, instrument)
    dimensions = stamp(found.names)
    names_kept = cache(partial(unchanged, found.names))
    current = {key: Fingerprint(version, seq, dimensions) for key, (version, seq) in found.partitions.items()}
    stale: dict[str, list[str]] = {}
    moved: list[tuple[str, str]] = []
    for key, fingerprint in current.items():
        entry = manifest.get(key)
        if entry is None or not names_kept(entry.fingerprint.dimensions):
            stale.setdefault(key[0], []).append(key[1])
        elif entry.fingerprint.version != fingerprint.version:
            moved.append(key)
    return _Plan(manifest, current, stale, moved, dimensions)


def refresh_snapshot(settings: Settings, instrument: str | None = None) -> RefreshReport:
    """Bring the partitions of `instrument` (every instrument when None) in step with the database: a partition
    whose version moved merges the responses changed since its last applied change (appends them when it holds
    none of them); a new partition, one whose names changed, one with more than `MERGE_LIMIT` changed responses, or
    one whose change rows were pruned past what it applied (by the upkeep of another snapshot of the database) is
    rebuilt."""
    with reads.shared_connection(settings.database):
        return _refresh(settings, instrument)


def _refresh(settings: Settings, instrument: str | None) -> RefreshReport:
    started = time.perf_counter()
    report = RefreshReport()
    where, url = place(settings), settings.database
    # Most reads find the snapshot current: they need no lock (the manifest is replaced whole, and only after the
    # table's commit), so a reader on PostgreSQL opens no lock connection.
    plan = _plan(where, url, instrument)
    if plan.current_already:
        report.kept, report.seconds = len(plan.current), time.perf_counter() - started
        return report
    with refresh_lock(where.lock_folder, url, where.location):
        if read_manifest(where) != plan.manifest:  # another refresher did work while this one waited: plan again
            plan = _plan(where, url, instrument)
        manifest, current, stale, moved = plan.manifest, plan.current, plan.stale, plan.moved
        dimensions = plan.dimensions
        for key in sorted(set(moved) & set(written_before(where))):  # the table may hold rows the manifest lacks
            moved.remove(key)
            stale.setdefault(key[0], []).append(key[1])
        held_before = {key: entry.rows for key, entry in manifest.items()}
        report.kept = len(current) - len(moved) - sum(len(w) for w in stale.values())
        if plan.current_already:
            report.seconds = time.perf_counter() - started
            return report
        mark_written(where, [*moved, *((name, wave) for name, waves in stale.items() for wave in waves)])
        changes: dict[tuple[str, str], pl.DataFrame] = {}
        for key in sorted(moved):
            entry = manifest[key]
            changed, pruned = reads.changed_responses(url, *key, after=entry.fingerprint.seq)
            if changed.height > MERGE_LIMIT or pruned > entry.fingerprint.seq:  # a bulk import, or changes pruned
                stale.setdefault(key[0], []).append(key[1])
            else:
                changes[key] = changed
        added = _apply_changes(where, url, changes, {key: manifest[key].fingerprint.held for key in changes}, report)
        for key, changed in changes.items():
            entry = manifest[key]
            applied = max(entry.fingerprint.seq, int(changed.select(pl.col("seq").max()).item() or 0))
            fingerprint = Fingerprint(current[key].version, applied, dimensions, max(entry.fingerprint.held, applied))
            manifest[key] = Entry(*key, fingerprint, entry.rows, entry.file)
            report.merged.append(key)
        if stale:
            keys = [(name, wave) for name, waves in stale.items() for wave in waves]
            report.rows_written += replace_partitions(where, keys, _rebuilt_runs(url, stale))
            held = _latest_changes(url, instrument)  # read after the answers: no row reflects a later change
            for key in keys:  # the row counts come from the table below
                fingerprint = current[key]
                fingerprint = Fingerprint(fingerprint.version, fingerprint.seq, fingerprint.dimensions, held[key])
                manifest[key] = Entry(*key, fingerprint, 0, partition_file(*key))
                report.rebuilt.append(key)
        rows = partition_rows(where) if added is None or report.rebuilt else _plus(held_before, added)
        for key, entry in list(manifest.items()):
            manifest[key] = Entry(entry.instrument, entry.wave, entry.fingerprint, rows.get(key, 0), entry.file)
        report.emptied = [k for k in (*report.rebuilt, *report.merged) if not rows.get(k) and held_before.get(k)]
        report.rebuilt = [key for key in report.rebuilt if key not in report.emptied]
        report.merged = [key for key in report.merged if key not in report.emptied]
        write_manifest(where, manifest)
        mark_written(where, [])
    report.seconds = time.perf_counter() - started
    return report


def _apply_changes(
    where: Place,
    url: str,
    changes: dict[tuple[str, str], pl.DataFrame],
    held: dict[tuple[str, str], int],
    report: RefreshReport,
) -> dict[tuple[str, str], int] | None:
    """Write the current rows of the changed responses of each partition: one read of the database per instrument,
    then one commit appending to every partition whose changed responses were all first logged after the last
    change its rows reflect (`held`: new responses, the common case; the table is not read); any other partition
    merges them. A thousand new responses across the waves cost about what one does. Returns the rows appended per
    partition, or None when a partition was merged (its row count is then the table's to say)."""
    changed = {key: frame.get_column("response_id").to_list() for key, frame in changes.items() if frame.height}
    if not changed:
        return {}
    merging = {key for key in changed if changes[key].filter(pl.col("first_seq") <= held[key]).height}
    appended: dict[tuple[str, str], pl.DataFrame] = {}
    for instrument in sorted({name for name, _ in changed}):
        keys = sorted(key for key in changed if key[0] == instrument)
        ids = sorted({response_id for key in keys for response_id in changed[key]})
        frame = _current_rows(url, instrument, [wave for _, wave in keys], ids)
        for key in keys:
            rows = frame.filter(pl.col("wave") == key[1], pl.col("response_id").is_in(changed[key]))
            if key in merging:
                merge_responses(where, key, rows, changed[key])
            elif rows.height:
                appended[key] = rows
                report.appended.append(key)
            report.rows_written += rows.height
    if appended:
        append_rows(where, pl.concat(appended.values()))
    return None if merging else {key: rows.height for key, rows in appended.items()}


def _latest_changes(url: str, instrument: str | None) -> dict[tuple[str, str], int]:
    """Each partition's latest change `seq` (of `instrument`, or of every instrument when None), as of now."""
    rows = reads.partition_versions(url, instrument).iter_rows(named=True)
    return {(row["instrument"], row["wave"]): int(row["seq"]) for row in rows}


def _plus(held: dict[tuple[str, str], int], added: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    """Row counts after appends alone: what each partition held plus what was appended (no file listing needed)."""
    return {key: held.get(key, 0) + added.get(key, 0) for key in held.keys() | added.keys()}


def _current_rows(url: str, instrument: str, waves: list[str], response_ids: list[str]) -> pl.DataFrame:
    """The current counted answers of some responses in some waves of one instrument, in `ANSWER_SCHEMA`."""
    versions = _versions(url, instrument)
    ids = [version_id for version_id, _, _ in versions]
    responses = _typed_responses(reads.counted_responses(url, ids, waves, response_ids))
    answers = reads.answers_of_counted(url, ids, waves, response_ids=response_ids)
    return answer_frame(responses, answers, sections_frame((v, d) for v, d, _ in versions), instrument)


def load_answers(settings: Settings, instrument: str, waves: Sequence[str] | None = None) -> pl.LazyFrame:
    """The counted answers of `instrument` (optionally only `waves`) in `ANSWER_SCHEMA`, as of now: stale
    partitions are refreshed first."""
    refresh_snapshot(settings, instrument)
    where = place(settings)
    manifest = read_manifest(where)
    wanted = None if waves is None else set(waves)
    held = [
        wave
        for (name, wave), entry in sorted(manifest.items())
        if name == instrument and entry.rows and (wanted is None or wave in wanted)
    ]
    if not held:
        return _empty_answers().lazy()
    return scan(where, instrument, held).select(pl.col(name).cast(dtype) for name, dtype in ANSWER_SCHEMA.items())


def answers_in_order(
    settings: Settings, instrument: str, wave: str, keep: pl.Expr | None = None
) -> Iterator[pl.DataFrame]:
    """The counted answers of one partition as of now (with `keep`, those it keeps), in `ANSWER_SCHEMA` and in the
    snapshot's order (`ORDER`), a batch at a time: the partition is read as stored, never sorted whole
    (`store.ordered_answers`)."""
    refresh_snapshot(settings, instrument)
    where = place(settings)
    entry = read_manifest(where).get((instrument, wave))
    if entry is not None and entry.rows:
        yield from (batch for batch in ordered_answers(where, (instrument, wave), keep) if batch.height)


def export_partitions(
    settings: Settings, instruments: Iterable[str], only: Sequence[str] = ()
) -> list[tuple[str, str]]:
    """The partitions an answer export of `instruments` reads (of the waves `only`, when given), in the file's order:
    instruments, then their waves, sorted."""
    return [(name, wave) for name in sorted(instruments) for wave in waves(settings, name) if not only or wave in only]


def export_batches(
    settings: Settings, partitions: Iterable[tuple[str, str]], where: pl.Expr | None = None
) -> Iterator[Iterator[pl.DataFrame]]:
    """Each partition's counted answers in export order, a batch at a time (`answers_in_order`): with `where` (of
    the columns the files hold: not instrument nor wave), only the rows it keeps, read from the row groups that can
    hold them (one organisation of 36 at 1M responses: 1.5-1.7 s and 645 MB when every row was read)."""
    for key in partitions:
        yield answers_in_order(settings, *key, where)


def waves(settings: Settings, instrument: str) -> list[str]:
    """The waves in which `instrument` has counted answers, as of now."""
    refresh_snapshot(settings, instrument)
    manifest = read_manifest(place(settings))
    return sorted(wave for (name, wave), entry in manifest.items() if name == instrument and entry.rows)


def catalogue(settings: Settings, instruments: Iterable[str]) -> pl.DataFrame:
    """The item catalogue of stored instruments: the current version's items first, then items only older
    versions had (their answers are still scored)."""
    definitions: list[Instrument] = []
    for instrument in instruments:
        versions = _versions(settings.database, instrument)
        definitions += [d for _, d, current in versions if current] + [d for _, d, current in versions if not current]
    if not definitions:
        return pl.DataFrame(schema=items_frame([]).schema)
    return items_frame(definitions)


def stored_instruments(settings: Settings) -> list[str]:
    return reads.instrument_keys(settings.database)


def peer_groups(settings: Settings) -> pl.DataFrame:
    return reads.peer_groups(settings.database)
