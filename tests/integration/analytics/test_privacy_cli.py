"""The one privacy rule in the analytics commands: `benchmark --focus` shows only the focus's own peer group, with
stable labels, and `SERVICESCORE_MIN_GROUP_SIZE` is a floor no `--min-n` lowers (servicescore.results)."""

from __future__ import annotations

import asyncio
import os
import random
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest

from tests.support.cli_runs import invoke

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("isolated_environment")]  # never the ambient database

HEADER = "response_id,instrument,wave,organisation,unit,item,value,na,text,submitted_at,segment"
HERITAGE = ("zorn", "p-aa", "p-bb", "p-cc", "p-dd", "p-ee")
TINY = ("t1", "t2")
# Respondents per organisation: (visitor-survey 2026-Q1, 2026-Q2, employee-pulse 2026-Q1). Several groups of 3–7.
SIZES = {
    "zorn": (12, 9, 9), "p-aa": (10, 8, 9), "p-bb": (9, 5, 8), "p-cc": (8, 0, 10), "p-dd": (11, 0, 8),
    "p-ee": (6, 0, 0), "t1": (5, 0, 6), "t2": (4, 0, 5), "solo": (7, 0, 3),
}  # fmt: skip
VISITOR_ITEMS = ("staff_welcome", "guide_rating", "overall_satisfaction")
PULSE_ITEMS = ("proud_of_service", "systems_support", "overall_engagement")
FLOOR = 8


def _rows(rng: random.Random, instrument: str, wave: str, organisation: str, count: int) -> Iterator[str]:
    items = PULSE_ITEMS if instrument == "employee-pulse" else VISITOR_ITEMS
    centre = 1.5 + 3 * (sorted(SIZES).index(organisation) / len(SIZES))  # a different mean per organisation
    for _ in range(count):
        rid = uuid.UUID(int=rng.getrandbits(128), version=4)
        for item in items:
            value = min(5, max(1, round(centre + rng.gauss(0, 1))))
            yield f"{rid},{instrument},{wave},{organisation},main,{item},{value},,,2026-03-01T10:00:00Z,"


@pytest.fixture
async def world(tmp_path: Path) -> Path:
    """The answers imported, then two peer groups set in the database: heritage (six) and tiny (two)."""
    rng = random.Random(17)
    rows = [HEADER]
    for organisation, (q1, q2, pulse) in SIZES.items():
        rows += _rows(rng, "visitor-survey", "2026-Q1", organisation, q1)
        rows += _rows(rng, "visitor-survey", "2026-Q2", organisation, q2)
        rows += _rows(rng, "employee-pulse", "2026-Q1", organisation, pulse)
    path = tmp_path / "answers.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    imported = await invoke("responses", "import", str(path))
    assert imported.exit_code == 0, imported.output
    database = Path(os.environ["SERVICESCORE_DATA_DIR"]) / "servicescore.sqlite3"
    with sqlite3.connect(database) as connection:
        for group, members in (("heritage", HERITAGE), ("tiny", TINY)):
            connection.execute("INSERT INTO peer_group (slug, name, industry) VALUES (?, ?, '')", (group, group))
            connection.execute(
                f"UPDATE organisation SET peer_group = (SELECT id FROM peer_group WHERE slug = ?) "
                f"WHERE slug IN ({', '.join('?' * len(members))})",
                (group, *members),
            )
    return database


async def _json(*args: str) -> pl.DataFrame:
    result = await invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return pl.read_json(result.stdout.encode())


async def test_focus_shows_only_its_own_peer_group(world: Path) -> None:
    named = await _json("benchmark", "--instrument", "visitor-survey", "--level", "overall", "--names")
    table = await _json("benchmark", "--instrument", "visitor-survey", "--level", "overall", "--focus", "zorn")
    q1 = table.filter(pl.col("wave") == "2026-Q1")
    # Every heritage member has at least 5 respondents in 2026-Q1: zorn and five peers, nobody else.
    assert sorted(q1.get_column("organisation")) == ["Peer A", "Peer B", "Peer C", "Peer D", "Peer E", "zorn"]
    heritage = named.filter((pl.col("wave") == "2026-Q1") & pl.col("organisation").is_in(HERITAGE))
    assert sorted(q1.get_column("index")) == sorted(heritage.get_column("index"))
    assert set(table.get_column("peer_group")) == {"heritage"}
    # 2026-Q2: three shown heritage organisations, under --min-peers 5: zorn alone, without peer statistics.
    q2 = table.filter(pl.col("wave") == "2026-Q2")
    assert q2.get_column("organisation").to_list() == ["zorn"]
    assert q2.select("rank", "peer_mean", "n_peers").row(0) == (None, None, 3)
    # Peer A is the best peer, and so on down.
    peers = q1.filter(pl.col("organisation") != "zorn").sort("organisation")
    assert peers.get_column("index").to_list() == sorted(peers.get_column("index"), reverse=True)


async def test_focus_by_unit_shows_only_the_focus_units(world: Path) -> None:
    by_unit = ("--by", "organisation,unit", "--level", "overall", "--focus", "zorn")
    table = await _json("benchmark", "--instrument", "visitor-survey", *by_unit)
    assert table.select("organisation", "unit").unique().rows() == [("zorn", "main")]


async def test_focus_in_a_group_too_small_shows_nothing_of_the_peers(world: Path) -> None:
    for asked in ([], ["--min-peers", "2"]):
        result = await invoke("benchmark", "--instrument", "visitor-survey", "--level", "overall", "--focus", "t1",
                              "--format", "json", *asked)  # fmt: skip
        assert result.exit_code == 0, result.output
        table = pl.read_json(result.stdout.encode())
        assert table.get_column("organisation").to_list() == ["t1"]
        assert table.select("rank", "percentile", "peer_mean", "peer_best").row(0) == (None, None, None, None)
    assert "note: --min-peers 2 raised to 5" in result.stderr


async def test_peer_labels_are_the_same_in_fresh_processes(world: Path) -> None:
    command = [sys.executable, "-m", "servicescore", "benchmark", "--instrument", "visitor-survey", "--focus", "zorn"]
    runs = [
        (
            await asyncio.to_thread(
                subprocess.run,
                command,
                capture_output=True,
                check=True,
                text=True,
                env={**os.environ, "PYTHONHASHSEED": hash_seed},
            )
        ).stdout
        for hash_seed in ("1", "2")
    ]
    assert runs[0] == runs[1]
    assert "Peer E" in runs[0]


async def test_min_group_size_is_a_floor_for_every_command(world: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERVICESCORE_MIN_GROUP_SIZE", str(FLOOR))
    low = ("--min-n", "3")
    small_groups = sum(3 <= size < FLOOR for q1, q2, _ in SIZES.values() for size in (q1, q2))
    scores = await _json("scores", "--instrument", "visitor-survey", *low)
    small = scores.filter(pl.col("n") < FLOOR)
    assert small.height == small_groups * len(VISITOR_ITEMS)
    assert small.get_column("suppressed").all()
    assert small.get_column("mean").null_count() == small.height

    benchmark = await _json("benchmark", "--instrument", "visitor-survey", "--names", *low)
    small = benchmark.filter(pl.col("n") < FLOOR)
    assert small.height == small_groups * len(VISITOR_ITEMS)
    assert small.get_column("index").null_count() == small.height

    trends = await _json("trends", "--instrument", "visitor-survey", "--level", "overall", *low)
    # zorn and p-aa have 8 or more respondents in both waves; p-bb's five in 2026-Q2 are no score to compare.
    changed = trends.filter(pl.col("change").is_not_null()).get_column("organisation").to_list()
    assert sorted(changed) == ["p-aa", "zorn"]
    small = trends.filter(pl.col("n") < FLOOR)
    assert small.height == small_groups
    assert small.get_column("index").null_count() == small.height

    drivers = await _json(
        "drivers", "--instrument", "visitor-survey", "--by", "organisation", "--wave", "2026-Q1", *low
    )
    weighted = drivers.filter(pl.col("importance").is_not_null())
    assert all(n >= FLOOR for n in weighted.get_column("n_complete").to_list())
    assert set(weighted.get_column("organisation")) <= {o for o, sizes in SIZES.items() if sizes[0] >= FLOOR}

    result = await invoke("linkage", "--employee", "employee-pulse", "--customer", "visitor-survey", "--format",
                          "json", *low)  # fmt: skip
    assert result.exit_code == 0, result.output
    linkage = pl.read_json(result.stdout.encode())
    both = [o for o, (q1, _, pulse) in SIZES.items() if q1 >= FLOOR and pulse >= FLOOR]
    assert linkage.filter(pl.col("wave") == "2026-Q1").get_column("n_units").to_list() == [len(both)]
    assert f"note: --min-n 3 raised to {FLOOR}" in result.stderr


async def test_min_n_may_raise_the_floor(world: Path) -> None:
    scores = await _json("scores", "--instrument", "visitor-survey", "--level", "overall", "--min-n", "10")
    shown = scores.filter(~pl.col("suppressed")).get_column("n").to_list()
    assert shown
    assert min(shown) >= 10
    default = await _json("scores", "--instrument", "visitor-survey", "--level", "overall")
    assert default.filter(pl.col("n") == 5).get_column("suppressed").to_list() == [False, False]  # t1, p-bb Q2
