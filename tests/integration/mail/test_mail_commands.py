"""`servicescore invitations contacts` and `invitations send` on the embedded database: a refused file lists every
bad row, a good one is scheduled, and rounds at later times write the invitations and reminders to the outbox."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from click.testing import CliRunner

from servicescore.cli import cli
from servicescore.db.engine import write_transaction
from servicescore.db.lifecycle import database
from servicescore.db.tables import Organisation, Unit
from servicescore.settings import get_settings
from tests.support.mail_world import outbox


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("SERVICESCORE_DATABASE_URL", raising=False)
    monkeypatch.delenv("SERVICESCORE_SMTP_URL", raising=False)
    monkeypatch.setenv("SERVICESCORE_DATA_DIR", str(tmp_path / "data"))

    async def seed() -> None:
        async with database(get_settings()) as engine, write_transaction(engine):
            org = Organisation(slug="zorngarden", name="Zorngården")
            await org.save()
            await Unit.insert(Unit(organisation=org.id, slug="museet", name="Zornmuseet"))

    asyncio.run(seed())
    return tmp_path / "data"


def invoke(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False, input="Zorn-1909-Mora-kaffe\n")
    assert result.exit_code == code, result.output
    return result.output


def test_contacts_then_rounds_fill_the_outbox(data_dir: Path, tmp_path: Path) -> None:
    # The collection opens in the future whatever the day: it opened on 7 December 2026 at 08:00, and from then on the
    # contacts, added at the real now, were invited at once instead of at the opening.
    invoke("collections", "open", "--instrument", "visitor-survey", "--wave", "2026-Q4", "--organisation",
           "zorngarden", "--opens", "2099-12-07T08:00", "--closes", "2099-12-31")  # fmt: skip
    bad = tmp_path / "bad.csv"
    bad.write_text("email,language\nanna@example.se,sv\nbo@,sv\ncilla@example.se,no\n,sv\n", encoding="utf-8")
    refused = invoke("invitations", "contacts", str(bad), "--collection", "1", code=1)
    assert refused.splitlines() == [
        f"Error: {bad}: row 3: “bo@” is not an e-mail address.",
        f"{bad}: row 4: There is no language “no”: write sv or en.",
        f"{bad}: row 5: The e-mail address is missing.",  # was: “” is not an e-mail address.
    ]
    good = tmp_path / "good.csv"
    good.write_text("email,name,language\nanna@example.se,Anna,sv\nbob@example.org,Bob,en\n", encoding="utf-8")
    assert invoke("invitations", "contacts", str(good), "--collection", "1", "--reminders", "3") == (
        "2 contact(s) added to collection 1; reminders after 3 day(s)\n"
    )
    assert invoke("invitations", "send", "--at", "2099-12-07T07:59") == (
        "0 sent, 0 to try again, 0 failed, 0 skipped, 0 planned, 0 alert(s), 0 bounced, 0 address(es) deleted\n"
    )  # the invitation waits for the collection to open
    assert invoke("invitations", "send", "--at", "2099-12-07T08:00").startswith("2 sent")
    assert invoke("invitations", "send", "--at", "2099-12-10T08:00").startswith("2 sent")
    assert invoke("invitations", "send", "--at", "2099-12-10T08:01").startswith("0 sent")
    subjects = [(str(m["To"]), str(m["Subject"])) for m in outbox(data_dir / "outbox")]
    assert subjects == [
        ("Anna <anna@example.se>", "Hur blev du bemött hos Zorngården?"),
        ("Anna <anna@example.se>", "Påminnelse: hur blev du bemött hos Zorngården?"),
        ("Bob <bob@example.org>", "How were you treated at Zorngården?"),
        ("Bob <bob@example.org>", "Reminder: how were you treated at Zorngården?"),
    ]
    bad_days = invoke("invitations", "contacts", str(good), "--collection", "1", "--reminders", "x", code=2)
    assert "Invalid value for --reminders: write whole days separated by commas" in bad_days
    assert "no collection 9" in invoke("invitations", "contacts", str(good), "--collection", "9", code=1)


def test_an_accounts_alert_address(data_dir: Path) -> None:
    invoke("users", "create", "--username", "shopper", "--role", "shopper", "--password-stdin")
    assert (
        invoke("users", "email", "Shopper", "sam.lind@example.org")
        == 'alerts of "Shopper" go to sam.lind@example.org\n'
    )
    assert invoke("users", "email", "shopper") == '"shopper" gets no alerts\n'
    assert 'no account "nobody"' in invoke("users", "email", "nobody", "a@example.org", code=1)
    assert "'sam' is not an e-mail address" in invoke("users", "email", "shopper", "sam", code=2)
