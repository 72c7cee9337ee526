from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import click
import pytest

from servicescore.cli import COMMANDS, SUMMARIES, cli
from tests.support.postgres import POSTGRES_URL, scratch_database, url_of


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
    huey and redis (the job queue, asked about when `--help` ended the command) took 3 s of a 4 s start.
    scipy.special (0.3–0.6 s) loads when the first interval is computed, not with the scoring modules."""
    modules = ("statsmodels", "pandas", "scipy", "huey", "redis", "weasyprint", "litestar")
    loaded = _run_in_a_fresh_process(["scores", "--help"], modules)
    assert loaded.strip().splitlines()[-1] == "[]", loaded


_ANSWERS = "response_id,instrument,wave,organisation,unit,item,value,na,text,submitted_at,segment\n" + "".join(
    f"{uuid.UUID(int=n + 1, version=4)},visitor-survey,2026-Q1,alfa,main,overall_satisfaction,{n % 5 + 1},,,"
    "2026-03-01T10:00:00Z,\n"
    for n in range(6)
)


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_scores_on_a_migrated_database_starts_no_piccolo_nor_pandas(
    engine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, requires: Callable[..., None]
) -> None:
    """A database with every migration applied is read as it is: Piccolo (with black, which its migration code
    imports) and ADBC's DB-API module (with pandas) took a third of `scores` at 1M responses. Nor does it load what
    only other outputs need: the export writers (`interchange`, loaded through `results`' package), the secret key
    (with asyncpg and asyncio, for peer labels and pseudonyms) and, on SQLite, asyncpg at all."""
    monkeypatch.setenv("SERVICESCORE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SERVICESCORE_SECRET_KEY", raising=False)
    with ExitStack() as stack:
        if engine == "postgresql":
            requires("PostgreSQL (SERVICESCORE_DATABASE_URL=postgresql://…)", available=POSTGRES_URL.startswith("post"))
            url = url_of(stack.enter_context(scratch_database("scores_start")))
            monkeypatch.setenv("SERVICESCORE_DATABASE_URL", url)
            subprocess.run([sys.executable, "-m", "servicescore", "db", "migrate"], check=True, capture_output=True)
        else:
            monkeypatch.delenv("SERVICESCORE_DATABASE_URL", raising=False)
        answers = tmp_path / "answers.csv"
        answers.write_text(_ANSWERS, encoding="utf-8")
        _run_in_a_fresh_process(["responses", "import", str(answers)], ())

        unwanted: tuple[str, ...] = (
            "piccolo",
            "black",
            "pandas",
            "servicescore.interchange",
            "servicescore.db.secret_key",
        )
        if engine == "sqlite":
            unwanted += ("asyncpg",)
        loaded = _run_in_a_fresh_process(["scores", "--instrument", "visitor-survey"], unwanted)

    assert "alfa" in loaded, loaded
    assert loaded.strip().splitlines()[-1] == "[]", loaded


POLARS_DEFAULT = "dirty_decay_ms:500,muzzy_decay_ms:1000"  # what Polars writes into the variable when it loads


@pytest.mark.parametrize(
    ("command", "setting"),
    [
        (["responses", "import"], "dirty_decay_ms:0,muzzy_decay_ms:0"),
        (["scores"], None),
        (["export", "answers"], None),
        (["serve"], None),
    ],
)
@pytest.mark.parametrize("inherited", [False, True], ids=["clean", "inherited"])
def test_polars_gives_freed_memory_back_at_once_in_the_import_only(
    command: list[str], setting: str | None, inherited: bool
) -> None:
    """Checking a 100,000-response import frees about 300 MB just before its rows are stored; Polars' allocator kept
    it resident for a while, the command's peak (1,030 MB; 918-937 MB given back at once). Elsewhere giving pages back
    costs a page fault each time memory is taken again (`scores` 1.2 -> 1.9 s, a first dashboard at 1M responses in
    the server 10 -> 20 s). The setting counts only if it is in the environment when Polars is loaded."""
    probe = (
        "import os, runpy, sys\n"
        "class Watch:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'polars': print('when polars loads:', os.environ.get('_RJEM_MALLOC_CONF'))\n"
        "sys.meta_path.insert(0, Watch())\n"
        f"sys.argv = ['servicescore', *{command!r}, '--help']\n"
        "try:\n"
        "    runpy.run_module('servicescore', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('after the command:', os.environ.get('_RJEM_MALLOC_CONF'))\n"
    )
    environment = {k: v for k, v in os.environ.items() if k != "_RJEM_MALLOC_CONF"}
    if inherited:  # what a parent process that loaded Polars hands on (the benchmark's did)
        environment["_RJEM_MALLOC_CONF"] = POLARS_DEFAULT
        setting = setting and f"{POLARS_DEFAULT},{setting}"
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=environment)
    if setting is None:  # neither when Polars loads nor after, for a server that loads it later
        assert "dirty_decay_ms:0," not in output.stdout, output.stdout
    else:
        assert f"when polars loads: {setting}" in output.stdout.splitlines(), output.stdout
