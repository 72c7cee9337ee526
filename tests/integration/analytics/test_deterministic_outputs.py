"""The same answers give the same bytes: every analytics command, CSV and JSON, in two fresh processes with different
hash seeds; the second runs the commands in reverse order, so nothing one command leaves behind in a process changes
the next one's bytes.

The world is the demo's (peer groups, units, waves, the employee pulse on the same units) plus two organisations
with identical answers (a tie) whose units are both called "main", answered with uneven respondent weights.
"""

from __future__ import annotations

import json
import os
import random
import uuid
from pathlib import Path

import pytest

from servicescore.db.engine import write_transaction
from servicescore.db.lifecycle import database
from servicescore.db.tables import Organisation, PeerGroup
from servicescore.settings import get_settings
from tests.support.cli_runs import invoke
from tests.support.command_batch import run_batch
from tests.support.demo_world import copy_demo_world

pytestmark = [pytest.mark.anyio, pytest.mark.usefixtures("isolated_environment")]

HEADER = "response_id,instrument,wave,organisation,unit,item,value,na,text,submitted_at,segment,weight"
RATED = ("staff_welcome", "guide_rating", "information_before", "waiting_time", "value_for_money", "cafe_and_shop")
TWINS = ("tvilling-a", "tvilling-b")
COMMANDS = {
    "scores": ["scores", "--instrument", "visitor-survey", "--by", "unit", "--level", "section"],
    "benchmark": ["benchmark", "--instrument", "visitor-survey", "--level", "overall", "--names"],
    "trends": ["trends", "--instrument", "visitor-survey", "--level", "section"],
    "drivers": ["drivers", "--instrument", "visitor-survey", "--by", "organisation"],
    "linkage": ["linkage", "--employee", "employee-pulse", "--customer", "visitor-survey", "--min-units", "4"],
}


def twin_answers(path: Path) -> Path:
    """Two organisations, the same 60 answers each (uneven weights), in the demo's first wave, unit "main"."""
    rng = random.Random(16)
    items = (*RATED, "overall_satisfaction")
    respondents = [
        ({item: rng.randint(1, 5) for item in items}, rng.randint(0, 10), rng.uniform(0.3, 3)) for _ in range(60)
    ]
    rows = [HEADER]
    for organisation in TWINS:
        for n, (ratings, recommend, weight) in enumerate(respondents):
            rid = uuid.uuid5(uuid.NAMESPACE_URL, f"{organisation}/{n}")
            common = f"{rid},visitor-survey,2026-Q1,{organisation},main"
            end = f",,,2026-03-0{1 + n % 9}T10:00:00Z,,{weight!r}"
            rows += [f"{common},{item},{value}{end}" for item, value in ratings.items()]
            rows.append(f"{common},recommend,{recommend}{end}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


async def seed(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> None:
    settings = get_settings()
    copy_demo_world(tmp_path_factory, settings.data_dir)
    imported = await invoke("responses", "import", str(twin_answers(tmp_path / "twins.csv")))
    assert imported.exit_code == 0, imported.output
    async with database(settings) as engine, write_transaction(engine):
        group = await PeerGroup.select(PeerGroup.id).where(PeerGroup.slug == "kulturarv").first()
        assert group is not None
        await Organisation.update({Organisation.peer_group: group["id"]}).where(Organisation.slug.is_in(list(TWINS)))


def run_in_one_process(commands: list[list[str]], hash_seed: str, tmp_path: Path) -> list[bytes]:
    environment = {**os.environ, "PYTHONHASHSEED": hash_seed, "SERVICESCORE_DATA_DIR": str(tmp_path / "data")}
    runs = run_batch(commands, environment)
    for done in runs:
        assert (done.exit_code, done.raised) == (0, ""), str(done)
    return [done.stdout for done in runs]


async def test_every_analytics_command_gives_the_same_bytes_in_fresh_processes(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    await seed(tmp_path_factory, tmp_path)
    keys = [(name, table_format) for name in COMMANDS for table_format in ("csv", "json")]
    commands = [[*COMMANDS[name], "--format", table_format] for name, table_format in keys]
    first = run_in_one_process(commands, "1", tmp_path)
    second = run_in_one_process(commands[::-1], "2", tmp_path)[::-1]
    outputs = {key: {one, other} for key, one, other in zip(keys, first, second, strict=True)}
    assert {key: len(runs) for key, runs in outputs.items()} == dict.fromkeys(outputs, 1)
    assert all(output.strip() for runs in outputs.values() for output in runs)

    # The twins tie: same rank and percentile in every wave they are in, and their same-named units stay apart.
    (benchmark,) = outputs["benchmark", "json"]
    twins = [row for row in json.loads(benchmark) if row["organisation"] in TWINS]
    assert len(twins) == 2
    assert twins[0]["index"] == twins[1]["index"]
    assert (twins[0]["rank"], twins[0]["percentile"]) == (twins[1]["rank"], twins[1]["percentile"])
    (scores,) = outputs["scores", "json"]
    mains = {(row["organisation"], row["unit"]) for row in json.loads(scores) if row["unit"] == "main"}
    assert mains == {(twin, "main") for twin in TWINS}
