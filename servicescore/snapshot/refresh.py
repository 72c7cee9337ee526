"""Keeping the snapshot in step with the database, and reading it.

Each partition (instrument × wave) carries the fingerprint of its counted responses at the time it was built:
their count, the latest `updated_at` and the sum of `updated_at` in seconds, from one GROUP BY over the response
table. Before answers are read, the fingerprints are taken again and only partitions whose fingerprint changed
are rebuilt. The fingerprint is taken *before* the answers are read, so a write landing in between makes the
next read rebuild again: a partition can be rebuilt needlessly, never reported stale.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from typing import Any

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

# Above this share of the counted responses, scanning the whole answer table beats the semi-join.
FULL_SCAN_SHARE = 0.5
_DB_TIME_FORMAT = "%Y-%m-%d %H:%M:%S%.f%:z"


@dataclass
class RefreshReport:
    rebuilt: list[tuple[str, str]] = field(default_factory=list)
    emptied: list[tuple[str, str]] = field(default_factory=list)
    kept: int = 0
    rows_written: int = 0
    seconds: float = 0.0


def _fingerprint(row: dict[str, Any], dimensions: str) -> Fingerprint:
    return Fingerprint(int(row["responses"]), row["updated_max"], row["checksum"], dimensions)


def _same_responses(a: Fingerprint, b: Fingerprint) -> bool:
    return (a.responses, a.updated_max, a.checksum) == (b.responses, b.updated_max, b.checksum)


def _versions(url: str, instrument: str) -> list[tuple[int, Instrument, bool]]:
    rows = reads.instrument_versions(url, instrument).iter_rows(named=True)
    return [(int(r["version_id"]), Instrument.model_validate_json(r["definition"]), bool(r["current"])) for r in rows]


def _as_utc(column: str, dtype: pl.DataType) -> pl.Expr:
    """SQLite keeps timestamps as text, PostgreSQL as timestamptz: both become UTC microseconds."""
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
            (row["instrument"], row["wave"]): _fingerprint(row, dimensions)
            for row in reads.partition_fingerprints(url, instrument).iter_rows(named=True)
        }
        stale: dict[str, list[str]] = {}
        for key, fingerprint in current.items():
            entry = manifest.get(key)
            if (
                entry is None
                or not _same_responses(entry.fingerprint, fingerprint)
                or not names_kept(entry.fingerprint.dimensions)
                or not (folder / entry.file).is_file()
            ):
                stale.setdefault(key[0], []).append(key[1])
        gone = [
            key
            for key, entry in manifest.items()
            if key not in current and entry.fingerprint.responses and (instrument is None or key[0] == instrument)
        ]
        report.kept = len(current) - sum(len(w) for w in stale.values())
        if not stale and not gone:
            report.seconds = time.perf_counter() - started
            return report
        stale_responses = sum(current[(i, w)].responses for i, waves in stale.items() for w in waves)
        total = sum(f.responses for f in current.values()) if instrument is None else _all_counted(url)
        everything = stale_responses > FULL_SCAN_SHARE * max(total, 1)
        for key, frame in _rebuild(url, stale, everything).items():
            relative = partition_file(*key)
            write_partition(folder, relative, frame)
            manifest[key] = Entry(key[0], key[1], current[key], frame.height, relative)
            report.rebuilt.append(key)
            report.rows_written += frame.height
        for key in gone:
            relative = partition_file(*key)
            write_partition(folder, relative, _empty_answers())
            manifest[key] = Entry(key[0], key[1], Fingerprint(0, None, None, dimensions), 0, relative)
            report.emptied.append(key)
        write_manifest(folder, manifest)
    report.seconds = time.perf_counter() - started
    return report


def _all_counted(url: str) -> int:
    return int(reads.partition_fingerprints(url).get_column("responses").sum())


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
