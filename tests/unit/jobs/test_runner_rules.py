"""What a job's runner decides without a queue or a database: the wait before each retry, the reason shown."""

from __future__ import annotations

from servicescore.jobs.worker import MAX_RETRY_SECONDS, one_line, retry_delay
from servicescore.settings import Settings


def test_retries_wait_twice_as_long_each_time_up_to_an_hour() -> None:
    settings = Settings(job_retry_seconds=30)
    assert [retry_delay(settings, attempt) for attempt in range(1, 9)] == [
        30, 60, 120, 240, 480, 960, 1920, MAX_RETRY_SECONDS
    ]  # fmt: skip
    assert MAX_RETRY_SECONDS == 3600


def test_the_reason_is_the_first_line_of_the_error_and_never_a_traceback() -> None:
    assert one_line(OSError("disk full: /srv\nTraceback (most recent call last):")) == "disk full: /srv"
    assert one_line(TimeoutError()) == "TimeoutError"
    assert one_line(FileExistsError(17, "File exists", "/data/reports")) == "[Errno 17] File exists: '/data/reports'"
    long = one_line(ValueError("x" * 1000))
    assert len(long) == 300
    assert long.endswith("…")
