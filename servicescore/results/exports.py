"""What an export writes: counted answers or a score table from the snapshot, limited to the scope and, for a
client viewer, thinned by `privacy` and `peers`. Blocking (Parquet and database reads): handlers call it in a
worker thread.

A consultant's answers are not read here but described (`AnswerExport`): the download reads them as
`servicescore export answers` does, from the snapshot stored in the file's order a batch at a time
(`snapshot.export_batches`), so a download holds a batch, never the instrument. A client viewer's copy is thinned
whole (`privacy.client_answers` counts each group and orders rows by date and pseudonym, which no stored order
gives), so it holds their organisation's answers in the scope, not the instrument's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Final, Literal

import polars as pl

from servicescore.db.snapshot_reads import instrument_versions
from servicescore.definitions import Instrument
from servicescore.interchange.writing import answer_columns, is_weighted
from servicescore.results.errors import FilterError
from servicescore.results.privacy import client_answers, client_scores
from servicescore.results.viewer import Viewer
from servicescore.scoring import benchmark, scores
from servicescore.scoring.schema import MIN_PEERS, Level
from servicescore.settings import Settings
from servicescore.snapshot import (
    catalogue,
    export_batches,
    export_partitions,
    load_answers,
    peer_groups,
    stored_instruments,
    waves,
)

if TYPE_CHECKING:  # annotations only: the module that defines them loads Piccolo's tables
    from servicescore.db.export_scope import OrganisationRef, UnitRef

Kind = Literal["answers", "scores"]
Parts = Iterator[Iterator[pl.DataFrame]]
_GROUP_ORDER = ("instrument", "wave", "organisation", "unit", "segment", "section", "item")
# Rows a client viewer's thinned answers are handed to the writer at a time, as the snapshot's batches are.
_CLIENT_SLICE: Final[int] = 65_536


@dataclass(frozen=True)
class ExportSpec:
    """What an export asks for: the kind of table, the file format and the filters."""

    kind: Kind
    file_format: str
    instrument: str
    waves: tuple[str, ...] = ()
    organisation_id: int | None = None
    unit_id: int | None = None
    columns: tuple[str, ...] = ()
    by: tuple[str, ...] = ("organisation",)
    level: Level = "item"
    echo: dict[str, list[str]] = field(default_factory=dict)  # the query as given, to refill the form


@dataclass(frozen=True)
class Scope:
    """Whose data: one organisation (always, for a client viewer) or all; optionally one of its units."""

    organisation: OrganisationRef | None
    unit: UnitRef | None
    client: bool


@dataclass(frozen=True)
class ExportTable:
    """A score table, whole (one row per group: small)."""

    frame: pl.DataFrame
    withheld: int  # responses left out for a client viewer (groups under the minimum)
    instrument: Instrument

    @property
    def rows(self) -> int:
        return self.frame.height


@dataclass(frozen=True)
class AnswerExport:
    """Counted answers to write, checked but not yet read: `parts()` reads them in the file's order, part by part
    (partitions), each part as batches of every `ANSWER_SCHEMA` column; the file holds `columns` of them. `rows` is
    counted before: the file holds what the snapshot holds when each partition is read, so an answer counted
    meanwhile may add a response to it."""

    columns: list[str]
    rows: int
    withheld: int  # responses left out for a client viewer (groups under the minimum)
    instrument: Instrument
    parts: Callable[[], Parts]


def check_columns(wanted: tuple[str, ...], available: list[str]) -> list[str]:
    """The columns to write: all when none are named, else the named ones in the order given."""
    unknown = [c for c in wanted if c not in available]
    if unknown:
        raise FilterError("column", value=unknown[0], known=", ".join(available))
    return list(wanted) or available


def _instrument(settings: Settings, wanted: str) -> Instrument:
    known = stored_instruments(settings)
    if wanted not in known:
        raise FilterError("instrument", value=wanted, known=", ".join(known) or "-")
    versions = instrument_versions(settings.database, wanted).sort("current", "version_id")
    return Instrument.model_validate_json(versions.get_column("definition").cast(pl.String).item(-1))


def _waves(settings: Settings, instrument: str, wanted: tuple[str, ...]) -> list[str] | None:
    if not wanted:
        return None
    present = waves(settings, instrument)
    missing = [w for w in wanted if w not in present]
    if missing:
        raise FilterError("wave", value=missing[0], instrument=instrument, known=", ".join(present) or "-")
    return list(wanted)


def _in_scope(scope: Scope) -> pl.Expr:
    condition = pl.lit(value=True)
    if scope.organisation is not None:
        condition &= pl.col("organisation") == scope.organisation.slug
    if scope.unit is not None:
        condition &= pl.col("unit") == scope.unit.slug
    return condition


def answer_export(settings: Settings, spec: ExportSpec, scope: Scope, viewer: Viewer) -> AnswerExport:
    """Counted answers in the long layout (SPSS: every column; `spss.py` makes it wide), in the order of
    `servicescore export answers` (instrument, wave, organisation, unit, response_id, item), or for a client viewer
    thinned by `client_answers` (by date, pseudonym and item). Everything that can refuse the export is checked
    here, before the first byte is written."""
    instrument = _instrument(settings, spec.instrument)
    chosen = _waves(settings, spec.instrument, spec.waves)
    scoped = load_answers(settings, spec.instrument, chosen).filter(_in_scope(scope))
    withheld = 0
    if scope.client:
        frame, withheld = client_answers(scoped, viewer.min_group_size, viewer.pseudonym_key)
        rows, weighted = frame.height, is_weighted(frame)
        parts: Callable[[], Parts] = partial(_client_parts, frame)
    else:
        rows, weighted = scoped.select(pl.len(), (pl.col("weight") != 1.0).any()).collect().row(0)
        partitions = export_partitions(settings, [spec.instrument], chosen or ())
        parts = partial(export_batches, settings, partitions, _in_scope(scope))
    # The weight column only when it says something, or when asked for (as `servicescore export` does). SPSS names
    # the columns of its wide table (`spss.py` checks them).
    columns = answer_columns(weighted)
    if spec.columns and spec.file_format != "sav":
        columns = check_columns(spec.columns, answer_columns(weighted=True))
    return AnswerExport(columns, rows, withheld, instrument, parts)


def _client_parts(frame: pl.DataFrame) -> Parts:
    """One part: the thinned answers in slices (none left: the empty frame, so that the file keeps its types)."""
    yield frame.iter_slices(_CLIENT_SLICE) if frame.height else iter([frame])


def _by(spec: ExportSpec, scope: Scope) -> list[str]:
    by = list(spec.by)
    if scope.client and "organisation" not in by:
        by.insert(0, "organisation")  # a client's rows are their organisation's, so they are grouped by it
    if spec.level == "overall" and {"section", "item"} & set(by):
        raise FilterError("by_level", level=spec.level, value=next(c for c in by if c in {"section", "item"}))
    if spec.level == "section" and "item" in by:
        raise FilterError("by_level", level=spec.level, value="item")
    return by


def _peers(answers: pl.LazyFrame, items: pl.DataFrame, by: list[str], spec: ExportSpec, *, settings: Settings,
           min_n: int) -> pl.DataFrame | None:  # fmt: skip
    """Benchmark of the whole organisation, or None when rows are per unit (peers have other units)."""
    if "unit" in by or "organisation" not in by:
        return None
    table = scores(answers, items, by, spec.level, min_n)
    return benchmark(table, peer_groups(settings), MIN_PEERS, names=True).collect()


def score_table(settings: Settings, spec: ExportSpec, scope: Scope, viewer: Viewer) -> ExportTable:
    """The score table of `servicescore scores` for the scope; for a client viewer their rows and peer statistics."""
    instrument = _instrument(settings, spec.instrument)
    chosen = _waves(settings, spec.instrument, spec.waves)
    by = _by(spec, scope)
    answers = load_answers(settings, spec.instrument, chosen)
    items = catalogue(settings, [spec.instrument])
    table = scores(answers.filter(_in_scope(scope)), items, by, spec.level, viewer.min_group_size).collect()
    keys = [c for c in _GROUP_ORDER if c in table.columns]
    table = table.sort(keys, nulls_last=True, maintain_order=True)
    if scope.client and scope.organisation is not None:
        peers = (
            None
            if scope.unit is not None
            else _peers(answers, items, by, spec, settings=settings, min_n=viewer.min_group_size)
        )
        table = client_scores(table, scope.organisation.slug, peers)
    return ExportTable(table.select(check_columns(spec.columns, table.columns)), 0, instrument)
