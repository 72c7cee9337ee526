"""UUIDv7 (RFC 9562 §5.7): the layout of its fields, and ids that sort by the time they were made."""

from __future__ import annotations

import time
import uuid

from servicescore.ids import uuid7


def test_fields_are_laid_out_as_rfc_9562_says() -> None:
    made = uuid7(unix_ms=0x017F22E279B0)  # RFC 9562, appendix A.6: Tuesday, February 22, 2022 2:22:22.00 PM GMT-05:00
    assert made.version == 7
    assert made.variant == uuid.RFC_4122
    assert made.hex[:12] == "017f22e279b0"
    assert made.int >> 80 == 0x017F22E279B0
    assert made.hex[12] == "7"
    assert made.hex[16] in "89ab"


def test_ids_sort_by_time_and_stay_unique() -> None:
    times = [1_767_225_600_000 + step for step in range(0, 5_000, 5)]
    made = [uuid7(unix_ms=ms) for ms in times]
    assert [m.int >> 80 for m in made] == times
    assert sorted(made) == made
    assert sorted(str(m) for m in made) == [str(m) for m in made]  # as text too: SQLite keeps ids as text
    same_instant = {uuid7(unix_ms=times[0]) for _ in range(10_000)}
    assert len(same_instant) == 10_000


def test_now_is_the_default_time() -> None:
    before = time.time_ns() // 1_000_000
    made = uuid7()
    after = time.time_ns() // 1_000_000
    assert before <= made.int >> 80 <= after
