"""``servicescore serve`` checks the database before starting, so a wrong URL is one line and exit 2."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from servicescore.cli import cli

pytestmark = pytest.mark.usefixtures("isolated_environment")


def test_unreachable_database_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SERVICESCORE_DATABASE_URL", "postgresql://nobody:secret@127.0.0.1:1/none")
    result = CliRunner().invoke(cli, ["serve", "--port", "8123"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: cannot reach the database at postgresql://nobody:***@127.0.0.1:1/none")
    assert "secret" not in result.output


def test_port_must_be_a_port() -> None:
    result = CliRunner().invoke(cli, ["serve", "--port", "70000"])
    assert result.exit_code == 2
    assert "70000 is not in the range 1<=x<=65535" in result.stderr
