"""The dashboards' score tables made partition by partition (instrument × wave) of the snapshot, and kept: in the
process, and in the storage beside the snapshot (``dashboard-tables/``) so that a restarted server reads them back
instead of scoring a million responses again.

Why a table put together from its partitions is the table of the whole, bit for bit: every score table groups by
wave, so no group spans two partitions, and each partition is scored with the summation of the whole
(`scoring.scores(…, facts=)`: the `SummationFacts` of every partition combined), so its sums are the whole's.

A kept table's key holds everything it is computed from, so a change of any of them is a new key, never a stale
answer:

- the partition's entry in the snapshot's manifest: the database's version of its counted responses (a new,
  changed, returned, rejected or erased response moves it), the last change applied, the stamp of the
  organisations', units' and waves' names, its row count and folder;
- how its answers were narrowed (`Selection`: a dashboard's unit and segment, or one organisation's pooled peers
  with the members of its peer group, so a peer-group change is a new key);
- the instrument's item catalogue, the level and grouping, the minimum group size, how the whole's summation facts
  say to add (weighted or not, the fixed-point scale, the largest weight), and `TABLES_VERSION` (bumped when the
  scoring changes what a table holds for the same answers).

When a partition moves (a new response), a table this process still keeps of the version before is not scored
again whole: the groups of the organisations whose rows changed (by their digests, below) are scored again and put
in place of theirs (`scoring.scores.rescored`), the whole's table bit for bit, as every such table groups by
organisation and a group's row depends only on its own rows and the summation, which the key holds. A peer pool
(answers pooled across organisations) and a table grouped otherwise are scored again whole.

Besides the tables, each partition keeps each organisation's own answers, for what the dashboard's blocks read
themselves (the drivers, the distributions, the comments, the filters' choices; always the focus organisation's),
each keyed by a digest of its rows (`_own_index`): when a new response moves the partition, only its organisation's
file is written again, the others' are kept. When a partition's fingerprint moves, its files under older
fingerprints are deleted, but the organisations' answers that did not change. Tables hold every
organisation's figures, as the snapshot holds every answer: what a viewer may see is decided after, by the blocks
and `results` (suppression is in the tables already: groups under the minimum carry no statistic).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

import polars as pl

from servicescore.reporting.dashboard import Slice, slice_answers
from servicescore.reporting.kept import Kept
from servicescore.results.peers import peer_answers
from servicescore.scoring import ANSWER_SCHEMA, scores
from servicescore.scoring.schema import Level
from servicescore.scoring.scores import (
    SummationFacts,
    combined,
    group_keys,
    rescored,
    summation_facts,
    summation_of,
)
from servicescore.settings import Settings
from servicescore.snapshot import load_answers
from servicescore.storage import Storage, storage_for

TABLES_VERSION: Final[str] = "1"
FOLDER: Final[str] = "dashboard-tables"
PARTITIONS_KEPT: Final[int] = 8  # partitions' answers in memory, to score a new slice without reading them again
PARTITION_BYTES: Final[int] = 512 * 2**20  # ... and at most this much of them (1M responses: 4 partitions, 1.3 GB)
KEPT: Final[int] = 1024  # tables, facts and organisations' answers in memory
KEPT_BYTES: Final[int] = 256 * 2**20  # ... and at most this much of them (each read back from the storage at will)
FACTS_SCHEMA: Final = pl.Schema(
    {
        "low": pl.Float64,
        "high": pl.Float64,
        "missing": pl.Int64,
        "rows": pl.Int64,
        "largest": pl.Float64,
        "whole": pl.Boolean,
        "weighted": pl.Boolean,
        "segments": pl.Int64,
    }
)


def _digest(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Partition:
    """One partition of the snapshot with answers: `entry` is its manifest entry as text (fingerprint, rows, folder)."""

    instrument: str
    wave: str
    entry: str

    @property
    def folder(self) -> str:
        return f"{FOLDER}/{_digest(self.instrument, self.wave)}"

    @property
    def prefix(self) -> str:
        return f"{self.folder}/{_digest(self.entry)}"


@dataclass(frozen=True)
class Selection:
    """How a partition's answers are narrowed before they are scored: a dashboard's `part` (unit, segment; `segmented`:
    the instrument records segments), then, with `peers_of`, the pooled answers of that organisation's peers
    (`results.peers.peer_answers`) in its `peer_group` of `members`."""

    part: Slice | None = None
    segmented: bool = False
    peers_of: str | None = None
    peer_group: str | None = None
    members: tuple[str, ...] = ()
    min_peers: int = 0

    def narrow(self, answers: pl.LazyFrame) -> pl.LazyFrame:
        if self.part is not None:
            answers = slice_answers(answers, self.part, segmented=self.segmented)
        if self.peers_of is not None:
            keys = tuple(dict.fromkeys((self.peers_of, *self.members)))
            groups = pl.DataFrame(
                {"organisation": keys, "peer_group": [self.peer_group] * len(keys)},
                schema={"organisation": pl.String, "peer_group": pl.String},
            )
            answers = peer_answers(answers, groups, self.peers_of, min_peers=self.min_peers)
        return answers


def _own_index(frame: pl.DataFrame) -> pl.DataFrame:
    """Each organisation of a partition's answers with the digest of its rows, in their order: the key of its kept
    answers, so an organisation whose rows did not change keeps its file when the partition moves, and rows that did
    change (one more, one less, another value, another order) are another key, never a stale file. Two 64-bit
    hashes of the rows (one weighted by position) and the row count; polars' version is part of it, as its row
    hashes are stable within a version only."""
    rows = frame.select("organisation", h=frame.hash_rows(seed=17))
    position = pl.int_range(1, pl.len() + 1, dtype=pl.UInt64)
    sums = rows.group_by("organisation").agg(
        n=pl.len(), plain=pl.col("h").hash(3).sum(), placed=(pl.col("h").hash(5) * position).sum()
    )
    digests = [
        _digest(pl.__version__, organisation, n, plain, placed) for organisation, n, plain, placed in sums.iter_rows()
    ]
    index = sums.select(pl.col("organisation"), digest=pl.Series(digests, dtype=pl.String))
    return index.sort("organisation")


def _digests_key(part: Partition) -> str:
    """Where the partition version's `_own_index` is kept."""
    return f"{part.prefix}/own/digests.parquet"


def _bytes(frame: pl.DataFrame) -> int:
    return int(frame.estimated_size())


def _parquet(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    return buffer.getvalue()


class PartitionTables:
    """The kept tables of one snapshot (see the module docstring); one per `reporting.live.LiveData`."""

    def __init__(self, settings: Settings, storage: Storage | None = None, kept: int = KEPT) -> None:
        self.settings = settings
        self.storage = storage or storage_for(settings)
        self._answers: Kept[pl.DataFrame] = Kept(PARTITIONS_KEPT, PARTITION_BYTES, _bytes)
        self._kept: Kept[pl.DataFrame] = Kept(kept, KEPT_BYTES, _bytes)
        self._latest: dict[tuple[str, str], Partition] = {}  # per (instrument, wave): the version last used
        # per (instrument, wave): the version whose organisations' answers this process stored apart last
        self._indexed: dict[tuple[str, str], Partition] = {}
        # per (instrument, wave): the version before, the version read last and the organisations whose rows differ
        self._moved: dict[tuple[str, str], tuple[Partition, Partition, frozenset[str]]] = {}

    def _answers_of(self, part: Partition) -> pl.DataFrame:
        """The partition's counted answers. At their first read in this process each organisation's are kept apart
        (only those of the organisations whose answers are not kept yet are written); a later read, when they were
        let go to stay within `PARTITION_BYTES`, only reads them."""

        def load() -> pl.DataFrame:
            frame = load_answers(self.settings, part.instrument, [part.wave]).collect()
            if self._indexed.get((part.instrument, part.wave)) != part:
                self._keep_own(part, frame)
                self._indexed[(part.instrument, part.wave)] = part
            return frame

        return self._answers.get(part, load)

    def _keep_own(self, part: Partition, frame: pl.DataFrame) -> None:
        """Store each organisation's answers in the partition apart, and the digests of them (`_own_index`)."""
        index = _own_index(frame)
        keys = {row["organisation"]: self._own_key(part, row["digest"]) for row in index.iter_rows(named=True)}
        self._moved_from(part, index)
        self._forget_older(part, set(keys.values()))
        missing = sorted(organisation for organisation, key in keys.items() if not self.storage.exists(key))
        for organisation in missing:  # one at a time: all at once was a second copy of the partition
            self.storage.put(keys[organisation], _parquet(frame.filter(pl.col("organisation") == organisation)))
        self.storage.put(_digests_key(part), _parquet(index))
        self._kept.put(_digests_key(part), index)

    def _moved_from(self, part: Partition, index: pl.DataFrame) -> None:
        """Note what changed since the version of the partition this process knew before (its kept tables are in
        memory still): the organisations whose rows differ, by their digests."""
        wave = (part.instrument, part.wave)
        previous = self._latest.get(wave)
        self._moved.pop(wave, None)
        if previous is None or previous == part:
            return
        before = self._kept.peek(_digests_key(previous))
        if before is None:
            before = self._stored_frame(_digests_key(previous))
        if before is None:
            return
        both = before.join(index, on="organisation", how="full", coalesce=True, suffix="_now")
        differ = both.filter(pl.col("digest").ne_missing(pl.col("digest_now"))).get_column("organisation")
        self._moved[wave] = (previous, part, frozenset(differ.to_list()))

    def _kept_before(self, part: Partition, name: str) -> tuple[pl.DataFrame, frozenset[str]] | None:
        """The table `name` of the partition's version before `part`, if this process keeps it, with the
        organisations whose rows changed since."""
        moved = self._moved.get((part.instrument, part.wave))
        if moved is None or moved[1] != part:
            return None
        table = self._kept.peek(f"{moved[0].prefix}/{name}")
        return None if table is None else (table, moved[2])

    def _index_of(self, part: Partition) -> pl.DataFrame:
        """The partition's `_own_index`, which reading its answers makes and keeps (made again only if forgotten)."""
        answers = self._answers_of(part)
        index = self._kept.peek(_digests_key(part))
        return _own_index(answers) if index is None else index

    def _used(self, part: Partition) -> None:
        """Note `part` as the version of its partition this process used last (for `_moved_from`)."""
        self._latest[(part.instrument, part.wave)] = part

    def _forget_older(self, part: Partition, own: set[str]) -> None:
        """Delete the partition's files kept under an older fingerprint, but the organisations' answers in `own`."""
        for stored in self.storage.list(part.folder):
            if not stored.key.startswith(f"{part.prefix}/") and stored.key not in own:
                self.storage.delete(stored.key)

    def _stored_frame(self, key: str) -> pl.DataFrame | None:
        stored = self.storage.get(key)
        return None if stored is None else pl.read_parquet(io.BytesIO(stored))

    def _kept_frame(self, key: str, make: Callable[[], pl.DataFrame]) -> pl.DataFrame:
        """The frame under `key`: from memory, else from the storage, else made (and stored)."""

        def read_or_make() -> pl.DataFrame:
            stored = self._stored_frame(key)
            if stored is not None:
                return stored
            frame = make()
            self.storage.put(key, _parquet(frame))
            return frame

        return self._kept.get(key, read_or_make)

    def _own_key(self, part: Partition, digest: str) -> str:
        return f"{part.folder}/own/{digest}.parquet"

    def own(self, part: Partition, organisation: str) -> pl.DataFrame:
        """The answers of `organisation` in the partition (none when it has none there)."""
        index = self._kept_frame(_digests_key(part), lambda: self._index_of(part))
        self._used(part)
        digest = index.filter(pl.col("organisation") == organisation).get_column("digest")
        if digest.is_empty():
            return pl.DataFrame(schema=ANSWER_SCHEMA)
        return self._kept_frame(
            self._own_key(part, digest.item()),
            lambda: self._answers_of(part).filter(pl.col("organisation") == organisation),
        )

    def _facts_frame(self, part: Partition, selection: Selection) -> pl.DataFrame:
        def make() -> pl.DataFrame:
            narrowed = selection.narrow(self._answers_of(part).lazy())
            facts = summation_facts(narrowed)
            segments = narrowed.select(pl.col("segment").is_not_null().sum()).collect().item()
            row = {**facts._asdict(), "segments": int(segments)}
            return pl.DataFrame([row], schema=FACTS_SCHEMA)

        return self._kept_frame(f"{part.prefix}/facts-{_digest(TABLES_VERSION, selection)}.parquet", make)

    def facts(self, part: Partition, selection: Selection) -> SummationFacts:
        """The `SummationFacts` of the partition's answers narrowed by `selection`."""
        row = self._facts_frame(part, selection).row(0, named=True)
        return SummationFacts(**{name: row[name] for name in SummationFacts._fields})

    def segmented(self, part: Partition) -> bool:
        """Whether the partition's answers record segments."""
        return bool(self._facts_frame(part, Selection()).item(0, "segments"))

    def kept(
        self, part: Partition, kind: str, inputs: tuple[object, ...], make: Callable[[], pl.DataFrame]
    ) -> pl.DataFrame:
        """A table of the partition's answers made by `make` from `inputs` (frames among them by their CSV text),
        kept under the partition's fingerprint like its score tables."""
        texts = tuple(i.sort(i.columns).write_csv() if isinstance(i, pl.DataFrame) else i for i in inputs)
        return self._kept_frame(f"{part.prefix}/{kind}-{_digest(TABLES_VERSION, *texts)}.parquet", make)

    def scores(
        self,
        parts: Sequence[Partition],
        selection: Selection,
        catalogue: pl.DataFrame,
        *,
        level: Level,
        by: tuple[str, ...],
        min_n: int,
    ) -> pl.DataFrame:
        """`scoring.scores` of the answers of `parts` (one instrument's) narrowed by `selection`, put together
        from each partition's kept table (see the module docstring)."""
        facts = combined([self.facts(part, selection) for part in parts])
        # The summation the facts decide, not the facts: a new response changes the whole's row count, which leaves
        # the other partitions' tables as they were.
        adding = summation_of(facts, None, level)
        catalogue_text = catalogue.sort("instrument", "item").write_csv()
        # A table of the partition's version before, kept under the same key, is scored again only for the
        # organisations whose rows changed (`scoring.scores.rescored`): every other group's row is the same. Not
        # a peer pool: its answers are pooled across organisations.
        by_organisation = selection.peers_of is None and "organisation" in group_keys(by, level)
        tables = []
        for part in parts:
            key = _digest(TABLES_VERSION, selection, catalogue_text, level, by, min_n, adding.weight is not None,
                          adding.scale, adding.top_weight)  # fmt: skip

            def make(part: Partition = part, key: str = key) -> pl.DataFrame:
                narrowed = selection.narrow(self._answers_of(part).lazy())
                before = self._kept_before(part, f"{key}.parquet") if by_organisation else None
                if before is not None:
                    table, changed = before
                    return rescored(table, narrowed, changed, catalogue, by, level=level, min_n=min_n, facts=facts)
                return scores(narrowed, catalogue, by, level, min_n, facts=facts).collect()

            tables.append(self._kept_frame(f"{part.prefix}/{key}.parquet", make))
            self._used(part)
        return pl.concat(tables)
