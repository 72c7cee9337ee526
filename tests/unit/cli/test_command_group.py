from __future__ import annotations

import subprocess
import sys

import click
import pytest

from servicescore.cli import COMMANDS, SUMMARIES, cli


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_loads_under_its_own_name(name: str) -> None:
    command = cli.get_command(click.Context(cli), name)
    assert isinstance(command, click.Command)
    assert command.name == name


def test_a_definitions_command_does_not_load_the_web_stack() -> None:
    probe = (
        "import sys; from click.testing import CliRunner; from servicescore.cli import cli; "
        "CliRunner().invoke(cli, ['surveys', 'schema']); "
        "print(sorted(m for m in ('litestar', 'weasyprint', 'polars', 'piccolo') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def _run_in_a_fresh_process(args: list[str], modules: tuple[str, ...]) -> str:
    """The command's output in a fresh interpreter, then which of `modules` it loaded (a sorted list, last line)."""
    probe = (
        "import sys; from click.testing import CliRunner; from servicescore.cli import cli; "
        f"result = CliRunner().invoke(cli, {args!r}); assert result.exit_code == 0, result.output; "
        f"print(result.output); print(sorted(m for m in {modules!r} if m in sys.modules))"
    )
    return subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout


def test_help_lists_every_command_without_loading_any() -> None:
    assert set(SUMMARIES) == set(COMMANDS)
    modules = ("litestar", "weasyprint", "polars", "piccolo", "scipy", "uvicorn", "servicescore.cli.analytics")
    output = _run_in_a_fresh_process(["--help"], modules)
    assert output.strip().endswith("[]"), output
    for name in COMMANDS:
        assert f"  {name} " in output


def test_scores_loads_no_model_fitting_or_queue_library() -> None:
    """`scores` pays only for what scoring uses: statsmodels (the leniency model, with pandas and scipy.stats) and
    huey and redis (the job queue, asked about when `--help` ended the command) took 3 s of a 4 s start."""
    modules = ("statsmodels", "pandas", "scipy.stats", "huey", "redis", "weasyprint", "litestar")
    loaded = _run_in_a_fresh_process(["scores", "--help"], modules)
    assert loaded.strip().splitlines()[-1] == "[]", loaded
