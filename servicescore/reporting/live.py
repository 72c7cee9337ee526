"""Report data for pages asked for again and again (dashboards): answers and score tables kept in the process.

Scoring an instrument takes 10–20 ms per table and a dashboard needs about a dozen, so every request scoring
afresh would miss the 200 ms a page may take. What is kept, and why it stays correct:

- An instrument's answers, keyed by the instrument and the fingerprint of each of its snapshot partitions
  (wave → count, latest change and checksum of the counted responses, and the stamp of the slugs; see
  `snapshot.refresh`). Each request first brings the snapshot in step with the database and reads the manifest
  again, so a stored, approved or deleted response changes the key and the old entry is never read again.
- The scoring core's tables of one instrument (`InstrumentFrames`), keyed by that answers key, the slice
  (unit, and segment where the instrument records segments), the instrument definition's content version, the
  organisations' peer groups, the minimum group size and the minimum number of peers: every input of
  `scores` and `benchmark`. Names are read from the database on every request and are not part of any table.
- Instrument definitions, keyed by the size and modification time of each file in ``surveys/``.

Both caches are bounded (least recently used entries go first). Nothing here is shared between processes:
each process's entries are a memo of a pure function of the snapshot, so several processes behind a load
balancer show the same numbers; they only warm up separately.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, MutableMapping
from dataclasses import replace
from pathlib import Path
from typing import Any, Final, Generic, TypeVar

import polars as pl

from servicescore.definitions import Instrument, load_instruments
from servicescore.definitions.reports.brands import FALLBACK_BRAND
from servicescore.definitions.reports.loading import load_brand, load_report
from servicescore.instrument_folders import instrument_folders
from servicescore.reporting.dashboard import DashboardRequest, Slice, choices, dashboard_context, slice_answers
from servicescore.reporting.data import FramesKey, ReportData
from servicescore.reporting.frames import InstrumentFrames
from servicescore.reporting.stored import with_names
from servicescore.settings import Settings
from servicescore.snapshot import load_answers, refresh_snapshot
from servicescore.snapshot.store import place, read_manifest

ANSWERS_KEPT: Final[int] = 24  # instruments × fingerprints; the demo has 5 instruments
FRAMES_KEPT: Final[int] = 96  # instruments × slices
DASHBOARD_REPORT: Final[str] = "client"  # the report whose blocks a dashboard shows
V = TypeVar("V")


class Kept(Generic[V]):
    """A small thread-safe least-recently-used store (requests build dashboards in worker threads)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return self._entries[key]
            self.misses += 1
        value = make()  # outside the lock: two threads may both make it; either result is the same
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def peek(self, key: Hashable) -> V | None:
        with self._lock:
            return self._entries.get(key)

    def put(self, key: Hashable, value: V) -> None:
        self.get(key, lambda: value)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def forget(self, which: Callable[[Hashable], bool]) -> None:
        """Drop the entries whose key ``which`` picks (benchmarks use it to imitate one instrument's new answers)."""
        with self._lock:
            for key in [k for k in self._entries if which(k)]:
                del self._entries[key]


class SharedFrames(MutableMapping[FramesKey, InstrumentFrames]):
    """`ReportData.frames` backed by the process-wide store: a report key (instrument, min_n, min_peers) maps to
    the store's key, which adds what the tables are computed from (see the module docstring)."""

    def __init__(self, store: Kept[InstrumentFrames], inputs: Callable[[str], Hashable]) -> None:
        self.store, self.inputs = store, inputs
        self._mine: dict[FramesKey, InstrumentFrames] = {}

    def _key(self, key: FramesKey) -> Hashable:
        return (key, self.inputs(key[0]))

    def __getitem__(self, key: FramesKey) -> InstrumentFrames:
        found = self._mine.get(key) or self.store.peek(self._key(key))
        if found is None:
            raise KeyError(key)
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
        self._whole: dict[str, pl.DataFrame] = {}
        self.names = with_names(live.settings, self.source(None), self.instruments)
        self.peers = tuple(sorted((o.key, o.peer_group or "") for o in self.names.organisations.values()))

    def answers(self, instrument: str) -> pl.DataFrame:
        if instrument not in self._whole:
            key = (instrument, self.partitions.get(instrument))
            settings = self.live.settings
            self._whole[instrument] = self.live.answers.get(key, lambda: load_answers(settings, instrument).collect())
        return self._whole[instrument]

    def segmented(self, instrument: str) -> bool:
        """Whether the instrument's answers record segments (only those are narrowed by a segment)."""
        frame = self.answers(instrument)
        return frame.get_column("segment").null_count() < frame.height

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
        data = replace(self.names, source=self.source(part), frames={}, _cache={})
        data.frames = SharedFrames(self.live.frames, self.inputs(part))
        return data


class LiveData:
    """Snapshot-backed report data with the caches of the module docstring; one per settings (`live_data`)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.answers: Kept[pl.DataFrame] = Kept(ANSWERS_KEPT)
        self.frames: Kept[InstrumentFrames] = Kept(FRAMES_KEPT)
        self._instruments: Kept[tuple[dict[str, Instrument], dict[str, str]]] = Kept(2)
        self._files: Kept[object] = Kept(16)

    def instruments(self) -> tuple[dict[str, Instrument], dict[str, str]]:
        """The definitions (shipped and uploaded) and each one's content version."""
        folders = instrument_folders(self.settings)

        def load() -> tuple[dict[str, Instrument], dict[str, str]]:
            loaded = {i.id: i for i in load_instruments(*folders)}
            return loaded, {key: instrument.version for key, instrument in loaded.items()}

        return self._instruments.get(_files_stamp(folders), load)

    def partition_keys(self) -> dict[str, Hashable]:
        """Per instrument, its partitions' fingerprints as of now (the snapshot is refreshed first)."""
        refresh_snapshot(self.settings)
        keys: dict[str, list[tuple[object, ...]]] = {}
        for (instrument, wave), entry in sorted(read_manifest(place(self.settings)).items()):
            keys.setdefault(instrument, []).append((wave, entry.fingerprint, entry.rows, entry.file))
        return {instrument: tuple(parts) for instrument, parts in keys.items()}

    def now(self) -> Now:
        return Now(self)

    def kept_file(self, path: Path, load: Callable[[], V]) -> V:
        """``load()`` once per (path, size, modification time): report definitions and brands."""
        stat = path.stat()
        value: V = self._files.get((str(path), stat.st_size, stat.st_mtime_ns), load)  # type: ignore[assignment]  # the cache holds objects: load's V
        return value


_LIVE: dict[tuple[str, str, str], LiveData] = {}
_LIVE_LOCK = threading.Lock()


def live_data(settings: Settings) -> LiveData:
    """The `LiveData` of these settings' database, snapshot and surveys, made once per process."""
    key = (settings.database, place(settings).location, str(settings.surveys_dir))
    with _LIVE_LOCK:
        if key not in _LIVE:
            _LIVE[key] = LiveData(settings)
        return _LIVE[key]


class UnknownOrganisation(LookupError):
    """No organisation by that key (a page answers 404, the same as for one the viewer may not see)."""


def dashboard(settings: Settings, asked: DashboardRequest) -> dict[str, Any]:
    """The context of one dashboard (`dashboard.dashboard_context`) from the live snapshot.

    Raises UnknownOrganisation, NoData (the organisation has no answers yet) and FilterRefused.
    """
    live = live_data(settings)
    now = live.now()
    whole = now.data()
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
