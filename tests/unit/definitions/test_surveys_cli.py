from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from servicescore.cli import cli
from servicescore.definitions import ITEM_TYPES
from tests.support.broken_surveys import BrokenCopy


def test_check_passes_the_shipped_folder(surveys_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["surveys", "check", str(surveys_dir)])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert re.fullmatch(
        r"ok: 5 instruments \(channel-audit [0-9a-f]{12}, employee-pulse [0-9a-f]{12}, guided-tour [0-9a-f]{12}, "
        r"mystery-call [0-9a-f]{12}, visitor-survey [0-9a-f]{12}\)\n",
        result.stdout,
    )


def test_check_defaults_to_the_settings_surveys_dir(
    broken_copy: BrokenCopy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken_copy("visitor-survey", [("value: returning", "value: first_visit")])
    monkeypatch.setenv("SERVICESCORE_SURVEYS_DIR", str(tmp_path))
    result = CliRunner().invoke(cli, ["surveys", "check"])
    assert result.exit_code == 1
    assert "visitor-survey.yaml: sections[0].items[0].choices[1].value: duplicate choice value" in result.stderr


def test_check_fails_on_a_broken_copy_naming_file_and_path(
    broken_copy: BrokenCopy, surveys_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken_copy(
        "guided-tour",
        [
            (
                "        scale:\n          labels:",
                "        scale:\n          min: 3\n          max: 1\n          labels:",
            )
        ],
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["surveys", "check", "guided-tour.yaml", str(surveys_dir / "mystery-call.yaml")])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "guided-tour.yaml: sections[0].items[4].scale.max: must be greater than min (got 1, min is 3) (line 68)\n"
    )


def test_check_reports_every_file_and_problem(broken_copy: BrokenCopy, tmp_path: Path) -> None:
    broken_copy("mystery-call", [("max: 20", "max: 0"), ("weight: 2", "weight: 0")])
    (tmp_path / "empty.yml").write_text("")
    result = CliRunner().invoke(cli, ["surveys", "check", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{tmp_path / 'empty.yml'}: (top level): the file is empty; an instrument needs id, kind, title and sections",
        f"{tmp_path / 'mystery-call.yaml'}: sections[1].items[1].weight: must be greater than 0 (got 0) (line 82)",
        f"{tmp_path / 'mystery-call.yaml'}: sections[2].items[0].max: "
        "must be greater than min (got 0, min is 0) (line 121)",
    ]


def test_schema_prints_indented_json_schema() -> None:
    result = CliRunner().invoke(cli, ["surveys", "schema"])
    assert result.exit_code == 0
    assert result.stdout.startswith('{\n  "$defs": {\n')
    schema = json.loads(result.stdout)
    item_models = {name: body for name, body in schema["$defs"].items() if name.endswith("Item")}
    assert sorted(body["properties"]["type"]["const"] for body in item_models.values()) == sorted(ITEM_TYPES)
    assert schema["properties"]["kind"]["enum"] == ["survey", "scorecard"]
