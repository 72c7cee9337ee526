"""Benchmark: respondents through HAProxy (round-robin, /healthz checks, as in the README's example) in front of 1,
2 and 3 ``servicescore serve`` processes, each with its own data dir, on one PostgreSQL database.

Run: ``python tests/benchmarks/bench_respond_haproxy.py [--processes 1,2,3] [--clients 32] [--seconds 10]
[--postgres URL]``. Not collected by pytest; do not run it at full length on a shared machine while others work.

For each number of processes, on a fresh database (migrated and seeded with the visitor survey, as
``bench_respond.py`` does): the load process (``respond_load.py``: a browser-like respondent per client, GET the form,
POST each of the four pages and follow the 303, 10 requests and 5 commits per response) runs against HAProxy for
``--seconds`` after a 2 s warm-up. Printed: requests/s, responses/s, commits/s, p50/p99 of every survey request,
errors, requests/s per core of the machine (all processes, HAProxy, PostgreSQL and the load share the cores), and
the 1-minute load average before and after, because the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1])]  # bench_respond beside this file; tests.support of the checkout

from bench_respond import (  # noqa: E402 - after the path above
    LOCAL_POSTGRES,
    REQUESTS_PER_RESPONSE,
    WRITES_PER_RESPONSE,
    fresh_database,
    load_average,
    percentile,
    run_load,
    seed,
    wait_healthy,
)

from tests.support.cluster import HAPROXY, haproxy_config  # noqa: E402
from tests.support.redis_server import free_port  # noqa: E402


@dataclass(frozen=True)
class Figure:
    processes: int
    clients: int
    requests_per_s: float
    responses_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    load_before: str
    load_after: str

    @property
    def per_core(self) -> float:
        return self.requests_per_s / (os.cpu_count() or 1)


@contextmanager
def process(command: list[str], environment: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as output:
        running = subprocess.Popen(command, env=environment, stdout=output, stderr=subprocess.STDOUT)
    try:
        yield running
    finally:
        running.terminate()
        try:
            running.wait(timeout=40)
        except subprocess.TimeoutExpired:
            running.kill()
            running.wait()


def measure(processes: int, clients: int, seconds: float, workdir: Path, admin: str) -> Figure:
    with fresh_database("postgresql", workdir, admin) as environment, ExitStack() as stack:
        path = f"/s/{seed(environment)}"
        ports: dict[str, int] = {}
        for number in range(1, processes + 1):
            name, port = f"app{number}", free_port()
            data_dir = workdir / f"{name}-{port}"
            serve = [sys.executable, "-m", "servicescore", "serve", "--host", "127.0.0.1", "--port", str(port)]
            own = {**environment, "SERVICESCORE_DATA_DIR": str(data_dir), "SERVICESCORE_QUEUE_IN_PROCESS": "false"}
            running = stack.enter_context(process(serve, own, workdir / f"{name}-{port}.log"))
            wait_healthy(f"http://127.0.0.1:{port}/healthz", running)
            ports[name] = port
        port = free_port()
        config = workdir / f"haproxy-{port}.cfg"
        config.write_text(haproxy_config(port, ports))
        balancer = stack.enter_context(process([HAPROXY, "-f", str(config), "-db"], environment, workdir / "ha.log"))
        wait_healthy(f"http://127.0.0.1:{port}/healthz", balancer)
        time.sleep(2)  # every server's first check passed (inter 1s, rise 1)
        before = load_average()
        result = run_load("survey", f"http://127.0.0.1:{port}", path, clients=clients, seconds=seconds)
    latencies = [value for values in result["timings"].values() for value in values]
    return Figure(
        processes, clients, result["requests"] / seconds, result["completed"] / seconds,
        percentile(latencies, 0.5), percentile(latencies, 0.99), sum(result["errors"].values()), before,
        result["load"],
    )  # fmt: skip


def report(figures: list[Figure]) -> None:
    cores = os.cpu_count() or 1
    print(f"\n== respond through HAProxy on PostgreSQL, {cores} core(s); a response is {REQUESTS_PER_RESPONSE} "
          f"requests and {WRITES_PER_RESPONSE} commits ==")  # fmt: skip
    print(f"  {'processes':>9}{'clients':>8}{'req/s':>8}{'resp/s':>8}{'commits/s':>10}{'p50 ms':>8}{'p99 ms':>8}"
          f"{'req/s/core':>11}{'vs 1':>6}{'errors':>7}  load before → after")  # fmt: skip
    one = figures[0].requests_per_s if figures else float("nan")
    for f in figures:
        print(f"  {f.processes:>9}{f.clients:>8}{f.requests_per_s:>8.0f}{f.responses_per_s:>8.1f}"
              f"{f.responses_per_s * WRITES_PER_RESPONSE:>10.0f}{f.p50_ms:>8.1f}{f.p99_ms:>8.1f}{f.per_core:>11.0f}"
              f"{f.requests_per_s / one:>6.2f}{f.errors:>7}  {f.load_before} → {f.load_after}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", default="1,2,3", help="serve processes behind HAProxy, comma-separated.")
    parser.add_argument("--clients", type=int, default=32, help="Concurrent respondents.")
    parser.add_argument("--seconds", type=float, default=10.0, help="Measuring window (after 2 s warm-up).")
    parser.add_argument("--postgres", default=os.environ.get("SERVICESCORE_DATABASE_URL") or LOCAL_POSTGRES)
    args = parser.parse_args()
    if not Path(HAPROXY).is_file():
        raise SystemExit(f"no HAProxy at {HAPROXY} (apt install haproxy)")
    with tempfile.TemporaryDirectory(prefix="servicescore-bench-haproxy-") as folder:
        figures = [
            measure(int(n), args.clients, args.seconds, Path(folder), args.postgres) for n in args.processes.split(",")
        ]
    report(figures)


if __name__ == "__main__":
    main()
