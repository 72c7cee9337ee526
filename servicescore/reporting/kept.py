"""A small thread-safe least-recently-used store, for what the dashboards keep in the process (`live`,
`partitions`)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


def _weightless(_: object) -> int:
    return 0


class Kept(Generic[V]):
    """A small thread-safe least-recently-used store (requests build dashboards in worker threads): at most `size`
    entries and, with `budget`, at most that much of their weights (`weigh`, e.g. a frame's bytes) together. The
    entry just made is kept even when it alone weighs more."""

    def __init__(self, size: int, budget: int | None = None, weigh: Callable[[V], int] = _weightless) -> None:
        self.size = size
        self.budget = budget
        self._weigh = weigh
        self._entries: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0
        self.weight = 0

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return self._entries[key][0]
            self.misses += 1
        value = make()  # outside the lock: two threads may both make it; either result is the same
        weight = self._weigh(value)
        with self._lock:
            self._drop(key)
            self._entries[key] = (value, weight)
            self.weight += weight
            while len(self._entries) > self.size or (
                self.budget is not None and self.weight > self.budget and len(self._entries) > 1
            ):
                self._drop(next(iter(self._entries)))
        return value

    def _drop(self, key: Hashable) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self.weight -= entry[1]

    def peek(self, key: Hashable) -> V | None:
        with self._lock:
            entry = self._entries.get(key)
            return None if entry is None else entry[0]

    def put(self, key: Hashable, value: V) -> None:
        self.get(key, lambda: value)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.weight = 0

    def forget(self, which: Callable[[Hashable], bool]) -> None:
        """Drop the entries whose key ``which`` picks (benchmarks use it to imitate one instrument's new answers)."""
        with self._lock:
            for key in [k for k in self._entries if which(k)]:
                self._drop(key)
