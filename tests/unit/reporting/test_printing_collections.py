"""While a report prints the garbage collector runs less often; afterwards the process's own thresholds are back."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from servicescore.reporting import printing


@pytest.fixture
def own_thresholds() -> Iterator[tuple[int, int, int]]:
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield (700, 10, 10)
    gc.set_threshold(*before)


def test_thresholds_are_raised_while_printing_and_put_back(own_thresholds: tuple[int, int, int]) -> None:
    with printing.fewer_collections():
        assert gc.get_threshold() == printing.PRINT_GC_THRESHOLDS
    assert gc.get_threshold() == own_thresholds


def test_nested_and_failing_prints_put_the_thresholds_back_once_the_last_ends(
    own_thresholds: tuple[int, int, int],
) -> None:
    def failing_print() -> None:
        with printing.fewer_collections():
            with printing.fewer_collections():
                pass
            assert gc.get_threshold() == printing.PRINT_GC_THRESHOLDS  # the outer print still runs
            raise RuntimeError("a print that fails")

    with pytest.raises(RuntimeError, match="a print that fails"):
        failing_print()
    assert gc.get_threshold() == own_thresholds


def test_concurrent_prints_in_threads(own_thresholds: tuple[int, int, int]) -> None:
    inside, release = threading.Barrier(3), threading.Event()

    def print_one() -> None:
        with printing.fewer_collections():
            inside.wait()
            release.wait()

    threads = [threading.Thread(target=print_one) for _ in range(2)]
    for thread in threads:
        thread.start()
    inside.wait()
    assert gc.get_threshold() == printing.PRINT_GC_THRESHOLDS
    release.set()
    for thread in threads:
        thread.join()
    assert gc.get_threshold() == own_thresholds


def test_the_cycles_a_print_leaves_are_collected_after_it() -> None:
    class Node:
        def __init__(self) -> None:
            self.me = self

    with printing.fewer_collections():
        for _ in range(1000):
            Node()
    assert not any(type(o) is Node for o in gc.get_objects(generation=0) + gc.get_objects(generation=1))


def test_old_garbage_is_collected_after_a_print_once_enough_middle_collections_ran() -> None:
    class Node:
        def __init__(self) -> None:
            self.me = self

    gc.collect()
    held = [Node()]
    gc.collect(1)  # survivors of the middle generation move to the old one
    held.clear()  # now garbage in the old generation, which a print never collects while it runs
    assert any(type(o) is Node for o in gc.get_objects(generation=2))
    with printing.fewer_collections():
        for _ in range(printing.FULL_COLLECTION_AFTER):
            gc.collect(1)  # as the middle collections of a long print would
    assert not any(type(o) is Node for o in gc.get_objects(generation=2))
