"""The snapshot's one row order, which is the order `export answers` writes: partitions by instrument, then wave;
inside a partition by `ORDER` (organisation, unit, response_id, item; every value compared byte by byte, as
Polars sorts text). Every data file of the table holds its rows in this order, so a partition is read in export
order by merging its files (`merged`) a batch at a time, never by sorting the partition.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Final

import polars as pl

ORDER: Final[tuple[str, ...]] = ("organisation", "unit", "response_id", "item")
_KEY: Final[str] = "__order"


def order_key() -> pl.Expr:
    """One text that sorts as the `ORDER` columns do: they are joined by NUL, which sorts below every character
    and occurs in no slug, id or item key, so comparing the joined texts compares the columns one after another."""
    return pl.concat_str([pl.col(name) for name in ORDER], separator="\x00").alias(_KEY)


def in_order(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(ORDER)


def merged(streams: Iterable[Iterator[pl.DataFrame]]) -> Iterator[pl.DataFrame]:
    """The rows of several streams, each in `ORDER` already, as one stream in `ORDER`, holding one batch of each
    stream at a time. Each step takes from every stream's current batch the rows up to the smallest of the batches'
    last keys (no row still unread in any stream can come before them), and sorts only those. One stream passes
    through untouched."""
    sources = [iter(stream) for stream in streams]
    if len(sources) == 1:
        yield from sources[0]
        return
    heads: list[tuple[pl.DataFrame, Iterator[pl.DataFrame]]] = []
    for source in sources:
        head = _next(source)
        if head is not None:
            heads.append((head, source))
    while heads:
        bound = min(head.get_column(_KEY)[-1] for head, _ in heads)
        taken, kept = [], []
        for head, source in heads:
            cut = int(head.get_column(_KEY).search_sorted(bound, side="right"))
            taken.append(head.slice(0, cut))
            rest = head.slice(cut) if cut < head.height else _next(source)
            if rest is not None:
                kept.append((rest, source))
        heads = kept
        yield pl.concat(taken).sort(_KEY).drop(_KEY)


def _next(source: Iterator[pl.DataFrame]) -> pl.DataFrame | None:
    """The stream's next non-empty batch with its order key, or None at its end."""
    for batch in source:
        if batch.height:
            return batch.with_columns(order_key())
    return None
