"""What reaches an export's writer: the height of each batch of each part (a wave), to show that memory holds a
batch and never a part whole."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import polars as pl


class BatchSizes(list[list[int]]):
    """One list of batch heights per part, in the order the writer took them."""

    def counted(self, part: Iterable[pl.DataFrame]) -> Iterator[pl.DataFrame]:
        """`part`'s batches, passed on unchanged, each height recorded as the writer takes it."""
        self.append([])
        for batch in part:
            self[-1].append(batch.height)
            yield batch
