"""Report rendering benchmark (on demand): ``python tests/benchmarks/bench_reports.py [RENDERS]``.

Measures, in one run: the demo client report in a kept-running renderer (time, peak RSS), ms per page on a
long report (the items block repeated), RSS growth over RENDERS renders (default 100), and the speed-up
against a naive render of the same content (a fresh Renderer, so a fresh FontConfiguration, each time).
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from servicescore.definitions import load_instruments
from servicescore.reporting.context import build_context
from servicescore.reporting.data import from_demo
from servicescore.reporting.definitions import Block
from servicescore.reporting.loading import load_brand, load_report
from servicescore.reporting.render import Renderer
from servicescore.reporting.request import ReportRequest
from servicescore.settings import Settings


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _timed(render: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        render()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(renders: int) -> None:
    settings = Settings()
    data = from_demo({i.id: i for i in load_instruments(settings.surveys_dir)})
    brands = settings.reports_dir / "brands"
    brand = load_brand(brands, "zorngarden")
    definition = load_report(settings.reports_dir, "client")
    context = build_context(data, ReportRequest(definition, ("zorngarden",), "sv"), brand)
    renderer = Renderer(settings.templates_dir, brands)
    renderer.pdf(context, brand)  # warm: fonts and stylesheet parsed once
    kept = _timed(lambda: renderer.pdf(context, brand), 5)
    print(f"demo client report, kept renderer: {kept * 1000:.0f} ms (median of 5), "
          f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")  # fmt: skip
    naive = _timed(lambda: Renderer(settings.templates_dir, brands).pdf(context, brand), 3)
    print(f"same report, fresh renderer each time: {naive * 1000:.0f} ms; speed-up {naive / kept:.2f}x")
    long_definition = definition.model_copy(update={"blocks": [Block(type="items")] * 40 + [Block(type="methodology")]})
    long_context = build_context(data, ReportRequest(long_definition, ("zorngarden",), "sv"), brand)
    started = time.perf_counter()
    pdf = renderer.pdf(long_context, brand)
    elapsed = time.perf_counter() - started
    target = Path("/tmp/servicescore-bench-long.pdf")
    target.write_bytes(pdf or b"")
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))
    print(f"long report: {elapsed * 1000:.0f} ms for {pages} pages = {elapsed * 1000 / pages:.0f} ms per page")
    before = _rss_mb()
    for _ in range(renders):
        renderer.pdf(context, brand)
    after = _rss_mb()
    print(f"RSS over {renders} renders: {before:.0f} → {after:.0f} MB ({(after - before) / before * 100:+.1f} %)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
