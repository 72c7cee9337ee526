"""Run several `servicescore` commands in this one process and print their outputs, for tests that compare bytes
across processes without paying a fresh interpreter (about 3 s of imports) per command.

    python -m tests.support.command_batch '[["scores", "--format", "csv"], ...]'

prints a JSON list with, per command in the order given, its exit code, its standard output (base64) and, when it
failed, what it said and raised; a failure is reported, not raised, so the caller can show it.
"""

from __future__ import annotations

import base64
import json
import sys
import traceback

from click.testing import CliRunner, Result

from servicescore.cli import cli


def failure(result: Result) -> str:
    if result.exit_code == 0:
        return ""
    raised = "".join(traceback.format_exception(result.exception)) if result.exception else ""
    return result.output + raised


def run_all(commands: list[list[str]]) -> list[dict[str, object]]:
    runner = CliRunner()
    results = [runner.invoke(cli, arguments) for arguments in commands]
    return [
        {
            "exit_code": result.exit_code,
            "stdout": base64.b64encode(result.stdout_bytes).decode("ascii"),
            "error": failure(result),
        }
        for result in results
    ]


if __name__ == "__main__":
    print(json.dumps(run_all(json.loads(sys.argv[1]))))
