"""``surveys import-xlsform``: a good form writes a file that loads and checks; a broken one writes nothing."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from servicescore.cli import cli
from servicescore.definitions import RatingItem, load_instrument
from tests.support.xlsform_builders import HEADER, LIKERT, SETTINGS, question, workbook_bytes


def _form(path: Path, rows: list[list[str]]) -> Path:
    path.write_bytes(workbook_bytes({"survey": [HEADER, *rows], "choices": LIKERT, "settings": SETTINGS}))
    return path


GOOD = [
    question("begin group", "visit", "Besöket", "The visit"),
    question("select_one agree5", "welcome", "Blev du väl mottagen?", "Were you welcomed?", appearance="likert",
             required="yes"),
    question("text", "why", "Varför?", "Why?", relevant="${welcome} = 'strongly_disagree'"),
    question("end group", ""),
    question("note", "thanks", "Tack!", "Thank you!"),
]  # fmt: skip


def test_import_writes_a_file_that_loads_and_passes_check(tmp_path: Path) -> None:
    form, output = _form(tmp_path / "visit.xlsx", GOOD), tmp_path / "surveys" / "museum-visit.yaml"
    result = CliRunner().invoke(cli, ["surveys", "import-xlsform", str(form), "-o", str(output)])
    assert result.exit_code == 0, result.output
    instrument = load_instrument(output)
    assert instrument.id == "museum-visit-2026"
    assert [item.id for _, item in instrument.items()] == ["welcome", "why"]
    welcome = instrument.item("welcome")
    assert isinstance(welcome, RatingItem)
    assert welcome.required
    assert welcome.scale.labels.max.en == "Strongly agree"
    assert instrument.item("why").show_if is not None
    assert instrument.item("why").show_if.equals == 1  # type: ignore[union-attr]
    assert result.stdout.startswith(
        f"wrote {output}: survey museum-visit-2026 {instrument.version}, 1 sections, 2 items"
    )
    assert "survey row 6: note 'thanks' (\"Thank you!\") is not a question; it is left out" in result.stderr
    text = output.read_text(encoding="utf-8")
    assert text.startswith(f"# Imported from {form} by `servicescore surveys import-xlsform`.")
    assert "#   " + f"{form}: survey row 6: note 'thanks'" in text
    check = CliRunner().invoke(cli, ["surveys", "check", str(output)])
    assert check.exit_code == 0, check.output
    assert check.stdout == f"ok: 1 instruments (museum-visit-2026 {instrument.version})\n"


def test_id_and_kind_options(tmp_path: Path) -> None:
    form, output = _form(tmp_path / "visit.xlsx", GOOD), tmp_path / "tour.yaml"
    result = CliRunner().invoke(
        cli, ["surveys", "import-xlsform", str(form), "-o", str(output), "--id", "tour-check", "--kind", "scorecard"]
    )
    assert result.exit_code == 0, result.output
    instrument = load_instrument(output)
    assert (instrument.id, instrument.kind) == ("tour-check", "scorecard")


def test_broken_form_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    form = _form(tmp_path / "broken.xlsx", [question("text", "a", relevant="${b} = 'x'"), question("text", "b")])
    output = tmp_path / "out.yaml"
    result = CliRunner().invoke(cli, ["surveys", "import-xlsform", str(form), "-o", str(output)])
    assert result.exit_code == 1
    assert not output.exists()
    assert list(tmp_path.iterdir()) == [form]  # no temporary file left either
    assert result.stdout == ""
    assert f"{form}: survey row 2: relevant \"${{b}} = 'x'\" names ${{b}}, which comes later (row 3)" in result.stderr
    assert result.stderr.endswith("nothing written: 1 problems stop the import\n")


def test_missing_sheet_and_not_a_workbook_exit_1(tmp_path: Path) -> None:
    no_survey = tmp_path / "no-survey.xlsx"
    no_survey.write_bytes(workbook_bytes({"choices": LIKERT}))
    text = tmp_path / "form.xlsx"
    text.write_text("type,name,label\n")
    for form in (no_survey, text, tmp_path / "missing.xlsx"):
        output = tmp_path / f"{form.stem}.yaml"
        result = CliRunner().invoke(cli, ["surveys", "import-xlsform", str(form), "-o", str(output)])
        assert result.exit_code == 1, result.output
        assert not output.exists()
        assert result.stderr.startswith(f"{form}: ")


def test_an_existing_file_is_kept_unless_forced(tmp_path: Path) -> None:
    form, output = _form(tmp_path / "visit.xlsx", GOOD), tmp_path / "visit.yaml"
    output.write_text("keep me\n")
    refused = CliRunner().invoke(cli, ["surveys", "import-xlsform", str(form), "-o", str(output)])
    assert refused.exit_code == 1
    assert output.read_text() == "keep me\n"
    assert "exists; choose another name or add --force" in refused.stderr
    forced = CliRunner().invoke(cli, ["surveys", "import-xlsform", str(form), "-o", str(output), "--force"])
    assert forced.exit_code == 0, forced.output
    assert load_instrument(output).id == "museum-visit-2026"
