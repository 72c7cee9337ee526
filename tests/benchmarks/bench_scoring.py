"""Benchmark: the ServiceScore scoring pipeline against DuckDB on the same Parquet answers.

Run: ``python tests/benchmarks/bench_scoring.py [--rows 10000000]``. Not collected by pytest (the file name does
not start with ``test_``). The answers are generated once per row count and cached under /tmp.

(a) ServiceScore: scores by organisation × wave × item from Parquet plus the benchmark table (ranks, peer
    statistics and Holm-corrected significance), in a fresh subprocess so its peak memory (VmHWM) is its own.
(b) DuckDB: one query computing the same score columns (n, mean, sd, t interval, index, top-2-box with Wilson
    interval, suppression, rank within the peer group) from the same Parquet file, in the same run.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import resource
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import polars as pl

from servicescore.scoring import benchmark, scores

ORGANISATIONS = 200
UNITS = 5_000
WAVES = 8
ITEMS = 30
NA_SHARE = 0.05
PEER_GROUPS = 10
CACHE = Path("/tmp/servicescore-bench")
# Row groups of 32k answers: a streaming reader holds a few row groups at a time, so smaller groups lower the
# peak memory (measured here: 235 MB against 295 MB with Polars' default of 128k) at no cost in speed.
ROW_GROUP = 32_768


def _chunk(rng: np.random.Generator, responses: int, level: np.ndarray, difficulty: np.ndarray) -> pl.DataFrame:
    """`responses` whole responses (30 answers each) in the answer contract."""
    unit = rng.integers(0, UNITS, responses)
    wave = rng.integers(0, WAVES, responses)
    per = pl.DataFrame(
        {
            "response_id": [
                str(uuid.UUID(int=int(a) << 64 | int(b), version=4))
                for a, b in rng.integers(0, 2**63, (responses, 2), dtype=np.uint64)
            ],
            "wave": pl.Series([f"{2025 + w // 4}-Q{w % 4 + 1}" for w in range(WAVES)])[wave],
            "organisation": pl.Series([f"org-{o:03d}" for o in range(ORGANISATIONS)])[unit % ORGANISATIONS],
            "unit": pl.Series([f"unit-{u:04d}" for u in range(UNITS)])[unit],
            "_level": level[unit % ORGANISATIONS],
        }
    )
    items = pl.DataFrame({"item": [f"q{i:02d}" for i in range(ITEMS)], "_d": difficulty})
    size = responses * ITEMS
    keys = ["instrument", "wave", "organisation", "unit", "section", "item"]
    return (
        per.join(items, how="cross")
        .with_columns(
            _raw=pl.col("_level") + pl.col("_d") + pl.Series(rng.normal(0, 0.9, size)),
            na=pl.Series(rng.random(size) < NA_SHARE),
        )
        .select(
            "response_id",
            instrument=pl.lit("visitor-survey"),
            wave="wave",
            organisation="organisation",
            unit="unit",
            segment=pl.lit(None, dtype=pl.String),
            section=pl.format("s{}", pl.col("item").str.slice(1, 2).cast(pl.Int32) // 10),
            item="item",
            value=pl.when(~pl.col("na")).then(pl.col("_raw").round().clip(1, 5)),
            na="na",
            text=pl.lit(None, dtype=pl.String),
            submitted_at=pl.lit(datetime(2026, 1, 1, tzinfo=UTC)).cast(pl.Datetime("us", "UTC")),
            weight=pl.lit(1.0),
        )
        # A snapshot stores key columns dictionary-encoded (Categorical): what Polars and DuckDB both read fast.
        .with_columns(pl.col(k).cast(pl.Categorical) for k in keys)
    )


def generate(rows: int, seed: int = 20260) -> Path:
    """Write `rows` answers (whole responses of 30 rating items) to a cached Parquet file and return its path.

    Written in chunks of at most 2M answers, so 50M answers need no more memory than 10M.
    """
    # Imported here: the subprocess that measures our peak memory must not load pyarrow (~30 MB) for nothing.
    import pyarrow.parquet as pq

    path = CACHE / f"answers-{rows}-rg{ROW_GROUP}.parquet"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    # Organisations differ in level, items in difficulty: a realistic spread of indices.
    level, difficulty = rng.normal(3.6, 0.35, ORGANISATIONS), rng.normal(0, 0.3, ITEMS)
    tmp = path.with_suffix(".tmp")
    left = rows // ITEMS
    writer = None
    while left > 0:
        table = _chunk(rng, min(left, 2_000_000 // ITEMS), level, difficulty).to_arrow()
        writer = writer or pq.ParquetWriter(tmp, table.schema)
        writer.write_table(table, row_group_size=ROW_GROUP)
        left -= 2_000_000 // ITEMS
    if writer is not None:
        writer.close()
    tmp.rename(path)
    return path


def catalogue() -> pl.DataFrame:
    items = [f"q{i:02d}" for i in range(ITEMS)]
    return pl.DataFrame(
        {
            "instrument": "visitor-survey",
            "section": [f"s{i // 10}" for i in range(ITEMS)],
            "section_weight": 1.0,
            "item": items,
            "type": "rating",
            "weight": 1.0,
            "scale_min": 1.0,
            "scale_max": 5.0,
            "points": pl.Series([None] * ITEMS, dtype=pl.Float64),
            "role": pl.Series([None] * ITEMS, dtype=pl.String),
        }
    )


def organisations() -> pl.DataFrame:
    names = [f"org-{o:03d}" for o in range(ORGANISATIONS)]
    return pl.DataFrame(
        {"organisation": names, "peer_group": [f"peers-{o % PEER_GROUPS}" for o in range(ORGANISATIONS)]}
    )


def _peak_mb() -> float:
    """Peak resident memory of this process.

    ru_maxrss of a child process starts from its parent's peak (Linux carries the high-water mark across fork
    and exec), and the parent here has run DuckDB; VmHWM belongs to this process's own address space only.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


MODES = ("default", "weighted", "scores+rank")
# Every side runs in a fresh process of its own, so none of them profits from warm caches the others lack.
SIDES = (*MODES, "duckdb")


def run_ours(path: Path, mode: str) -> dict[str, float]:
    """Our pipeline, timed and measured in this (fresh) process.

    default: Parquet → scores → the whole benchmark table (ranks, percentiles, pooled peer statistics, Welch /
    two-proportion / NPS tests against peers and the previous wave, Holm) — what `servicescore benchmark` runs;
    weighted: the same with the weight column applied (weighted=True);
    scores+rank: the score table plus a competition rank in the peer group — the columns the DuckDB query has.
    """
    cat, orgs = catalogue(), organisations()
    # scipy before the clock, as on DuckDB's side, whose t table is made with it: its import (0.3-0.6 s, once per
    # process) was in our time only, a third of it.
    importlib.import_module("scipy.special")
    start, cpu = time.perf_counter(), _cpu_seconds()
    # low_memory: the Parquet reader prefetches fewer row groups, which lowers the peak by ~70 MB at no cost here.
    answers = pl.scan_parquet(path, low_memory=True)
    table = scores(answers, cat, by=["organisation", "item"], weighted=True if mode == "weighted" else None)
    if mode == "scores+rank":
        window = ["instrument", "wave", "item", "peer_group"]
        result = (
            table.join(orgs.lazy(), on="organisation", how="left")
            .with_columns(rank=pl.col("index").rank("min", descending=True).over(window))
            .collect()
        )
    else:
        result = benchmark(table, orgs).collect()
    seconds, cpu = time.perf_counter() - start, _cpu_seconds() - cpu
    return {"seconds": seconds, "cpu": cpu, "peak_mb": _peak_mb(), "rows": result.height}


DUCKDB_QUERY = """
with sums as (
    select instrument, wave, organisation, item,
           count(*) as n, avg(value) as mean, stddev_samp(value) as sd,
           avg(case when value >= 4 then 1.0 else 0.0 end) as p
    from read_parquet('{path}')
    where not na and value is not null
    group by all
), stats as (
    select s.*, o.peer_group,
           s.mean - t.q * s.sd / sqrt(s.n) as ci_low, s.mean + t.q * s.sd / sqrt(s.n) as ci_high,
           (s.mean - 1) / 4 * 100 as index,
           100 * (s.p + 1.959963984540054^2 / (2 * s.n)
                  - 1.959963984540054 * sqrt(s.p * (1 - s.p) / s.n + 1.959963984540054^2 / (4 * s.n * s.n)))
               / (1 + 1.959963984540054^2 / s.n) as top2_ci_low,
           100 * (s.p + 1.959963984540054^2 / (2 * s.n)
                  + 1.959963984540054 * sqrt(s.p * (1 - s.p) / s.n + 1.959963984540054^2 / (4 * s.n * s.n)))
               / (1 + 1.959963984540054^2 / s.n) as top2_ci_high,
           100 * s.p as top2_pct, s.n < 5 as suppressed
    from sums s join orgs o using (organisation) left join tq t on t.df = s.n - 1
)
select *, rank() over (partition by instrument, wave, item, peer_group order by index desc) as rank
from stats
"""


def run_duckdb(path: Path) -> dict[str, float]:
    # Imported here, not at the top: the subprocess that measures our peak memory must not load DuckDB.
    import duckdb
    from scipy import stats

    con = duckdb.connect()
    # DuckDB has no t quantile either: the same lookup of t₀.₉₇₅ by degrees of freedom.
    df = np.arange(1, 200_001)
    con.register("orgs", organisations().to_arrow())
    con.register("tq", pl.DataFrame({"df": df, "q": stats.t.ppf(0.975, df)}).to_arrow())
    start, cpu = time.perf_counter(), _cpu_seconds()
    rows = con.sql(DUCKDB_QUERY.format(path=path)).to_arrow_table().num_rows
    return {"seconds": time.perf_counter() - start, "cpu": _cpu_seconds() - cpu, "peak_mb": _peak_mb(), "rows": rows}


def _ours_in_subprocess(path: Path, mode: str) -> dict[str, float]:
    command = [sys.executable, __file__, "--ours", str(path), "--mode", mode]
    return dict(json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout))


def _line(name: str, runs: list[dict[str, float]]) -> dict[str, float]:
    best = min(runs, key=lambda r: r["seconds"])
    walls = ", ".join(f"{r['seconds']:.3f}" for r in runs)
    print(f"{name:<48} {best['seconds']:.3f} s wall, {best['cpu']:.3f} s CPU  (runs: {walls})")
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--ours", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--mode", choices=SIDES, default="default", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ours:
        print(json.dumps(run_duckdb(args.ours) if args.mode == "duckdb" else run_ours(args.ours, args.mode)))
        return
    started = time.perf_counter()
    path = generate(args.rows)
    size = path.stat().st_size / 1e6
    print(f"answers: {args.rows:,} rows, {path} ({size:.0f} MB), ready in {time.perf_counter() - started:.1f} s")
    # Interleaved, so a busy machine slows every side alike; the best of the runs is reported.
    runs: dict[str, list[dict[str, float]]] = {side: [] for side in SIDES}
    for _ in range(args.repeat):
        for side in SIDES:
            runs[side].append(_ours_in_subprocess(path, side))
    d = _line("DuckDB: score columns + rank", runs["duckdb"])
    labels = {
        "default": "ServiceScore: scores + benchmark table",
        "weighted": "ServiceScore: same, weighted=True",
        "scores+rank": "ServiceScore: score columns + rank",
    }
    for mode in MODES:
        best = _line(labels[mode], runs[mode])
        print(
            f"{'':<48} ratio to DuckDB {best['seconds'] / d['seconds']:.2f} wall, {best['cpu'] / d['cpu']:.2f} CPU;"
            f" peak {max(r['peak_mb'] for r in runs[mode]):.0f} MB; {best['rows']:.0f} rows"
        )
    print("peak memory: VmHWM of the measuring process (Python, Polars and scipy included: ~80 MB idle)")
    print(f"DuckDB rows {d['rows']:.0f}; load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
