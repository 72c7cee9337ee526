"""Every command that writes a file, given a path it cannot write, and every command that reads the database, given
one it cannot open or reach: one ``Error:`` line on stderr, exit 1 (bad input) or 2 (the database), no traceback,
and at once (a time limit, not a measurement: the unreachable server used to be retried for 35–40 s).

The commands of a test run one after the other in one fresh process (`tests.support.command_batch`), each reported
as a subtest: a process per command cost 1.5–3 s of imports, 83 times.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from tests.support.command_batch import Done, run_batch

SECONDS = 20  # per command: well under the 35–40 s of retries it guards against, over a first command's imports
ANSWERS = (
    "response_id,instrument,wave,organisation,unit,item,value,na,text,submitted_at,segment\n"
    "00000000-0000-4000-8000-000000000001,visitor-survey,2026-Q1,Zorngården,Mora,overall_satisfaction,5,,,"
    "2026-03-01T10:00:00Z,\n"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(commands: list[list[str]], data_dir: Path, database_url: str | None = None) -> list[Done]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("SERVICESCORE_")}
    environment["SERVICESCORE_DATA_DIR"] = str(data_dir)
    if database_url is not None:
        environment["SERVICESCORE_DATABASE_URL"] = database_url
    return run_batch(commands, environment, stdin="a password long enough\n", seconds=SECONDS)


def _one_error_line(done: Done, exit_codes: set[int]) -> str:
    assert done.raised == "", done.raised
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("Error: "), done.stderr
    assert done.exit_code in exit_codes, (done.exit_code, done.stderr)
    return lines[0]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A temporary folder holding ``a-file`` (a file, so ``a-file/x.csv`` cannot be written by anyone, root
    included), ``answers.csv`` and ``emails.csv``."""
    (tmp_path / "a-file").write_text("not a folder\n")
    (tmp_path / "answers.csv").write_text(ANSWERS, encoding="utf-8")
    (tmp_path / "emails.csv").write_text("email\nanna@example.se\n", encoding="utf-8")
    return tmp_path


# (command, whether it makes missing folders for its output); {out} is the path it cannot write
WRITERS: list[tuple[list[str], bool]] = [
    (["export", "answers", "-o", "{out}"], False),
    (["scores", "--instrument", "visitor-survey", "-o", "{out}"], False),
    (["benchmark", "--instrument", "visitor-survey", "--names", "-o", "{out}"], False),
    (["trends", "--instrument", "visitor-survey", "-o", "{out}"], False),
    (["drivers", "--instrument", "visitor-survey", "-o", "{out}"], False),
    (["linkage", "--employee", "employee-pulse", "--customer", "visitor-survey", "-o", "{out}"], False),
    (["report", "client", "--organisation", "zorngarden", "-o", "{out}"], True),
    (["surveys", "import-xlsform", "form.xlsx", "-o", "{out}"], True),
    (["links", "--qr-dir", "{out}"], True),
]


def _applies(where: str, command: list[str], *, makes_folders: bool) -> bool:
    """A command that makes the folders its output needs writes to a missing one; --qr-dir is a folder."""
    if where == "missing folder":
        return not makes_folders
    return not (where == "existing folder" and command[0] == "links")


@pytest.mark.parametrize("where", ["file as folder", "missing folder", "existing folder"])
def test_an_output_that_cannot_be_written_is_one_line(folder: Path, where: str, subtests: pytest.Subtests) -> None:
    out = {
        "file as folder": folder / "a-file" / "x.csv",
        "missing folder": Path("/nonexistent/dir/x.csv"),
        "existing folder": folder,
    }[where]
    commands = [
        [str(out) if arg == "{out}" else arg for arg in command]
        for command, makes_folders in WRITERS
        if _applies(where, command, makes_folders=makes_folders)
    ]
    for done in _run(commands, folder / "data"):
        with subtests.test(" ".join(done.arguments[:2])):
            assert _one_error_line(done, {1}).startswith(f"Error: cannot write {out}"), done.stderr


READERS: list[list[str]] = [
    ["db", "migrate"],
    ["demo", "--no-serve"],
    ["serve", "--port", "{port}"],
    ["users", "create", "--username", "kim", "--role", "consultant", "--password-stdin"],
    ["collections", "open", "--instrument", "visitor-survey", "--wave", "2026-Q4", "--unit", "zorngarden/museet",
     "--closes", "2026-12-31"],
    ["collections", "close", "1"],
    ["links"],
    ["invitations", "import", "{folder}/emails.csv", "--collection", "1", "--unit", "zorngarden/museet"],
    ["assignments", "create", "--shopper", "sam", "--unit", "zorngarden/museet", "--instrument", "guided-tour",
     "--wave", "2026-Q4", "--from", "2026-12-01", "--to", "2026-12-31"],
    ["report", "client", "--organisation", "zorngarden", "-o", "{folder}/report.pdf"],
    ["report", "client", "--all"],
    ["responses", "import", "{folder}/answers.csv"],
    ["export", "answers", "-o", "{folder}/answers-out.csv"],
    ["scores", "--instrument", "visitor-survey"],
    ["benchmark", "--instrument", "visitor-survey", "--names"],
    ["trends", "--instrument", "visitor-survey"],
    ["drivers", "--instrument", "visitor-survey"],
    ["linkage", "--employee", "employee-pulse", "--customer", "visitor-survey"],
]  # fmt: skip


@pytest.mark.parametrize(
    "database",
    ["sqlite:///{folder}/a-file/x.sqlite3", "postgresql://nobody:secret@127.0.0.1:1/none"],
    ids=["sqlite in a file", "postgresql nobody listens"],
)
def test_a_database_that_cannot_be_opened_is_one_line(folder: Path, database: str, subtests: pytest.Subtests) -> None:
    values = {"folder": str(folder), "port": str(_free_port())}
    commands = [[arg.format(**values) for arg in command] for command in READERS]
    for done in _run(commands, folder / "data", database.format(**values)):
        with subtests.test(" ".join(done.arguments[:2])):
            line = _one_error_line(done, {2})
            assert "secret" not in line
            assert line.startswith(("Error: cannot open the SQLite database", "Error: cannot reach the database")), line
