"""Keeping the snapshot in step with the database, and reading it.

Each partition (instrument × wave) carries the database's version of it at the time it was built: a counter the
database's own triggers bump in the same transaction as any write that changes a counted response or its answers
(`db/snapshot_reads.partition_versions`), so the freshness check reads one small row per partition, however many
responses there are. Only partitions whose version changed are rebuilt. The version is read *before* the answers,
so a write landing in between makes the next read rebuild again: a partition can be rebuilt needlessly, never
reported stale.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
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
from servicescore.snapshot.store import (
    Entry,
    Fingerprint,
    partition_file,
    read_manifest,
    refresh_lock,
    write_manifest,
    write_partition,
)

# Above this share of the snapshot's answers, scanning the whole answer table beats the semi-join.
FULL_SCAN_SHARE = 0.5
_DB_TIME_FORMAT = "%Y-%m-%d %H:%M:%S%.f%:z"


@dataclass
class RefreshReport:
    rebuilt: list[tuple[str, str]] = field(default_factory=list)
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


def answer_frame(
    responses: pl.DataFrame, answers: pl.DataFrame, sections: pl.DataFrame, instrument: str
) -> pl.DataFrame:
    """Join raw response and answer rows into `ANSWER_SCHEMA` (pure: frames in, frame out)."""
    responses = responses.with_columns(
        pl.col("response_id").cast(pl.String),
        pl.col("version_id").cast(pl.Int64),
        _as_utc("submitted_at", responses.schema["submitted_at"]),
    )
    answers = answers.with_columns(pl.col("response_id").cast(pl.String), pl.col("item").cast(pl.String))
    return (
        answers.join(responses, on="response_id", how="inner")
        .join(sections, on=["version_id", "item"], how="left")
        .with_columns(instrument=pl.lit(instrument))
        # No sort: answers arrive grouped by response in insertion order, and sorting 1M rows by text keys cost
        # more than half of a full build.
        .select(pl.col(name).cast(dtype) for name, dtype in ANSWER_SCHEMA.items())
    )


def _empty_answers() -> pl.DataFrame:
    return pl.DataFrame(schema=ANSWER_SCHEMA)


def _rebuild(url: str, stale: dict[str, list[str]], everything: bool) -> dict[tuple[str, str], pl.DataFrame]:
    """Fresh partitions for `stale` (instrument → waves). One answer scan serves every instrument when full."""
    parts: list[tuple[str, pl.DataFrame, pl.DataFrame]] = []
    for instrument, waves in stale.items():
        versions = _versions(url, instrument)
        ids = [version_id for version_id, _, _ in versions]
        responses = reads.counted_responses(url, ids, waves)
        parts.append((instrument, responses, sections_frame((v, d) for v, d, _ in versions)))
    scanned = reads.answers_of_counted(url, [], [], everything=True) if everything else None
    frames: dict[tuple[str, str], pl.DataFrame] = {}
    for instrument, responses, sections in parts:
        waves = stale[instrument]
        if scanned is not None:
            answers = scanned
        else:
            ids = sections.get_column("version_id").unique().to_list()
            answers = reads.answers_of_counted(url, ids, waves, everything=False)
        built = answer_frame(responses, answers, sections, instrument)
        by_wave = {key[0]: frame for key, frame in built.partition_by("wave", as_dict=True).items()}
        for wave in waves:
            frames[(instrument, wave)] = by_wave.get(wave, _empty_answers())
    return frames


def refresh_snapshot(settings: Settings, instrument: str | None = None) -> RefreshReport:
    """Bring the partitions of `instrument` (every instrument when None) in step with the database."""
    started = time.perf_counter()
    report = RefreshReport()
    folder, url = settings.snapshot_dir, settings.database
    with refresh_lock(folder):
        manifest = read_manifest(folder)
        keys = reads.dimension_keys(url)
        dimensions = stamp(keys)
        names_kept = cache(partial(unchanged, keys))
        current = {
            (row["instrument"], row["wave"]): Fingerprint(int(row["version"]), dimensions)
            for row in reads.partition_versions(url, instrument).iter_rows(named=True)
        }
        stale: dict[str, list[str]] = {}
        for key, fingerprint in current.items():
            entry = manifest.get(key)
            if (
                entry is None
                or entry.fingerprint.version != fingerprint.version
                or not names_kept(entry.fingerprint.dimensions)
                or not (folder / entry.file).is_file()
            ):
                stale.setdefault(key[0], []).append(key[1])
        report.kept = len(current) - sum(len(w) for w in stale.values())
        if not stale:
            report.seconds = time.perf_counter() - started
            return report
        for key, frame in _rebuild(url, stale, _full_scan(manifest, stale, instrument)).items():
            relative = partition_file(*key)
            write_partition(folder, relative, frame)
            before = manifest.get(key)
            manifest[key] = Entry(key[0], key[1], current[key], frame.height, relative)
            if frame.height == 0 and before is not None and before.rows:
                report.emptied.append(key)
            else:
                report.rebuilt.append(key)
            report.rows_written += frame.height
        write_manifest(folder, manifest)
    report.seconds = time.perf_counter() - started
    return report


def _full_scan(manifest: dict[tuple[str, str], Entry], stale: dict[str, list[str]], instrument: str | None) -> bool:
    """Whether one scan of the whole answer table beats a semi-join per instrument: when most of the answers the
    snapshot holds are stale (a first build, a rename), judged by the rows the stale partitions held before."""
    if instrument is not None:
        return False
    total = sum(entry.rows for entry in manifest.values())
    stale_rows = sum(manifest[(i, w)].rows if (i, w) in manifest else total + 1 for i, ws in stale.items() for w in ws)
    return stale_rows > FULL_SCAN_SHARE * max(total, 1)


def load_answers(settings: Settings, instrument: str, waves: Sequence[str] | None = None) -> pl.LazyFrame:
    """The counted answers of `instrument` (optionally only `waves`) in `ANSWER_SCHEMA`, as of now: stale
    partitions are rebuilt first."""
    refresh_snapshot(settings, instrument)
    manifest = read_manifest(settings.snapshot_dir)
    wanted = None if waves is None else set(waves)
    files = [
        str(settings.snapshot_dir / entry.file)
        for (name, wave), entry in sorted(manifest.items())
        if name == instrument and entry.rows and (wanted is None or wave in wanted)
    ]
    if not files:
        return _empty_answers().lazy()
    return pl.scan_parquet(files, low_memory=True)


def waves(settings: Settings, instrument: str) -> list[str]:
    """The waves in which `instrument` has counted answers, as of now."""
    refresh_snapshot(settings, instrument)
    manifest = read_manifest(settings.snapshot_dir)
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
