"""Peers appear anonymised: only the organisation a report is about keeps its name (DESIGN.md, "Numbers")."""

from __future__ import annotations

import string
from itertools import product
from typing import Final

import polars as pl

# "Peer A" … "Peer Z", then "Peer AA" … "Peer ZZ": enough for any peer group.
PEER_LABELS: Final[list[str]] = [f"Peer {c}" for c in string.ascii_uppercase] + [
    f"Peer {a}{b}" for a, b in product(string.ascii_uppercase, repeat=2)
]


def anonymise_peers(
    frame: pl.LazyFrame | pl.DataFrame, focus: str, names: bool = False, column: str = "organisation"
) -> pl.LazyFrame:
    """Replace every organisation but `focus` by "Peer A", "Peer B", … unless `names` is true.

    Labels follow the order in which the peers first appear in `frame` (sort it first, for example by index,
    to make "Peer A" the best peer); one peer keeps one label throughout the frame.
    """
    frame = frame.lazy()
    if names:
        return frame
    labels = (
        frame.select(pl.col(column).cast(pl.String))
        .filter(pl.col(column) != focus)
        .unique(maintain_order=True)
        .with_row_index("_peer")
        .join(
            pl.LazyFrame(
                {"_peer": range(len(PEER_LABELS)), "_label": PEER_LABELS}, schema_overrides={"_peer": pl.UInt32}
            ),
            on="_peer",
        )
    )
    return (
        frame.with_columns(pl.col(column).cast(pl.String))
        .join(labels.select(column, "_label"), on=column, how="left", maintain_order="left")
        .with_columns(pl.coalesce("_label", column).alias(column))
        .drop("_label")
    )
