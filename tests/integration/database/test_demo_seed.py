from __future__ import annotations

import asyncio
import email
import json
import re
import sqlite3
from dataclasses import dataclass
from email.policy import default
from pathlib import Path

import pytest
from click.testing import CliRunner

from servicescore.accounts.login import LoginPolicy, log_in
from servicescore.cli import cli
from servicescore.db.engine import open_database
from servicescore.db.migrate import migrate
from servicescore.db.tables import Answer, AuditEvent, Organisation, PeerGroup, Response, User, Wave
from servicescore.definitions import load_instruments
from servicescore.demo.seed import seed_demo
from servicescore.settings import CHECKOUT_DIR, get_settings

# One worker runs the module, so its one `servicescore demo` run (about 20 s) is shared by the tests that read it.
pytestmark = [pytest.mark.anyio, pytest.mark.xdist_group("demo-command")]


async def test_demo_world_is_seeded_once_and_deterministically(database_url: str) -> None:
    engine = await open_database(database_url)
    await migrate()
    instruments = {instrument.id: instrument for instrument in load_instruments(CHECKOUT_DIR / "surveys")}
    first = await seed_demo(engine, instruments)
    assert not first.already_seeded
    complete = await Response.count().where(Response.status.is_in(["complete", "approved"])).run()
    assert complete >= 5000
    assert first.responses == await Response.count().run()
    assert first.answers == await Answer.count().run()
    assert await Organisation.count().run() >= 8
    assert await PeerGroup.count().run() >= 2
    assert await Wave.count().run() >= 3

    again = await seed_demo(engine, instruments)
    assert again.already_seeded
    assert await Response.count().run() == first.responses
    assert await AuditEvent.count().where(AuditEvent.action == "demo.seeded").run() == 1

    # A strong five against a weak three: the founding example, in the guided-tour scorecard's overall rating.
    means = {}
    for slug in ("zorngarden", "carl-larssons-gard"):
        rows = (
            await Answer.select(Answer.value)
            .where(
                (Answer.item == "overall_rating")
                & (Answer.response_number._.organisation._.slug == slug)
                & (Answer.response_number._.status == "approved")
                & Answer.value.is_not_null()
            )
            .run()
        )
        means[slug] = sum(row["value"] for row in rows) / len(rows)
    assert means["zorngarden"] >= 4.6
    assert 2.6 <= means["carl-larssons-gard"] <= 3.4


@dataclass(frozen=True)
class DemoRun:
    data_dir: Path
    output: str


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """One `servicescore demo --no-serve` into a new data dir, shared by the tests that read what it left."""
    data_dir = tmp_path_factory.mktemp("demo-command") / "data"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SERVICESCORE_DATA_DIR", str(data_dir))
        patch.setenv("SERVICESCORE_DEMO_PASSWORD", "Zorn-1909-Mora")
        patch.delenv("SERVICESCORE_DATABASE_URL", raising=False)
        patch.delenv("SERVICESCORE_QUEUE_URL", raising=False)
        result = CliRunner().invoke(cli, ["demo", "--no-serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    return DemoRun(data_dir, result.output)


def test_demo_command_twice_and_accounts(demo_run: DemoRun, monkeypatch: pytest.MonkeyPatch) -> None:
    assert demo_run.output.startswith("seeded ")
    assert "seeded 32 shopper assignments, with the visits awaiting review or returned" in demo_run.output
    assert "password from SERVICESCORE_DEMO_PASSWORD" in demo_run.output
    monkeypatch.setenv("SERVICESCORE_DEMO_PASSWORD", "Zorn-1909-Mora")
    monkeypatch.setenv("SERVICESCORE_DATA_DIR", str(demo_run.data_dir))
    runner = CliRunner()
    second = runner.invoke(cli, ["demo", "--no-serve"])
    assert second.exit_code == 0, second.output
    assert "kept as it is" in second.output
    assert "already exist; their password is unchanged" in second.output
    seeded_ids = _response_ids(demo_run.data_dir)
    other = demo_run.data_dir.parent / "other"
    monkeypatch.setenv("SERVICESCORE_DATA_DIR", str(other))
    assert runner.invoke(cli, ["demo", "--no-serve"]).exit_code == 0
    assert _response_ids(other) == seeded_ids, "the demo world is the same on every machine"


def _response_ids(data_dir: Path) -> list[str]:
    with sqlite3.connect(data_dir / "servicescore.sqlite3") as connection:
        rows = connection.execute("SELECT id FROM response ORDER BY id").fetchall()
    return [row[0] for row in rows]


def test_demo_accounts_can_log_in(demo_run: DemoRun, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo accounts and the calibration panel log in; the panel's calibration wave finds Alva lenient and
    Bertil harsh (simulated at +0.9 and −0.9 points) and nobody else."""
    monkeypatch.setenv("SERVICESCORE_DEMO_PASSWORD", "Zorn-1909-Mora")
    monkeypatch.setenv("SERVICESCORE_DATA_DIR", str(demo_run.data_dir))
    assert "seeded 2 calibration exercises in 2026-Q3, scored by shopper, panel-alva, panel-bertil" in demo_run.output
    outbox = demo_run.data_dir / "outbox"
    assert (
        f"seeded 8 e-mail contacts of the visitor survey: 8 invitations and 14 reminders in {outbox}" in demo_run.output
    )
    subjects = sorted(
        (str(message["To"].addresses[0].addr_spec), str(message["Subject"]))
        for message in (email.message_from_bytes(path.read_bytes(), policy=default) for path in outbox.glob("*.eml"))
    )
    olle = [subject for to, subject in subjects if to == "olle.sund@example.org"]
    assert olle == ["Hur blev du bemött hos Carl Larssons gård?"]  # he opted out: no reminders
    # SERVICESCORE_BASE_URL unset: the links point at the port the demo serves on, not the setting's default 8000.
    links = {link for path in outbox.glob("*.eml") for link in re.findall(r"https?://[^/\s\"<>]+/", path.read_text())}
    assert links == {"http://127.0.0.1:8123/"}
    james = [subject for to, subject in subjects if to == "james.walker@example.com"]
    assert james == ["How were you treated at Zorngården?"] + ["Reminder: how were you treated at Zorngården?"] * 2
    asyncio.run(_log_in_as_each(f"sqlite:///{demo_run.data_dir / 'servicescore.sqlite3'}"))
    calibration = CliRunner().invoke(
        cli, ["calibration", "--instrument", "mystery-call", "--instrument", "guided-tour", "--format", "json"]
    )
    assert calibration.exit_code == 0, calibration.output
    document = json.loads(calibration.stdout)
    flags = {row["shopper"]: row["flag"] for row in document["leniency"]}
    assert flags == {"shopper": None, "panel-alva": "lenient", "panel-bertil": "harsh", "panel-cecilia": None,
                     "panel-david": None, "panel-elin": None}  # fmt: skip
    offsets = {row["shopper"]: round(row["offset"], 2) for row in document["leniency"]}
    assert (offsets["panel-alva"], offsets["panel-bertil"]) == (0.92, -0.84)
    overall = {(r["instrument"], r["measurement"]): r for r in document["agreement"] if r["scope"] == "overall"}
    assert overall[("guided-tour", "ordinal")]["reading"] == "not reliable"
    assert document["left_out"] == []


async def _log_in_as_each(url: str) -> None:
    await open_database(url)
    roles = {
        row["username"]: (row["role"], row["organisation.slug"])
        for row in await User.select(User.username, User.role, User.organisation.slug).run()
    }
    panel = ("panel-alva", "panel-bertil", "panel-cecilia", "panel-david", "panel-elin")
    assert roles == {
        "konsult": ("consultant", None),
        "shopper": ("shopper", None),
        "kund": ("client", "zorngarden"),
        **dict.fromkeys(panel, ("shopper", None)),
    }
    policy = LoginPolicy.from_settings(get_settings())
    for username in roles:
        logged_in = await log_in(username, "Zorn-1909-Mora", policy, address="127.0.0.1")
        assert logged_in is not None, username
        assert logged_in.account.username == username
    assert await log_in("konsult", "wrong password", policy, address="127.0.0.1") is None
