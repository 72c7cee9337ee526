"""Every command that takes an organisation, a unit or an instrument accepts its name or its slug in any letter case,
and an unknown one ends the command with one ``Error:`` line (exit 1) listing the valid ones as "Name (slug)"."""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from servicescore.cli import cli

HEADER = "response_id,instrument,wave,organisation,unit,item,value,na,text,submitted_at,segment"
PLACES = {"Zorngården": ("Zorns hem", 5), "Carl Larssons gård": ("Lilla Hyttnäs", 3)}
ORGANISATIONS = "Carl Larssons gård (carl-larssons-gard), Zorngården (zorngarden)"


def servicescore(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=stdin, env=env, catch_exceptions=False)


def refused(*args: str, stdin: str | None = None) -> str:
    """The one ``Error:`` line of a command that must fail with exit 1."""
    result = servicescore(*args, stdin=stdin)
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: "), result.stderr
    return lines[0]


@pytest.fixture
def world(isolated_environment: None, tmp_path: Path) -> None:
    """In the test's own data dir (never the ambient database): two organisations (by name in the answer file:
    their slugs are made from the names), one unit each, six visitor-survey respondents each, and a shopper."""
    rows = [HEADER]
    for place, (organisation, (unit, value)) in enumerate(PLACES.items()):
        for number in range(6):
            rid = uuid.UUID(int=place * 100 + number + 1, version=4)
            for item in ("staff_welcome", "overall_satisfaction"):
                rows.append(
                    f"{rid},visitor-survey,2026-Q1,{organisation},{unit},{item},{value},,,2026-03-01T10:00:00Z,"
                )
    answers = tmp_path / "answers.csv"
    answers.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert servicescore("responses", "import", str(answers)).exit_code == 0
    made = servicescore("users", "create", "--username", "sara", "--role", "shopper", "--password-stdin",
                        stdin="a password long enough\n")  # fmt: skip
    assert made.exit_code == 0, made.output


def _rows(result: Result) -> list[dict[str, object]]:
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


@pytest.mark.usefixtures("world")
def test_an_organisation_by_name_or_slug_in_any_case() -> None:
    benchmark = ("benchmark", "--instrument", "visitor-survey", "--level", "overall", "--format", "json", "--focus")
    by_slug = _rows(servicescore(*benchmark, "zorngarden"))
    assert [row["organisation"] for row in by_slug] == ["zorngarden"]
    assert _rows(servicescore(*benchmark, "Zorngården")) == by_slug
    assert _rows(servicescore(*benchmark, "ZORNGÅRDEN")) == by_slug
    assert refused(*benchmark, "Zorngarden museum") == (
        f'Error: --focus: unknown organisation "Zorngarden museum"; choose one of: {ORGANISATIONS}'
    )
    assert refused("report", "client", "--organisation", "Zorngarden museum") == (
        f'Error: --organisation: unknown organisation "Zorngarden museum"; choose one of: {ORGANISATIONS}'
    )
    assert refused("users", "create", "--username", "kim", "--role", "client", "--organisation", "Zorn",
                   "--password-stdin", stdin="a password long enough\n") == (
        f'Error: --organisation: unknown organisation "Zorn"; choose one of: {ORGANISATIONS}'
    )  # fmt: skip
    client = servicescore("users", "create", "--username", "kim", "--role", "client", "--organisation",
                          "carl larssons GÅRD", "--password-stdin", stdin="a password long enough\n")  # fmt: skip
    assert client.exit_code == 0, client.output


@pytest.mark.usefixtures("world")
def test_an_instrument_by_id_or_title_in_either_language() -> None:
    scores = ("scores", "--level", "overall", "--format", "json", "--instrument")
    by_id = _rows(servicescore(*scores, "visitor-survey"))
    assert {row["index"] for row in by_id} == {100.0, 50.0}
    assert _rows(servicescore(*scores, "how was your visit?")) == by_id
    assert _rows(servicescore(*scores, "Hur var ditt besök?")) == by_id
    listed = "choose one of: How was your visit? (visitor-survey)"
    assert refused(*scores, "visitor") == f'Error: --instrument: unknown instrument "visitor"; {listed}'
    assert refused("calibration", "--instrument", "visitor") == (
        f'Error: --instrument: unknown instrument "visitor"; {listed}'
    )
    assert refused("export", "answers", "--instrument", "visitor", "-o", "x.csv") == (
        f'Error: --instrument: unknown instrument "visitor"; {listed}'
    )
    assert refused("linkage", "--employee", "pulse", "--customer", "visitor-survey") == (
        f'Error: --employee: unknown instrument "pulse"; {listed}'
    )


@pytest.mark.usefixtures("world")
def test_a_unit_by_names_or_slugs() -> None:
    assign = ("assignments", "create", "--shopper", "sara", "--wave", "2026-Q2", "--from", "2026-04-01",
              "--to", "2026-04-02", "--instrument")  # fmt: skip
    made = servicescore(*assign, "Guided tour – observation", "--unit", "ZORNGÅRDEN/zorns hem")
    assert made.exit_code == 0, made.output
    assert made.stdout.endswith("sara at zorngarden/zorns-hem, guided-tour, 2026-Q2\n")
    assert refused(*assign, "guided-tour", "--unit", "Zorngården/Zorns gård") == (
        'Error: --unit: unknown unit of Zorngården "Zorns gård"; choose one of: Zorns hem (zorns-hem)'
    )
    assert refused(*assign, "guided-tour", "--unit", "Zorngården") == (
        'Error: --unit: write the unit as organisation/unit, e.g. zorngarden/gammelgarden (got "Zorngården")'
    )
    assert refused(*assign, "tour", "--unit", "zorngarden/zorns-hem").startswith(
        'Error: --instrument: unknown instrument "tour"; choose one of: '
    )
    survey = (
        "collections",
        "open",
        "--instrument",
        "HUR VAR DITT BESÖK?",
        "--wave",
        "2026-Q2",
        "--closes",
        "2099-12-31",
    )
    by_organisation = servicescore(*survey, "--organisation", "carl larssons gård")
    assert by_organisation.exit_code == 0, by_organisation.output
    assert "carl-larssons-gard/lilla-hyttnas\thttp://127.0.0.1:8000/s/" in by_organisation.stdout
    by_unit = servicescore(*survey, "--unit", "Zorngården/Zorns hem")
    assert by_unit.exit_code == 0, by_unit.output
    assert "zorngarden/zorns-hem\thttp://127.0.0.1:8000/s/" in by_unit.stdout
    assert refused("collections", "open", "--instrument", "visitor-survey", "--wave", "2026-Q2",
                   "--organisation", "Zorn", "--closes", "2099-12-31") == (
        f'Error: --organisation: unknown organisation "Zorn"; choose one of: {ORGANISATIONS}'
    )  # fmt: skip
    emails = Path(os.environ["SERVICESCORE_DATA_DIR"]).parent / "emails.csv"
    emails.write_text("email\nanna@example.se\n", encoding="utf-8")
    invited = servicescore("invitations", "import", str(emails), "--collection", "2", "--unit", "Zorngården/ZORNS HEM")
    assert invited.exit_code == 0, invited.output
    assert refused("invitations", "import", str(emails), "--collection", "2", "--unit", "Zorngården/Mora") == (
        'Error: --unit: unknown unit of Zorngården "Mora"; choose one of: Zorns hem (zorns-hem)'
    )


@pytest.mark.usefixtures("world")
def test_links_start_with_the_base_url_setting() -> None:
    opened = servicescore("collections", "open", "--instrument", "visitor-survey", "--wave", "2026-Q2",
                          "--organisation", "zorngarden", "--closes", "2099-12-31")  # fmt: skip
    assert opened.exit_code == 0, opened.output
    links = servicescore("links", "--format", "csv", env={"SERVICESCORE_BASE_URL": "https://survey.example.se:8443/"})
    assert links.exit_code == 0, links.output
    rows = links.stdout.splitlines()
    assert rows[0] == "collection,organisation,unit,url,instrument,wave"
    assert len(rows) == 2
    assert rows[1].startswith("1,zorngarden,zorns-hem,https://survey.example.se:8443/s/")
