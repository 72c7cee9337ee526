"""Where each item sits in the definition a response was given with, for the snapshot's `section` column."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from servicescore.definitions import Instrument


def sections_frame(versions: Iterable[tuple[int, Instrument]]) -> pl.DataFrame:
    """`version_id, item, section`: where each item sits in the definition a response was given with."""
    rows = [
        (version_id, item.id, section.id) for version_id, instrument in versions for section, item in instrument.items()
    ]
    return pl.DataFrame(rows, schema={"version_id": pl.Int64, "item": pl.String, "section": pl.String}, orient="row")
