"""The columnar snapshot: counted answers as Parquet per instrument and wave, kept in step with the database.

Analytics reads here, never row by row from the operational database (DESIGN.md, "Scale"). Files live in the
storage under `snapshot/` (`store.place`: the data dir, or a bucket other engines read in place): `manifest.json`
and the Delta table `answers/` partitioned `instrument=…/wave=…`, in `ANSWER_SCHEMA`.

- `load_answers(settings, instrument, waves=None) -> pl.LazyFrame` — refreshes stale partitions, then scans;
- `answers_in_order(settings, instrument, wave, keep=None) -> Iterator[pl.DataFrame]` — one partition (the rows
  `keep` keeps) in export order, in batches;
- `export_partitions(settings, instruments, only)`, `export_batches(settings, partitions, where)` — what an answer
  export (the command's, a download's) reads: partitions in the file's order, each in export order, in batches;
- `refresh_snapshot(settings, instrument=None) -> RefreshReport` — what was rebuilt, kept and emptied;
- `catalogue(settings, instruments)`, `items_frame(definitions)` — the item catalogue (`CATALOGUE_SCHEMA`);
- `waves(settings, instrument)`, `stored_instruments(settings)` — what there is to read;
- `peer_groups(settings)` — `organisation, peer_group` (`ORGANISATION_SCHEMA`).
"""

from __future__ import annotations

from servicescore.scoring.catalogue import items_frame
from servicescore.snapshot.refresh import (
    RefreshReport,
    answers_in_order,
    catalogue,
    export_batches,
    export_partitions,
    load_answers,
    peer_groups,
    refresh_snapshot,
    stored_instruments,
    waves,
)

__all__ = [
    "RefreshReport",
    "answers_in_order",
    "catalogue",
    "export_batches",
    "export_partitions",
    "items_frame",
    "load_answers",
    "peer_groups",
    "refresh_snapshot",
    "stored_instruments",
    "waves",
]
