"""Job kinds for the job queue's tests, and ``python -m tests.support.job_kinds …``: the ``servicescore`` command
with them registered (``… worker``), or ``… enqueue KIND JSON`` (store and send one job, print its id, then wait
to be killed).

- ``test-append``: appends ``started <attempt>`` to the payload's ``file``, then (unless its attempt is held) ``done
  <attempt>``; attempts up to ``hold_attempts`` wait after starting, so a test can kill their worker mid-job, and
  with ``hold`` every attempt waits for `RELEASE` (a test in this process stops its runner meanwhile).
- ``test-until-file``: appends ``started <attempt>`` to ``file``, waits until the file ``release`` exists (a test
  creates it when it wants the job to end), then appends ``done <attempt>``.
- ``test-fail``: appends the time of each attempt to ``file`` and fails with a two-line error.
- ``test-tick``: periodic, every minute: appends the time it was run to ``<data dir>/ticks.txt``.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from datetime import datetime
from pathlib import Path

from servicescore.jobs.registry import EVERY_MINUTE, JobRun, job_kind, periodic
from servicescore.settings import Settings

HOLD_SECONDS = 600
RELEASE = asyncio.Event()


def append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(line + "\n")


@job_kind("test-append")
async def append_job(run: JobRun) -> str:
    path = Path(run.payload["file"])
    append(path, f"started {run.attempt}")
    await run.progress(1, 2)
    if run.attempt <= run.payload.get("hold_attempts", 0):
        await asyncio.sleep(HOLD_SECONDS)
    if run.payload.get("hold"):
        await RELEASE.wait()
    append(path, f"done {run.attempt}")
    await run.progress(2, 2)
    return "appended"


@job_kind("test-until-file")
async def until_file_job(run: JobRun) -> str:
    path, release = Path(run.payload["file"]), Path(run.payload["release"])
    append(path, f"started {run.attempt}")
    while not release.exists():  # noqa: ASYNC110, ASYNC240 - another process makes the file: nothing to await
        await asyncio.sleep(0.05)
    append(path, f"done {run.attempt}")
    return "released"


@job_kind("test-fail")
async def failing_job(run: JobRun) -> str:
    append(Path(run.payload["file"]), f"{time.monotonic()}")
    raise OSError("disk full: /srv/reports\nTraceback (most recent call last): …")


def tick(settings: Settings, now: datetime) -> None:
    append(settings.data_dir / "ticks.txt", now.isoformat())


periodic("test-tick", EVERY_MINUTE, tick)


async def _enqueue(kind: str, payload: str) -> int:
    from servicescore.db.lifecycle import database
    from servicescore.jobs import enqueue
    from servicescore.settings import get_settings

    settings = get_settings()
    async with database(settings):
        return await enqueue(settings, kind, json.loads(payload))


if __name__ == "__main__":
    if sys.argv[1] == "enqueue":
        print(asyncio.run(_enqueue(sys.argv[2], sys.argv[3])), flush=True)
        time.sleep(HOLD_SECONDS)
    else:
        from servicescore.cli import main

        main()
