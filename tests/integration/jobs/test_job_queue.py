"""The job queue in both of its modes: huey's SQLite storage in the data dir (the embedded default) and a Redis
server (many machines), with the job table as the truth about every job.

Workers are `servicescore worker` processes (with the test job kinds of tests/support/job_kinds.py registered),
killed with SIGKILL where the test says so; a job must survive its producer's death before it ran and its worker's
death in the middle of it, and then complete exactly once.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from servicescore.db.jobs import get
from servicescore.db.lifecycle import database
from servicescore.db.tables import Job
from servicescore.jobs import enqueue
from servicescore.jobs.queue import Queue
from servicescore.jobs.worker import Runner
from servicescore.settings import Settings
from tests.support import job_kinds  # registers the test job kinds for the runners in this process
from tests.support.redis_server import free_port, redis_server

CHECKOUT = Path(__file__).resolve().parents[3]
DEADLINE_SECONDS = 60
HEARTBEAT = "0.3"  # seconds: a worker is taken for dead 0.9 s after its last beat


@pytest.fixture(params=["sqlite", "redis"])
def queue_url(request: pytest.FixtureRequest, tmp_path: Path, requires: Callable[..., None]) -> Iterator[str]:
    """The queue of each mode: "" is huey's SQLite storage in the data dir; else the URL of a redis-server of the
    test's own (skipped locally without the binary, failed in CI)."""
    if request.param == "sqlite":
        yield ""
        return
    requires("redis")
    with redis_server(tmp_path / "redis") as url:
        yield url


@pytest.fixture
def data_dir(tmp_path: Path, migrated_sqlite: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copyfile(migrated_sqlite, folder / "servicescore.sqlite3")
    return folder


def environment(data_dir: Path, queue_url: str, **extra: str) -> dict[str, str]:
    values = {key: value for key, value in os.environ.items() if not key.startswith("SERVICESCORE_")}
    values |= {
        "SERVICESCORE_DATA_DIR": str(data_dir), "SERVICESCORE_QUEUE_URL": queue_url,
        "SERVICESCORE_JOB_HEARTBEAT_SECONDS": HEARTBEAT, "PYTHONPATH": str(CHECKOUT), **extra,
    }  # fmt: skip
    return values


def job_kinds_process(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.job_kinds", *args], cwd=CHECKOUT, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip


def queued_by_a_process_then_killed(env: dict[str, str], kind: str, payload: dict[str, object]) -> int:
    """A process that stores and sends a job and is SIGKILLed before anything ran it (it runs no worker)."""
    producer = job_kinds_process(env | {"SERVICESCORE_QUEUE_IN_PROCESS": "false"}, "enqueue", kind,
                                 json.dumps(payload))  # fmt: skip
    assert producer.stdout is not None
    job_id = int(producer.stdout.readline())
    producer.kill()
    producer.wait(timeout=30)
    return job_id


def job(data_dir: Path, job_id: int) -> dict[str, object]:
    with sqlite3.connect(data_dir / "servicescore.sqlite3") as connection:
        connection.row_factory = sqlite3.Row
        row = connection.execute("SELECT * FROM job WHERE id = ?", (job_id,)).fetchone()
    return dict(row)


def wait_for(what: Callable[[], bool], process: subprocess.Popen[str] | None = None) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not what():
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the worker ended ({process.returncode}): {process.communicate()[0]}")
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def stop(worker: subprocess.Popen[str]) -> str:
    """SIGTERM, as a service manager stops it: it ends by itself, exit 0."""
    worker.send_signal(signal.SIGTERM)
    output, _ = worker.communicate(timeout=60)
    assert worker.returncode == 0, output
    assert "worker stopped" in output
    return output


def test_a_job_queued_before_its_process_was_killed_runs_in_a_new_worker(
    data_dir: Path, queue_url: str, tmp_path: Path
) -> None:
    env, out = environment(data_dir, queue_url), tmp_path / "out.txt"
    job_id = queued_by_a_process_then_killed(env, "test-append", {"file": str(out)})
    assert job(data_dir, job_id)["status"] == "queued"
    assert lines(out) == []
    worker = job_kinds_process(env, "worker", "--workers", "1")
    wait_for(lambda: job(data_dir, job_id)["status"] == "done", worker)
    stop(worker)
    assert lines(out) == ["started 1", "done 1"]
    row = job(data_dir, job_id)
    assert (row["attempts"], row["result"], row["progress_done"], row["progress_total"]) == (1, "appended", 2, 2)


def test_a_job_whose_worker_is_killed_mid_run_runs_again_and_completes_once(
    data_dir: Path, queue_url: str, tmp_path: Path
) -> None:
    env, out = environment(data_dir, queue_url), tmp_path / "out.txt"
    job_id = queued_by_a_process_then_killed(env, "test-append", {"file": str(out), "hold_attempts": 1})
    first = job_kinds_process(env, "worker", "--workers", "1")
    wait_for(lambda: lines(out) == ["started 1"] and job(data_dir, job_id)["status"] == "running", first)
    first.kill()
    first.wait(timeout=30)
    assert job(data_dir, job_id)["status"] == "running"  # as the dead worker left it
    second = job_kinds_process(env, "worker", "--workers", "1")
    wait_for(lambda: job(data_dir, job_id)["status"] == "done", second)
    stop(second)
    assert lines(out) == ["started 1", "started 2", "done 2"]
    row = job(data_dir, job_id)
    assert (row["attempts"], row["result"], row["reason"]) == (2, "appended", "")


@pytest.mark.anyio
async def test_a_failing_job_is_retried_with_backoff_then_failed_with_its_reason(
    database_url: str, queue_url: str, tmp_path: Path
) -> None:
    """In this process: a runner with two workers, one job failing every time, one job whose message comes three
    times (at-least-once delivery), one of a kind nobody knows; on SQLite and PostgreSQL."""
    settings = Settings(
        data_dir=tmp_path / "data", database_url=database_url, queue_url=queue_url, job_attempts=3,
        job_retry_seconds=0.2, job_heartbeat_seconds=0.3,
    )  # fmt: skip
    times, out = tmp_path / "times.txt", tmp_path / "out.txt"
    async with database(settings, apply_migrations=True), running(settings, workers=2):
        failing = await enqueue(settings, "test-fail", {"file": str(times)})
        once = await enqueue(settings, "test-append", {"file": str(out)})
        unknown = await enqueue(settings, "no-such-kind", {})
        sender = Queue(settings.queue)
        sender.send(once)
        sender.send(once)
        deadline = time.monotonic() + DEADLINE_SECONDS
        while {row.status for row in [await get(failing), await get(once), await get(unknown)] if row} - {
            "done", "failed"
        }:  # fmt: skip
            assert time.monotonic() < deadline, "timed out"
            await asyncio.sleep(0.05)
        failed, appended, refused = await get(failing), await get(once), await get(unknown)
    assert failed is not None
    assert appended is not None
    assert (failed.status, failed.attempts, failed.reason) == ("failed", 3, "disk full: /srv/reports")
    assert (appended.status, appended.attempts, appended.result) == ("done", 1, "appended")
    assert refused is not None  # a job that cannot succeed is failed at once, not retried
    assert (refused.status, refused.attempts, refused.reason) == ("failed", 1, "no such kind of job: no-such-kind")
    assert lines(out) == ["started 1", "done 1"]
    started = [float(line) for line in lines(times)]
    # Each retry waits at least its backoff: 0.2 s after the first attempt, then twice that.
    assert len(started) == 3
    assert started[1] - started[0] >= 0.2
    assert started[2] - started[1] >= 0.4


def test_serve_runs_jobs_itself(data_dir: Path, tmp_path: Path) -> None:
    """`servicescore serve` (and so `demo`) runs queued jobs in its own process by default; SIGTERM stops both."""
    env, out = environment(data_dir, "", PYTHONUNBUFFERED="1"), tmp_path / "out.txt"
    job_id = queued_by_a_process_then_killed(env, "test-append", {"file": str(out)})
    server = job_kinds_process(env, "serve", "--port", str(free_port()))
    wait_for(lambda: job(data_dir, job_id)["status"] == "done", server)
    server.send_signal(signal.SIGTERM)
    output, _ = server.communicate(timeout=60)
    assert server.returncode == -signal.SIGTERM, output  # uvicorn raises the signal again once it has shut down
    assert "background jobs run in this process" in output
    assert "Application shutdown complete." in output  # the lifespan, and with it the job runner, ended
    assert lines(out) == ["started 1", "done 1"]


@pytest.mark.anyio
async def test_a_job_under_way_when_its_runner_stops_goes_back_to_the_queue(database_url: str, tmp_path: Path) -> None:
    """A stop interrupts a job after the grace period: queued again without losing an attempt, then done by the next
    runner. Meanwhile the runners' schedulers stored the periodic job once per minute, whichever came first. On
    SQLite and PostgreSQL."""
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url, job_heartbeat_seconds=0.3)
    out = tmp_path / "out.txt"
    job_kinds.RELEASE = asyncio.Event()  # of this test's event loop
    async with database(settings, apply_migrations=True):
        async with running(settings) as first:
            held = await enqueue(settings, "test-append", {"file": str(out), "hold": True})
            await wait_async(lambda: lines(out) == ["started 1"])
            await first.stop(grace=0.1)
            stopped = await get(held)
        job_kinds.RELEASE.set()
        async with running(settings):
            await wait_async(lambda: lines(out) == ["started 1", "started 1", "done 1"])
        finished = await get(held)
        ticks = await Job.select(Job.dedupe_key, Job.status).where(Job.kind == "test-tick")
    assert stopped is not None
    assert (stopped.status, stopped.attempts) == ("queued", 0)
    assert finished is not None
    assert (finished.status, finished.attempts) == ("done", 1)
    minutes = {row["dedupe_key"] for row in ticks}
    assert len(ticks) == len(minutes) >= 1  # two schedulers, one stored run per minute
    done = [row for row in ticks if row["status"] == "done"]
    assert len(done) <= len(lines(settings.data_dir / "ticks.txt")) <= len(ticks)  # a tick under way may be cut off


@asynccontextmanager
async def running(settings: Settings, workers: int = 1) -> AsyncIterator[Runner]:
    """A runner on this test's event loop, stopped however the block ends."""
    runner = Runner(settings, asyncio.get_running_loop(), workers=workers)
    await runner.start()
    try:
        yield runner
    finally:
        await runner.stop()


async def wait_async(what: Callable[[], bool]) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not what():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


@pytest.mark.parametrize(
    ("url", "status", "expected"),
    [
        ("amqp://guest:secret@broker/", 1,
         "Error: SERVICESCORE_QUEUE_URL must start with sqlite:/// or redis:// (got 'amqp://guest:***@broker/')"),
        ("redis://:secret@127.0.0.1:1/0", 2, "Error: cannot reach the job queue at redis://:***@127.0.0.1:1/0: "),
    ],
    ids=["unknown scheme", "nobody listens"],
)  # fmt: skip
def test_a_queue_that_cannot_be_used_is_one_line(data_dir: Path, url: str, status: int, expected: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "servicescore", "worker"], cwd=CHECKOUT, env=environment(data_dir, url),
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == status, done.stderr
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith(expected)
    assert "secret" not in done.stderr


def test_sigterm_lets_the_running_job_finish_before_the_worker_exits(
    data_dir: Path, queue_url: str, tmp_path: Path
) -> None:
    """A service manager stopping a worker (SIGTERM) does not cut the job under way: the worker takes no new job,
    waits for it, records it done (one attempt) and exits 0."""
    env, out, release = environment(data_dir, queue_url), tmp_path / "out.txt", tmp_path / "release"
    job_id = queued_by_a_process_then_killed(env, "test-until-file", {"file": str(out), "release": str(release)})
    log = tmp_path / "worker.log"
    with log.open("w") as output:
        worker = subprocess.Popen(
            [sys.executable, "-m", "tests.support.job_kinds", "worker", "--workers", "1"], cwd=CHECKOUT, env=env,
            text=True, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    wait_for(lambda: lines(out) == ["started 1"], worker)
    worker.send_signal(signal.SIGTERM)
    wait_for(lambda: "stopping:" in log.read_text(), worker)
    assert worker.poll() is None, log.read_text()  # still finishing the job
    assert job(data_dir, job_id)["status"] == "running"
    release.touch()
    assert worker.wait(timeout=60) == 0, log.read_text()
    assert "worker stopped" in log.read_text()
    assert lines(out) == ["started 1", "done 1"]
    row = job(data_dir, job_id)
    assert (row["status"], row["attempts"], row["result"]) == ("done", 1, "released")
