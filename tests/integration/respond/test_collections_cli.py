"""`servicescore collections open`, `links --format csv` and `invitations import` on the embedded database."""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from servicescore.cli import cli
from servicescore.collections.tokens import token_digest
from servicescore.db.engine import write_transaction
from servicescore.db.lifecycle import database
from servicescore.db.tables import Invitation, Organisation, Unit
from servicescore.settings import get_settings


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("SERVICESCORE_DATABASE_URL", raising=False)
    monkeypatch.delenv("SERVICESCORE_BASE_URL", raising=False)
    monkeypatch.setenv("SERVICESCORE_DATA_DIR", str(tmp_path / "data"))

    async def seed() -> None:
        async with database(get_settings()) as engine, write_transaction(engine):
            org = Organisation(slug="zorngarden", name="Zorngården")
            await org.save()
            await Unit.insert(
                Unit(organisation=org.id, slug="museet", name="Zornmuseet"),
                Unit(organisation=org.id, slug="hemmet", name="Zorns hem"),
            )

    asyncio.run(seed())
    return tmp_path / "data"


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_open_list_and_invite(data_dir: Path, tmp_path: Path) -> None:
    output = invoke(
        "collections", "open", "--instrument", "visitor-survey", "--wave", "2026-Q4",
        "--organisation", "zorngarden", "--closes", "2099-12-31", "--base-url", "https://enkat.example.se",
    )  # fmt: skip
    assert output.startswith("collection 1: visitor-survey in 2026-Q4, 2 link(s)")
    rows = list(csv.DictReader(io.StringIO(invoke("links", "--format", "csv", "--qr-dir", str(tmp_path / "qr")))))
    assert [(r["collection"], r["organisation"], r["unit"]) for r in rows] == [
        ("1", "zorngarden", "hemmet"),
        ("1", "zorngarden", "museet"),
    ]
    assert all(r["url"].startswith("http://127.0.0.1:8000/s/") and len(r["url"].rsplit("/", 1)[1]) >= 22 for r in rows)
    assert sorted(p.name for p in (tmp_path / "qr").iterdir()) == [
        "1-zorngarden-hemmet.png", "1-zorngarden-hemmet.svg", "1-zorngarden-museet.png", "1-zorngarden-museet.svg",
    ]  # fmt: skip

    emails = tmp_path / "emails.csv"
    emails.write_text("email\nanna@example.org\nbo@example.org\nanna@example.org\n", encoding="utf-8")
    made = list(csv.DictReader(io.StringIO(invoke("invitations", "import", str(emails), "--collection", "1",
                                                  "--unit", "zorngarden/museet"))))  # fmt: skip
    assert [r["email"] for r in made] == ["anna@example.org", "bo@example.org"]
    tokens = [r["url"].rsplit("/i/", 1)[1] for r in made]
    assert all(len(token) >= 32 for token in tokens), "at least 192 bits"

    async def stored() -> list[dict[str, object]]:
        async with database(get_settings()):
            return await Invitation.select(Invitation.token_sha256, Invitation.email)

    rows_in_db = asyncio.run(stored())
    assert sorted(r["token_sha256"] for r in rows_in_db) == sorted(token_digest(t) for t in tokens)
    assert not any(t in str(rows_in_db) for t in tokens), "only digests are stored"
    assert [r["email"] for r in rows_in_db] == ["", ""], "addresses are printed once, never stored in the open"

    invoke("collections", "close", "1")
    assert invoke("links", "--format", "csv").strip() == "collection,organisation,unit,url,instrument,wave"


def test_bad_arguments_are_one_line_each(data_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    unknown = runner.invoke(cli, ["collections", "open", "--instrument", "visitor-survey", "--wave", "W",
                                  "--organisation", "nobody", "--closes", "2099-01-01"])  # fmt: skip
    assert unknown.exit_code == 1
    assert '--organisation: unknown organisation "nobody"; choose one of: ' in unknown.output
    for option in ("--opens", "--closes"):  # the message named no option: "Error: Invalid value: '2026-13-01' is …"
        given = {"--opens": "2026-12-01", "--closes": "2099-01-01", option: "2026-13-01"}
        dates = [f"{k}={v}" for k, v in given.items()]
        no_date = runner.invoke(cli, ["collections", "open", "--instrument", "visitor-survey", "--wave", "W",
                                      "--organisation", "zorngarden", *dates])  # fmt: skip
        assert no_date.exit_code == 2
        assert no_date.stderr.strip().splitlines()[-1] == (
            f"Error: Invalid value for {option}: '2026-13-01' is not a date (2026-12-31) or date and time"
        )
    scorecard = runner.invoke(cli, ["collections", "open", "--instrument", "mystery-call", "--wave", "W",
                                    "--organisation", "zorngarden", "--closes", "2099-01-01"])  # fmt: skip
    assert scorecard.exit_code == 1
    assert "scorecard" in scorecard.output
    bad = tmp_path / "bad.csv"
    bad.write_text("email\nnot an address\n", encoding="utf-8")
    invalid = runner.invoke(
        cli, ["invitations", "import", str(bad), "--collection", "1", "--unit", "zorngarden/museet"]
    )
    assert invalid.exit_code == 1
    assert "row 2: column email" in invalid.output
    # A blank line keeps its number (rows were counted without it: "row 3" for the fourth line), and an empty cell
    # is a missing address, not "'' is not an e-mail address".
    bad.write_text("email,name\nanna@example.org,Anna\n\nnot an address,Bo\n,Cilla\n", encoding="utf-8")
    invalid = runner.invoke(
        cli, ["invitations", "import", str(bad), "--collection", "1", "--unit", "zorngarden/museet"]
    )
    assert invalid.exit_code == 1
    assert invalid.stderr.strip().splitlines() == [
        f"Error: {bad}: row 4: column email: 'not an address' is not an e-mail address",
        f"{bad}: row 5: column email: the e-mail address is missing",
    ]


def test_invitations_import_names_a_row_the_csv_reader_refuses(data_dir: Path, tmp_path: Path) -> None:
    invoke("collections", "open", "--instrument", "visitor-survey", "--wave", "2026-Q4",
           "--organisation", "zorngarden", "--closes", "2099-12-31")  # fmt: skip
    emails = tmp_path / "emails.csv"
    emails.write_text("email\nanna@example.org\n" + "x" * 140_000 + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["invitations", "import", str(emails), "--collection", "1",
                                      "--unit", "zorngarden/museet"])  # fmt: skip
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.strip().splitlines() == [
        f"Error: {emails}: row 3: a cell is longer than 131,072 characters, or it is not CSV"
    ]
