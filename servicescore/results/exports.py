"""The table an export writes: counted answers or a score table from the snapshot, limited to the scope and, for a
client viewer, thinned by `privacy` and `peers`. Blocking (Parquet and database reads): handlers call it in a
worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import polars as pl

from servicescore.db.snapshot_reads import instrument_versions
from servicescore.definitions import Instrument
from servicescore.interchange.columns import LONG_COLUMNS
from servicescore.results.errors import FilterError
from servicescore.results.privacy import client_answers, client_scores
from servicescore.results.viewer import Viewer
from servicescore.scoring import benchmark, scores
from servicescore.scoring.schema import MIN_PEERS, Level
from servicescore.settings import Settings
from servicescore.snapshot import catalogue, load_answers, peer_groups, stored_instruments, waves

if TYPE_CHECKING:  # annotations only: the module that defines them loads Piccolo's tables
    from servicescore.db.export_scope import OrganisationRef, UnitRef

Kind = Literal["answers", "scores"]
_GROUP_ORDER = ("instrument", "wave", "organisation", "unit", "segment", "section", "item")


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
    frame: pl.DataFrame
    responses: int  # distinct responses behind the rows (answers) or 0 (scores)
    withheld: int  # responses left out for a client viewer (groups under the minimum)
    instrument: Instrument


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


def answer_table(settings: Settings, spec: ExportSpec, scope: Scope, viewer: Viewer) -> ExportTable:
    """Counted answers in the long layout (SPSS: every column; `spss.py` makes it wide)."""
    instrument = _instrument(settings, spec.instrument)
    chosen = _waves(settings, spec.instrument, spec.waves)
    frame = (
        load_answers(settings, spec.instrument, chosen)
        .filter(_in_scope(scope))
        .sort("instrument", "wave", "organisation", "unit", "response_id", "item")
        .collect()
    )
    withheld = 0
    if scope.client:
        frame, withheld = client_answers(frame, viewer.min_group_size, viewer.pseudonym_key)
    if spec.file_format != "sav":
        # The weight column only when it says something, or when asked for (as `servicescore export` does).
        varies = frame.height > 0 and bool((frame.get_column("weight") != 1.0).any())
        available = [*LONG_COLUMNS, "weight"] if varies or "weight" in spec.columns else list(LONG_COLUMNS)
        frame = frame.select(check_columns(spec.columns, [*LONG_COLUMNS, "weight"]) if spec.columns else available)
    return ExportTable(frame, frame.get_column("response_id").n_unique() if "response_id" in frame.columns else 0,
                       withheld, instrument)  # fmt: skip


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
    return ExportTable(table.select(check_columns(spec.columns, table.columns)), 0, 0, instrument)
