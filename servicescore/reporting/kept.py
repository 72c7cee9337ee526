"""A small thread-safe least-recently-used store, for what the dashboards keep in the process (`live`,
`partitions`)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

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
