"""Run several `servicescore` commands in one fresh process, for tests that need a process of their own (its own
hash seed, environment and imports) but not one per command (each costs 1.5–3 s of imports).

    echo '{"commands": [["scores", "--format", "csv"], ...], "input": "", "seconds": 5}' \
        | python -m tests.support.command_batch OUT

writes to the file OUT a JSON list with, per command in the order given: its exit code, its standard output
(base64), its standard error, and the traceback of an exception the command let out (what a process of its own would
print before exiting 1), "" when none. ``input`` is each command's standard input; ``seconds``, when given, is each
command's time limit (a command still running then is stopped with `TimeUp`, reported as raised). `run_batch` starts
the process from a test.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import subprocess
import sys
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from click.testing import CliRunner, Result

from servicescore.cli import cli


class TimeUp(Exception):
    """A command ran past its time limit."""


def _time_up(signum: int, frame: FrameType | None) -> None:
    raise TimeUp


@dataclass(frozen=True)
class Done:
    arguments: list[str]
    exit_code: int
    stdout: bytes
    stderr: str
    raised: str  # the traceback of an exception the command did not handle; "" when none

    def __str__(self) -> str:
        return f"{' '.join(self.arguments)} -> {self.exit_code}\n{self.stderr}{self.raised}"


def _raised(result: Result) -> str:
    if result.exception is None or isinstance(result.exception, SystemExit):
        return ""
    return "".join(traceback.format_exception(result.exception))


def _invoke(runner: CliRunner, arguments: list[str], stdin: str, seconds: float | None) -> Result:
    if seconds is None:
        return runner.invoke(cli, arguments, input=stdin)
    signal.signal(signal.SIGALRM, _time_up)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return runner.invoke(cli, arguments, input=stdin)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def run_all(commands: list[list[str]], stdin: str, seconds: float | None) -> list[dict[str, object]]:
    runner = CliRunner()
    results = [_invoke(runner, arguments, stdin, seconds) for arguments in commands]
    return [
        {
            "exit_code": result.exit_code,
            "stdout": base64.b64encode(result.stdout_bytes).decode("ascii"),
            "stderr": result.stderr,
            "raised": _raised(result),
        }
        for result in results
    ]


def run_batch(
    commands: list[list[str]], environment: dict[str, str], *, stdin: str = "", seconds: float | None = None
) -> list[Done]:
    """Run ``commands`` in one new process with ``environment`` (this checkout first on its path), each given
    ``stdin`` and, when ``seconds`` is given, that long to finish."""
    checkout = str(Path(__file__).resolve().parents[2])
    with tempfile.TemporaryDirectory() as folder:
        results_file = Path(folder) / "results.json"
        done = subprocess.run(
            [sys.executable, "-m", "tests.support.command_batch", str(results_file)],
            input=json.dumps({"commands": commands, "input": stdin, "seconds": seconds}),
            capture_output=True,
            text=True,
            env={**environment, "PYTHONPATH": os.pathsep.join([checkout, environment.get("PYTHONPATH", "")])},
            # A command that does not stop at its time limit (it caught the exception) still ends the batch.
            timeout=None if seconds is None else seconds * (len(commands) + 1),
            check=False,
        )
        assert done.returncode == 0, done.stderr
        results = json.loads(results_file.read_text(encoding="utf-8"))
    return [
        Done(arguments, r["exit_code"], base64.b64decode(r["stdout"]), r["stderr"], r["raised"])
        for arguments, r in zip(commands, results, strict=True)
    ]


if __name__ == "__main__":
    request = json.loads(sys.stdin.read())
    done = run_all(request["commands"], request["input"], request["seconds"])
    Path(sys.argv[1]).write_text(json.dumps(done), encoding="utf-8")
