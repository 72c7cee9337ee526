"""Report printing benchmark (on demand): ``python tests/benchmarks/bench_reports.py [--quick] [--data-dir D]``.

Prints four figures against the goals users need, each with the load average (1 min) beside it: the machine is
shared, so CPU time is the figure to read, and the wall time beside it shows what the neighbours added.

1. the demo client report (every block, 12 pages) in a kept-running renderer: median CPU time of a print;
2. a long report (the items block 40 times): CPU ms per page, goal ≤ 100 ms;
3. a 20-page report with 40 charts (section scores and the quadrant chart, ten times) printed by a process that
   imports only `printing`, as the web's worker does: CPU and wall time of a print, goal ≤ 1.5 s, and the process's
   peak RSS, goal ≤ 150 MB;
4. with ``--data-dir`` (a data dir seeded by ``servicescore demo --no-serve``): ``report client --all`` in both
   languages on 1 and on 2 worker processes, pages per second over the whole wall time and at full speed (after each
   worker's first PDF: the pool's start is a fixed cost per batch), goal: 2 workers ≥ 1.8 × one worker at full
   speed.

``--quick`` prints each report fewer times (the demo client report 3 times instead of 9, the others once instead
of 3).
"""

from __future__ import annotations

import argparse
import gc
import os
import pickle
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from servicescore.definitions import load_instruments
from servicescore.definitions.reports.brands import Brand
from servicescore.definitions.reports.loading import load_brand, load_report
from servicescore.definitions.reports.report import Block, ReportDefinition
from servicescore.demo.report_data import from_demo
from servicescore.reporting.context import build_context
from servicescore.reporting.data import ReportData
from servicescore.reporting.printing import PrintJob
from servicescore.reporting.render import Renderer
from servicescore.reporting.request import ReportRequest
from servicescore.settings import Settings

LONG_BLOCKS = [Block(type="items")] * 40 + [Block(type="methodology")]
CHARTED_BLOCKS = [Block(type="section_scores"), Block(type="quadrant")] * 10  # 3 + 1 charts a page, 20 pages


def _load() -> str:
    return f"load {os.getloadavg()[0]:.2f}"


def _goal(met: bool) -> str:
    return "goal met" if met else "GOAL MISSED"


def _timed(render: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median CPU and wall seconds of a call. Each call starts after a full collection and ends with the full
    collection of the garbage it left: a process printing one report after another pays for that too."""
    times, walls = [], []
    for _ in range(repeat):
        gc.collect()
        started, wall = time.process_time(), time.perf_counter()
        render()
        gc.collect()
        times.append(time.process_time() - started)
        walls.append(time.perf_counter() - wall)
    return statistics.median(times), statistics.median(walls)


def _pages(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


# The child that only prints: it imports `printing` (WeasyPrint) and nothing else of ServiceScore.
_PRINT_CHILD = """
import pickle, statistics, sys, time
from servicescore.reporting.printing import Printer
job, repeat = pickle.load(sys.stdin.buffer)
def status(field):  # VmHWM, not ru_maxrss: Linux carries the parent's ru_maxrss over fork and exec
    return int(next(l for l in open("/proc/self/status") if l.startswith(field)).split()[1]) / 1024
printer = Printer(job.roots)
printer.pdf(job.html, job.css, job.base_url)
times, walls = [], []
for _ in range(repeat):
    started, wall = time.process_time(), time.perf_counter()
    printer.pdf(job.html, job.css, job.base_url)
    times.append(time.process_time() - started)
    walls.append(time.perf_counter() - wall)
print(statistics.median(times), statistics.median(walls), status("VmHWM:"))
"""


def _print_child(job: PrintJob, repeat: int) -> tuple[float, float, float]:
    """In a fresh process that imports only `printing`: print once to warm, then ``repeat`` times; (median CPU
    seconds, median wall seconds, peak RSS MB)."""
    out = subprocess.run(
        [sys.executable, "-c", _PRINT_CHILD], input=pickle.dumps((job, repeat)), capture_output=True, check=True
    ).stdout.split()
    return float(out[0]), float(out[1]), float(out[2])


def _context(settings: Settings, data: ReportData, definition: ReportDefinition) -> tuple[dict[str, Any], Brand]:
    brand = load_brand(settings.reports_dir / "brands", "zorngarden")
    return build_context(data, ReportRequest(definition, ("zorngarden",), "sv"), brand), brand


def main(quick: bool, data_dir: Path | None) -> None:
    settings = Settings()
    data = from_demo({i.id: i for i in load_instruments(settings.surveys_dir)})
    gc.freeze()  # the demo data out of the cyclic collector's passes, as `output`'s worker processes do
    renderer = Renderer(settings.templates_dir, settings.reports_dir / "brands")
    client = load_report(settings.reports_dir, "client")

    context, brand = _context(settings, data, client)
    pages = _pages(renderer.pdf(context, brand) or b"")  # warm: fonts and stylesheet parsed once
    cpu, wall = _timed(lambda: renderer.pdf(context, brand), 3 if quick else 9)
    print(f"1. demo client report, {pages} pages, kept renderer: {cpu * 1000:.0f} ms CPU, {wall * 1000:.0f} ms wall "
          f"(median of {3 if quick else 9}) [{_load()}]")  # fmt: skip

    long_context, _ = _context(settings, data, client.model_copy(update={"blocks": LONG_BLOCKS}))
    long_pages = _pages(renderer.pdf(long_context, brand) or b"")
    cpu, wall = _timed(lambda: renderer.pdf(long_context, brand), 1 if quick else 3)
    per_page = cpu * 1000 / long_pages
    print(f"2. long report, {long_pages} pages: {cpu * 1000:.0f} ms CPU = {per_page:.0f} ms per page, "
          f"{wall * 1000 / long_pages:.0f} ms wall (goal ≤ 100 ms per page: {_goal(per_page <= 100)}) "
          f"[{_load()}]")  # fmt: skip

    charted_context, _ = _context(settings, data, client.model_copy(update={"blocks": CHARTED_BLOCKS}))
    job = renderer.job(charted_context, brand)
    charted_pages, charts = _pages(renderer.pdf(charted_context, brand) or b""), job.html.count('<img class="svg"')
    cpu, wall, peak = _print_child(job, 1 if quick else 3)
    print(f"3. {charted_pages} pages with {charts} charts, in a process that only prints: {cpu:.2f} s CPU, "
          f"{wall:.2f} s wall (goal ≤ 1.5 s: {_goal(cpu <= 1.5)}), peak RSS {peak:.0f} MB (goal ≤ 150 MB: "
          f"{_goal(peak <= 150)}) [{_load()}]")  # fmt: skip

    if data_dir is not None:
        report_all(data_dir)


def report_all(data_dir: Path) -> None:
    """``report client --all`` in Swedish and in English (two commands at once), made by 1 and then by 2
    ``servicescore worker`` processes, each on a fresh copy of ``data_dir`` (an empty report cache). Two rates: over
    the whole wall time of the commands (each worker loads the report code and the data with its first job, a fixed
    cost per process), and at full speed, between the moment every worker has finished its first report and the
    moment the first worker runs out of work (from the job table's times); the goal is read on the second, which is
    what a longer batch approaches."""
    rates, steady = [], []
    for workers in (1, 2):
        run_dir = data_dir.parent / f"bench-report-all-{workers}"
        shutil.rmtree(run_dir, ignore_errors=True)
        shutil.copytree(data_dir, run_dir, ignore=shutil.ignore_patterns("cache", "reports", "queue.sqlite3*"))
        wall, jobs = _batch_on_workers(run_dir, workers)
        pages = sum(page_count for *_, page_count in jobs)
        rates.append(pages / wall)
        steady.append(_full_speed(jobs))
        print(f"4. report client --all, sv and en, {workers} worker process(es): {len(jobs)} PDFs, {pages} pages "
              f"in {wall:.1f} s wall = {rates[-1]:.1f} pages/s; at full speed {steady[-1]:.1f} pages/s "
              f"[{_load()}]")  # fmt: skip
    print(f"   2 workers / 1 worker: {steady[1] / steady[0]:.2f}x at full speed (goal ≥ 1.8x: "
          f"{_goal(steady[1] >= 1.8 * steady[0])}), {rates[1] / rates[0]:.2f}x over the whole wall time; "
          f"{os.cpu_count()} cores, shared [{_load()}]")  # fmt: skip


def _batch_on_workers(run_dir: Path, workers: int) -> tuple[float, list[tuple[str, datetime, int]]]:
    """Start ``workers`` worker processes, run both commands, stop the workers: the commands' wall time and each
    written report's (worker, finished at, pages)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SERVICESCORE_")}
    environment |= {"SERVICESCORE_DATA_DIR": str(run_dir), "SERVICESCORE_QUEUE_IN_PROCESS": "false"}
    command = [sys.executable, "-m", "servicescore"]
    pool = [subprocess.Popen([*command, "worker", "--workers", "1"], env=environment, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True) for _ in range(workers)]  # fmt: skip
    try:
        for process in pool:
            assert process.stdout is not None
            assert process.stdout.readline().startswith("worker "), "a worker did not start"
        started = time.perf_counter()
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        batches = [subprocess.Popen([*command, "report", "client", "--all", "--lang", lang], env=environment, **quiet)
                   for lang in ("sv", "en")]  # fmt: skip
        assert [batch.wait() for batch in batches] == [0, 0], "report --all failed"
        wall = time.perf_counter() - started
    finally:
        for process in pool:
            process.send_signal(signal.SIGINT)
        for process in pool:
            process.wait(timeout=60)
    with sqlite3.connect(run_dir / "servicescore.sqlite3") as database:
        rows = database.execute(
            "SELECT worker, finished_at, result FROM job WHERE kind = 'report' AND status = 'done' ORDER BY finished_at"
        ).fetchall()
    written = [(worker, datetime.fromisoformat(at), result) for worker, at, result in rows if result.endswith(".pdf")]
    return wall, [(worker, at, _pages(Path(result).read_bytes())) for worker, at, result in written]


def _full_speed(jobs: list[tuple[str, datetime, int]]) -> float:
    """Pages per second finished while every worker was warm and busy: after the last first report of any worker,
    up to the first last report of any worker."""
    by_worker: dict[str, list[datetime]] = {}
    for worker, at, _ in jobs:
        by_worker.setdefault(worker, []).append(at)
    start, end = max(times[0] for times in by_worker.values()), min(times[-1] for times in by_worker.values())
    pages = sum(count for _, at, count in jobs if start < at <= end)
    return pages / (end - start).total_seconds()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer prints of each report")
    parser.add_argument("--data-dir", type=Path, default=None)
    arguments = parser.parse_args()
    main(arguments.quick, arguments.data_dir)
