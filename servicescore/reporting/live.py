"""Report data for pages asked for again and again (dashboards): score tables kept in the process and beside the
snapshot.

Scoring a million responses takes tens of seconds and a dashboard needs about a dozen tables, so every request
scoring afresh would miss the 200 ms a page may take. What is kept, and why it stays correct:

- Per snapshot partition (instrument × wave), its score tables and each organisation's own answers
  (`partitions`), keyed by the partition's manifest entry (the database's version of its counted responses, the
  last change applied, the stamp of the names), in the process and in the storage, so a restart reads them back.
  Each request first brings the snapshot in step with the database and reads the manifest again, so a stored,
  approved, returned or erased response changes its partition's key and only that partition is scored again.
  The blocks that read answers themselves read only the focus organisation's (`ReportData.own_answers`).
- An instrument's whole answers, keyed by the fingerprint of each of its partitions, only for what is not kept
  per partition (a report's shopper adjustment; nothing a dashboard shows).
- The scoring core's tables of one instrument (`PartitionedFrames`), keyed by that answers key, the slice
  (unit, and segment where the instrument records segments), the instrument definition's content version, the
  organisations' peer groups, the minimum group size and the minimum number of peers: every input of
  `scores` and `benchmark`. Names are read from the database on every request and are not part of any table.
- Instrument definitions, keyed by the size and modification time of each file in ``surveys/``.

The caches are bounded (least recently used entries go first). Each entry is a memo of a pure function of the
snapshot, so several processes behind a load balancer show the same numbers; the kept partition tables are shared
through the storage, the rest warms up in each process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator, MutableMapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final, TypeVar, cast

import polars as pl

from servicescore.db.snapshot_reads import shared_connection
from servicescore.definitions import Instrument, load_instruments
from servicescore.definitions.reports.brands import FALLBACK_BRAND
from servicescore.definitions.reports.loading import load_brand, load_report
from servicescore.instrument_folders import instrument_folders
from servicescore.reporting.context import NoData
from servicescore.reporting.dashboard import DashboardRequest, Slice, choices, dashboard_context, slice_answers
from servicescore.reporting.data import FramesKey, ReportData
from servicescore.reporting.frames import InstrumentFrames
from servicescore.reporting.kept import Kept
from servicescore.reporting.partitions import KEPT, Partition, PartitionTables, Selection
from servicescore.reporting.stored import with_names
from servicescore.results.peers import peer_group_of
from servicescore.scoring import ANSWER_SCHEMA
from servicescore.scoring.schema import Level
from servicescore.settings import Settings
from servicescore.snapshot import load_answers, refresh_snapshot
from servicescore.snapshot.store import place, read_manifest

ANSWERS_KEPT: Final[int] = 24  # instruments × fingerprints; the demo has 5 instruments
FRAMES_KEPT: Final[int] = 96  # instruments × slices
# Tables, facts and organisations' answers the warm-up keeps in memory while it goes through the organisations: what
# one dashboard reads (each partition's tables, the organisation's own answers), not every organisation's answers.
WARM_TABLES_KEPT: Final[int] = 64
DASHBOARD_REPORT: Final[str] = "client"  # the report whose blocks a dashboard shows
V = TypeVar("V")


@dataclass
class PartitionedFrames(InstrumentFrames):
    """`InstrumentFrames` whose score tables are put together from the kept tables of the instrument's partitions
    (`partitions`), the answers narrowed to ``part``; the same tables, row for row, as scoring all the answers."""

    tables: PartitionTables = field(kw_only=True, repr=False)
    parts: tuple[Partition, ...] = field(kw_only=True)
    part: Slice | None = field(kw_only=True)
    segmented: bool = field(kw_only=True)

    def _scored(self, selection: Selection, level: str, by: tuple[str, ...]) -> pl.DataFrame:
        catalogue = self.data.catalogue()
        # Blocks pass a Level's name, as to `InstrumentFrames`.
        return self.tables.scores(self.parts, selection, catalogue, level=cast("Level", level), by=by, min_n=self.min_n)

    def scores(self, level: str, by: tuple[str, ...] = ("organisation",)) -> pl.DataFrame:
        if not self.parts:
            return super().scores(level, by)
        selection = Selection(self.part, self.segmented)
        return self._get(f"scores:{level}:{by}", lambda: self._scored(selection, level, by))

    def own_drivers(self, organisation: str, wave: str, outcome: str, predictors: tuple[str, ...]) -> pl.DataFrame:
        part = next((p for p in self.parts if p.wave == wave), None)
        if part is None:
            return super().own_drivers(organisation, wave, outcome, predictors)
        selection = Selection(self.part, self.segmented)
        inputs = (selection, organisation, outcome, predictors, self.data.catalogue(), self.min_n)
        made = super().own_drivers
        return self.tables.kept(part, "drivers", inputs, lambda: made(organisation, wave, outcome, predictors))

    def pooled_peers(self, organisation: str, level: str) -> pl.DataFrame:
        if not self.parts:
            return super().pooled_peers(organisation, level)
        groups = self.data.organisation_frame()
        group = peer_group_of(groups, organisation)
        members = groups.filter(pl.col("peer_group") == group).get_column("organisation").sort().to_list()
        selection = Selection(self.part, self.segmented, organisation, group, tuple(members), self.min_peers)
        return self._get(f"pooled:{organisation}:{level}", lambda: self._scored(selection, level, ()))


class SharedFrames(MutableMapping[FramesKey, InstrumentFrames]):
    """`ReportData.frames` backed by the process-wide store: a report key (instrument, min_n, min_peers) maps to
    the store's key, which adds what the tables are computed from (see the module docstring); a key not kept yet
    gets the frames ``make`` makes."""

    def __init__(
        self,
        store: Kept[InstrumentFrames],
        inputs: Callable[[str], Hashable],
        make: Callable[[FramesKey], InstrumentFrames],
    ) -> None:
        self.store, self.inputs, self.make = store, inputs, make
        self._mine: dict[FramesKey, InstrumentFrames] = {}

    def _key(self, key: FramesKey) -> Hashable:
        return (key, self.inputs(key[0]))

    def __getitem__(self, key: FramesKey) -> InstrumentFrames:
        found = self._mine.get(key) or self.store.get(self._key(key), lambda: self.make(key))
        self._mine[key] = found
        return found

    def __setitem__(self, key: FramesKey, value: InstrumentFrames) -> None:
        self._mine[key] = value
        self.store.put(self._key(key), value)

    def __delitem__(self, key: FramesKey) -> None:
        del self._mine[key]

    def __iter__(self) -> Iterator[FramesKey]:
        return iter(self._mine)

    def __len__(self) -> int:
        return len(self._mine)


def _files_stamp(folders: list[Path]) -> tuple[tuple[str, int, int], ...]:
    return tuple(
        sorted(
            (str(p), p.stat().st_size, p.stat().st_mtime_ns)
            for folder in folders
            for p in folder.iterdir()
            if p.is_file()
        )
    )


class Now:
    """One request's view of the snapshot: partition fingerprints, definitions and names as of now."""

    def __init__(self, live: LiveData) -> None:
        self.live = live
        self.instruments, self.versions = live.instruments()
        self.partitions = live.partition_keys()
        self.parts = {
            instrument: tuple(Partition(instrument, wave, repr(rest)) for wave, *rest in parts if rest[1])
            for instrument, parts in self.partitions.items()
        }
        self._whole: dict[str, pl.DataFrame] = {}
        self._segmented: dict[str, bool] = {}
        self.names = with_names(live.settings, self.source(None), self.instruments, calibration=False)
        self.peers = tuple(sorted((o.key, o.peer_group or "") for o in self.names.organisations.values()))

    def answers(self, instrument: str) -> pl.DataFrame:
        if instrument not in self._whole:
            key = (instrument, self.partitions.get(instrument))
            settings = self.live.settings
            self._whole[instrument] = self.live.answers.get(key, lambda: load_answers(settings, instrument).collect())
        return self._whole[instrument]

    def segmented(self, instrument: str) -> bool:
        """Whether the instrument's answers record segments (only those are narrowed by a segment)."""
        if instrument not in self._segmented:
            tables = self.live.tables
            self._segmented[instrument] = any(tables.segmented(part) for part in self.parts.get(instrument, ()))
        return self._segmented[instrument]

    def own(self, part: Slice | None) -> Callable[[str, str], pl.DataFrame]:
        """An organisation's answers to an instrument, narrowed to ``part``, from the kept partitions."""

        def read(instrument: str, organisation: str) -> pl.DataFrame:
            frames = [self.live.tables.own(p, organisation) for p in self.parts.get(instrument, ())]
            frame = pl.concat(frames) if frames else pl.DataFrame(schema=ANSWER_SCHEMA)
            if part is None:
                return frame
            return slice_answers(frame.lazy(), part, segmented=self.segmented(instrument)).collect()

        return read

    def frames(self, data: ReportData, part: Slice | None, key: FramesKey) -> InstrumentFrames:
        """The score tables of an instrument put together from its kept partitions (`PartitionedFrames`)."""
        instrument = key[0]
        segmented = part is not None and self.segmented(instrument)
        parts = self.parts.get(instrument, ())
        return PartitionedFrames(data, *key, tables=self.live.tables, parts=parts, part=part, segmented=segmented)

    def source(self, part: Slice | None) -> Callable[[str], pl.LazyFrame]:
        def read(instrument: str) -> pl.LazyFrame:
            frame = self.answers(instrument).lazy()
            return frame if part is None else slice_answers(frame, part, segmented=self.segmented(instrument))

        return read

    def inputs(self, part: Slice | None) -> Callable[[str], Hashable]:
        """What an instrument's score tables are computed from, under ``part`` (the module docstring)."""

        def of(instrument: str) -> Hashable:
            segment = part.segment if part is not None and self.segmented(instrument) else None
            unit = (part.organisation, part.unit) if part is not None and part.unit else None
            sliced = (unit, segment) if unit or segment else None
            return (self.partitions.get(instrument), sliced, self.versions.get(instrument), self.peers)

        return of

    def data(self, part: Slice | None = None) -> ReportData:
        """Every instrument's counted answers (sliced to ``part``) with the names of the database."""
        data = replace(self.names, source=self.source(part), own_source=self.own(part), frames={}, _cache={}, _own={})
        data.frames = SharedFrames(self.live.frames, self.inputs(part), lambda key: self.frames(data, part, key))
        return data


class LiveData:
    """Snapshot-backed report data with the caches of the module docstring; one per settings (`live_data`)."""

    def __init__(self, settings: Settings, frames_kept: int = FRAMES_KEPT, tables_kept: int = KEPT) -> None:
        self.settings = settings
        self.answers: Kept[pl.DataFrame] = Kept(ANSWERS_KEPT)
        self.frames: Kept[InstrumentFrames] = Kept(frames_kept)
        self.tables = PartitionTables(settings, kept=tables_kept)
        self._instruments: Kept[tuple[dict[str, Instrument], dict[str, str]]] = Kept(2)
        self._files: Kept[object] = Kept(16)

    def instruments(self) -> tuple[dict[str, Instrument], dict[str, str]]:
        """The definitions (shipped and uploaded) and each one's content version."""
        folders = instrument_folders(self.settings)

        def load() -> tuple[dict[str, Instrument], dict[str, str]]:
            loaded = {i.id: i for i in load_instruments(*folders)}
            return loaded, {key: instrument.version for key, instrument in loaded.items()}

        return self._instruments.get(_files_stamp(folders), load)

    def partition_keys(self) -> dict[str, tuple[tuple[Any, ...], ...]]:
        """Per instrument, its partitions' fingerprints as of now (the snapshot is refreshed first)."""
        refresh_snapshot(self.settings)
        keys: dict[str, list[tuple[object, ...]]] = {}
        where = place(self.settings)  # the database is part of every key: a data dir may be used with another one
        for (instrument, wave), entry in sorted(read_manifest(where).items()):
            keys.setdefault(instrument, []).append((wave, entry.fingerprint, entry.rows, entry.file, where.database))
        return {instrument: tuple(parts) for instrument, parts in keys.items()}

    def now(self) -> Now:
        return Now(self)

    def kept_file(self, path: Path, load: Callable[[], V]) -> V:
        """``load()`` once per (path, size, modification time): report definitions and brands."""
        stat = path.stat()
        value: V = self._files.get((str(path), stat.st_size, stat.st_mtime_ns), load)  # type: ignore[assignment]  # the cache holds objects: load's V
        return value


_LIVE: dict[tuple[str, str, str], LiveData] = {}
# Per `_live_key`: the partitions' fingerprints the warm-up last made every dashboard of (in this process).
_WARMED: dict[tuple[str, str, str], dict[str, tuple[tuple[Any, ...], ...]]] = {}
_LIVE_LOCK = threading.Lock()


def _live_key(settings: Settings) -> tuple[str, str, str]:
    return settings.database, place(settings).location, str(settings.surveys_dir)


def live_data(settings: Settings) -> LiveData:
    """The `LiveData` of these settings' database, snapshot and surveys, made once per process."""
    key = _live_key(settings)
    with _LIVE_LOCK:
        if key not in _LIVE:
            _LIVE[key] = LiveData(settings)
        return _LIVE[key]


class UnknownOrganisation(LookupError):
    """No organisation by that key (a page answers 404, the same as for one the viewer may not see)."""


def dashboard(settings: Settings, asked: DashboardRequest) -> dict[str, Any]:
    """The context of one dashboard (`dashboard.dashboard_context`) from the live snapshot.

    Raises UnknownOrganisation, NoData (the organisation has no answers yet) and FilterRefused. Its reads of the
    database (the snapshot's freshness, the names) share one connection.
    """
    with shared_connection(settings.database):
        return _dashboard(settings, asked, live_data(settings).now())


def warm_dashboards(settings: Settings) -> list[str]:
    """Make every organisation's dashboard as it first opens (no unit, no segment), so that what it is scored from
    is kept in the storage: each partition's tables, every organisation's own answers and its pooled peers. The
    periodic job does this off the request path: at 1M responses the first page after 10,000 new ones took 10 s,
    and 0.7–0.9 s from the kept tables. Meanwhile this process keeps little in memory (`WARM_TABLES_KEPT`: every
    organisation's own answers kept would add up to all the answers); a server keeps what its pages ask for.
    Returns the organisations whose dashboard was made (one with no answers has none)."""
    made: list[str] = []
    live = LiveData(settings, frames_kept=1, tables_kept=WARM_TABLES_KEPT)
    with shared_connection(settings.database):
        now = live.now()
        if _WARMED.get(_live_key(settings)) == now.partitions:  # nothing changed since this process last made them
            return made
        for organisation in sorted(now.data().organisations):
            try:
                _dashboard(settings, DashboardRequest(organisation), now)  # one freshness check and names read
            except NoData:
                continue
            made.append(organisation)
    _WARMED[_live_key(settings)] = now.partitions
    return made


def _dashboard(settings: Settings, asked: DashboardRequest, now: Now) -> dict[str, Any]:
    live, whole = now.live, now.data()
    organisation = whole.organisations.get(asked.organisation)
    if organisation is None:
        raise UnknownOrganisation(asked.organisation)
    report_file = settings.reports_dir / f"{DASHBOARD_REPORT}.yaml"
    report = live.kept_file(report_file, lambda: load_report(settings.reports_dir, DASHBOARD_REPORT))
    offered = choices(whole, report, asked.organisation, asked.lang)
    asked.filters.check(offered)
    data = whole if asked.slice == Slice(asked.organisation) else now.data(asked.slice)
    brands = settings.reports_dir / "brands"
    brand_file = brands / (organisation.brand or FALLBACK_BRAND) / "brand.yaml"
    if not brand_file.is_file():
        brand_file = brands / FALLBACK_BRAND / "brand.yaml"
    brand = live.kept_file(brand_file, lambda: load_brand(brands, organisation.brand))
    return dashboard_context(data, report, asked, brand, offered)
