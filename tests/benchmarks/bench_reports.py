"""Report rendering benchmark (on demand): ``python tests/benchmarks/bench_reports.py [--renders N] [--data-dir D]``.

Measures, in one run, with the load average (1 min) printed beside every figure, since the machine is shared:

1. the demo client report (every block) in a kept-running renderer: median time of 5 renders, and the peak RSS
   of a process that only prints (a child given the finished HTML and CSS as a `printing.PrintJob` and importing
   `printing` only, as the web's worker process is);
2. ms per page of a long report (the items block 40 times), median of 3 renders;
3. RSS growth over N renders (default 100) in the kept renderer;
4. pages per second against a naive render of the same report, in the same run. "Naive" is what a first
   implementation does: a fresh renderer per report (a new Jinja2 environment, the HTML printed by WeasyPrint's
   own API with its defaults: a new FontConfiguration, the stylesheet and its @font-face fonts parsed again,
   WeasyPrint's default stylesheet, the garbage collector as the process has it), charts inline as SVG elements
   in the HTML, and charts that label every value inside the SVG (index, interval ends and the 0/25/50/75/100
   ticks on each interval bar, every segment's share on each distribution bar) although the table beside them
   prints the same figures. Each of the three is also measured alone;
5. with ``--data-dir`` (a data dir seeded by ``servicescore demo --no-serve``): ``report client --all`` for every
   demo organisation on 1 and on 2 worker processes.
"""

from __future__ import annotations

import argparse
import gc
import os
import pickle
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from html import escape
from pathlib import Path
from typing import Any

from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from servicescore.definitions import load_instruments
from servicescore.reporting import charts
from servicescore.reporting.brands import Brand
from servicescore.reporting.context import build_context
from servicescore.reporting.data import ReportData, from_demo
from servicescore.reporting.definitions import Block
from servicescore.reporting.fetcher import SafeFetcher
from servicescore.reporting.loading import load_brand, load_report
from servicescore.reporting.output import Job, file_name, write_all
from servicescore.reporting.printing import PDF_VARIANT, PrintJob
from servicescore.reporting.render import Renderer
from servicescore.reporting.request import ReportRequest
from servicescore.settings import Settings


def _load() -> str:
    return f"load {os.getloadavg()[0]:.2f}"


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(render: Callable[[], object], repeat: int) -> float:
    """Median CPU seconds of this process per call: on a machine shared by several busy processes, the wall
    clock measures the neighbours; CPU time measures the work (the wall time is printed beside it).

    Each call starts after a full collection, outside the timing, and its time ends with the full collection of
    the garbage it left: a process that prints one report after another pays for that collection too, sooner or
    later. Each call thus pays for its own garbage, not for the call's before it (in alternating rounds, ours paid
    about 40 ms a round for the naive's leftovers when only the call was timed, and the naive's leftovers, about
    100 ms of collection against ours' 20, were charged to nobody)."""
    times, walls = [], []
    for _ in range(repeat):
        gc.collect()
        started, wall = time.process_time(), time.perf_counter()
        render()
        gc.collect()
        times.append(time.process_time() - started)
        walls.append(time.perf_counter() - wall)
    _WALL.append(statistics.median(walls))
    return statistics.median(times)


_WALL: list[float] = []
ROUNDS = 15  # alternating naive/ours rounds for the ratio


def _wall() -> str:
    return f"wall {_WALL[-1] * 1000:.0f} ms"


def _pages(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def _naive_interval_bar(
    index: float | None, low: float | None, high: float | None, peer_mean: float | None = None, **kw: Any
) -> str:
    """The lean bar plus every value as SVG text: what the table beside it already prints."""
    svg = _LEAN["interval_bar"](index, low, high, peer_mean, **kw)
    labels = [(v, 15, f"{v:g}") for v in (0, 25, 50, 75, 100)]
    labels += [(v, 7, f"{v:.1f}") for v in (index, low, high, peer_mean) if v is not None]
    text = "".join(
        f'<text x="{v * 2:.1f}" y="{y}" font-size="6" text-anchor="middle">{escape(s)}</text>' for v, y, s in labels
    )
    return svg.replace("</svg>", text + "</svg>")


def _naive_distribution_bar(shares: Sequence[float | None], **kw: Any) -> str:
    svg = _LEAN["distribution_bar"](shares, **{**kw, "fmt": None})
    x, text = 0.0, []
    for share in shares:
        if share:
            text.append(
                f'<text x="{(x + share / 2) * 2:.1f}" y="10" font-size="7" text-anchor="middle">{share:.0f} %</text>'
            )
            x += share
    return svg.replace("</svg>", "".join(text) + "</svg>")


_LEAN = {"interval_bar": charts.interval_bar, "distribution_bar": charts.distribution_bar}


@contextmanager
def text_heavy_charts() -> Iterator[None]:
    charts.interval_bar, charts.distribution_bar = _naive_interval_bar, _naive_distribution_bar  # type: ignore[assignment]
    try:
        yield
    finally:
        charts.interval_bar, charts.distribution_bar = _LEAN["interval_bar"], _LEAN["distribution_bar"]  # type: ignore[assignment]


# The child that only prints: it imports `printing` (WeasyPrint) and nothing else of ServiceScore.
_PRINT_CHILD = """
import pickle, statistics, sys, time
from servicescore.reporting.printing import Printer
job, repeat = pickle.load(sys.stdin.buffer)
def status(field):  # VmHWM, not ru_maxrss: Linux carries the parent's ru_maxrss over fork and exec
    return int(next(l for l in open("/proc/self/status") if l.startswith(field)).split()[1]) / 1024
before = status("VmRSS:")
printer = Printer(job.roots)
printer.pdf(job.html, job.css, job.base_url)
times = []
for _ in range(repeat):
    started = time.process_time()
    printer.pdf(job.html, job.css, job.base_url)
    times.append(time.process_time() - started)
print(statistics.median(times), before, status("VmHWM:"))
"""


def _print_child(job: PrintJob, repeat: int) -> tuple[float, tuple[float, float]]:
    """In a fresh process that imports only `printing`: warm once, print ``repeat`` times; (median CPU seconds,
    (RSS before, peak RSS) MB)."""
    out = subprocess.run(
        [sys.executable, "-c", _PRINT_CHILD], input=pickle.dumps((job, repeat)), capture_output=True, check=True
    ).stdout.split()
    return float(out[0]), (float(out[1]), float(out[2]))


def plain_pdf(job: PrintJob) -> bytes:
    """The PDF as WeasyPrint's API makes it with its defaults: none of `printing.Printer`'s kept parts (font
    configuration, parsed stylesheet, image cache), its default stylesheet and the process's collector thresholds;
    the same safe fetcher and tagged PDF variant as ours."""
    fetcher, fonts = SafeFetcher(job.roots), FontConfiguration()
    css = CSS(string=job.css, base_url=job.base_url, url_fetcher=fetcher, font_config=fonts)
    html = HTML(string=job.html, base_url=job.base_url, url_fetcher=fetcher)
    pdf: bytes = html.write_pdf(stylesheets=[css], font_config=fonts, pdf_variant=PDF_VARIANT)
    return pdf


def client_report(settings: Settings, data: ReportData) -> tuple[dict[str, Any], Brand]:
    brand = load_brand(settings.reports_dir / "brands", "zorngarden")
    definition = load_report(settings.reports_dir, "client")
    return build_context(data, ReportRequest(definition, ("zorngarden",), "sv"), brand), brand


def main(renders: int, data_dir: Path | None) -> None:
    settings = Settings()
    data = from_demo({i.id: i for i in load_instruments(settings.surveys_dir)})
    context, brand = client_report(settings, data)
    gc.freeze()  # the demo data out of the cyclic collector's passes, as `output`'s worker processes do
    brands_dir = settings.reports_dir / "brands"
    renderer = Renderer(settings.templates_dir, brands_dir)
    pdf = renderer.pdf(context, brand) or b""  # warm: fonts and stylesheet parsed once
    pages = _pages(pdf)
    kept = _timed(lambda: renderer.pdf(context, brand), 5)
    print(f"1. demo client report, {pages} pages, kept renderer: {kept * 1000:.0f} ms CPU (median of 5; {_wall()}) "
          f"[{_load()}]")  # fmt: skip
    child_time, child_peak = _print_child(renderer.job(context, brand), 5)
    print(f"   a process that only prints it: {child_time * 1000:.0f} ms CPU, peak RSS {child_peak[1]:.0f} MB, "
          f"of which {child_peak[1] - child_peak[0]:.0f} MB over its RSS before the first render [{_load()}]; "
          f"this process (demo data, Polars, contexts too) peak {_peak_mb():.0f} MB")  # fmt: skip

    long_definition = load_report(settings.reports_dir, "client").model_copy(
        update={"blocks": [Block(type="items")] * 40 + [Block(type="methodology")]}
    )
    long_context = build_context(data, ReportRequest(long_definition, ("zorngarden",), "sv"), brand)
    long_pages = _pages(renderer.pdf(long_context, brand) or b"")
    elapsed = _timed(lambda: renderer.pdf(long_context, brand), 3)  # one render varied by ±10 % from run to run
    print(f"2. long report: {elapsed * 1000:.0f} ms CPU for {long_pages} pages = {elapsed * 1000 / long_pages:.0f} ms "
          f"per page (median of 3; {_wall()}) [{_load()}]")  # fmt: skip

    with text_heavy_charts():
        naive_context, _ = client_report(settings, data)

    def fresh(c: dict[str, Any], inline: bool = True) -> bytes:
        new = Renderer(settings.templates_dir, settings.reports_dir / "brands")
        if inline:
            new.environment(brand).filters["chart"] = lambda svg: Markup(svg or "")
        return plain_pdf(new.job(c, brand))

    inline = Renderer(settings.templates_dir, settings.reports_dir / "brands")
    inline.environment(brand).filters["chart"] = lambda svg: Markup(svg or "")
    inline.pdf(context, brand)
    naive_pages = _pages(fresh(naive_context))
    # Naive and ours alternate, and the ratio is the median of the rounds' ratios: a neighbour's burst of load then
    # weighs on both sides of one ratio rather than on one side of the comparison. Beside it, the ratio of each
    # side's fastest call: a neighbour only ever adds time (one print of the same report took 481 to 918 ms CPU
    # within a minute on this shared machine), so the fastest call is the closest to the work itself.
    rounds = [(_timed(lambda: fresh(naive_context), 1), _timed(lambda: renderer.pdf(context, brand), 1))
              for _ in range(ROUNDS)]  # fmt: skip
    naive, kept_again = statistics.median(n for n, _ in rounds), statistics.median(o for _, o in rounds)
    ratio = statistics.median((pages / o) / (naive_pages / n) for n, o in rounds)
    fastest = (pages / min(o for _, o in rounds)) / (naive_pages / min(n for n, _ in rounds))
    fresh_only = _timed(lambda: fresh(context, inline=False), 3)
    unkept_only = _timed(lambda: Renderer(settings.templates_dir, brands_dir).pdf(context, brand), 3)
    inline_only = _timed(lambda: inline.pdf(context, brand), 3)
    text_only = _timed(lambda: renderer.pdf(naive_context, brand), 3)
    ours, theirs = pages / kept_again, naive_pages / naive
    heavy = (inline.html(naive_context, brand).count("<text"), inline.html(context, brand).count("<text"))
    print(f"4. pages per CPU second: ours {ours:.1f}; naive (fresh renderer on WeasyPrint's defaults, inline SVG, "
          f"text-heavy charts: {heavy[0]} SVG text elements against {heavy[1]}) {theirs:.1f} = {ratio:.2f}x "
          f"(median of {ROUNDS} alternating rounds; their fastest calls: {fastest:.2f}x) "
          f"[{_load()}]")  # fmt: skip
    print(f"   alone (ms CPU): fresh renderer on WeasyPrint's defaults {fresh_only * 1000:.0f} (a fresh Renderer, "
          f"ours with nothing kept: {unkept_only * 1000:.0f}); inline SVG {inline_only * 1000:.0f}; text-heavy "
          f"charts {text_only * 1000:.0f}; naive (all three) {naive * 1000:.0f}; ours {kept_again * 1000:.0f} "
          f"[{_load()}]")  # fmt: skip

    before = _rss_mb()
    started = time.perf_counter()
    for _ in range(renders):
        renderer.pdf(context, brand)
    after = _rss_mb()
    print(f"3. RSS over {renders} renders ({time.perf_counter() - started:.0f} s): {before:.0f} → {after:.0f} MB "
          f"({(after - before) / before * 100:+.1f} %) [{_load()}]")  # fmt: skip

    if data_dir is not None:
        report_all(data_dir)


def report_all(data_dir: Path) -> None:
    from servicescore.reporting.stored import from_snapshot  # noqa: PLC0415 - the database layer

    settings = Settings(data_dir=data_dir, database_url="")
    keys = list(from_snapshot(settings).organisations)
    for workers in (1, 2):
        out = data_dir / "bench-reports" / str(workers)
        jobs = [Job("client", (k,), "sv", None, out / file_name("client", k, None, "sv")) for k in keys]
        started = time.perf_counter()
        done = [job for job, problem in write_all(settings, from_snapshot, jobs, processes=workers) if problem is None]
        elapsed = time.perf_counter() - started
        print(f"5. report client --all, {workers} worker(s): {len(done)} PDFs of {len(keys)} organisations in "
              f"{elapsed:.1f} s [{_load()}]")  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=100)
    parser.add_argument("--data-dir", type=Path, default=None)
    arguments = parser.parse_args()
    sys.exit(main(arguments.renders, arguments.data_dir))
