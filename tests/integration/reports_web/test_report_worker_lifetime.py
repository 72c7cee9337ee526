"""The print worker never outlives the server: a real ``servicescore serve`` prints a report (so its worker exists),
is killed with SIGKILL or stopped with SIGTERM, and every process it started is gone a few seconds later."""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup

from tests.support.live_server import PASSWORD, Server, running_server

REPORT = "/console/reports/pdf?report=client&organisation=zorngarden&wave=2026-Q3&language=sv"
PRINT_SECONDS = 240  # the first print spawns the worker; the machine may be busy
GONE_SECONDS = 10


def _children() -> dict[int, int]:
    """Parent pid by pid of every live process (zombies are dead: only their parent's wait is missing)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended while listed
        if fields[0] != "Z":
            parents[int(stat.parent.name)] = int(fields[1])
    return parents


def _descendants(pid: int) -> set[int]:
    parents = _children()
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _print_a_report(server: Server) -> None:
    with httpx.Client(base_url=server.base_url, timeout=PRINT_SECONDS) as client:
        form = BeautifulSoup(client.get("/login").text, "html.parser")
        token = form.find("input", attrs={"name": "_csrf_token"})["value"]  # type: ignore[index]
        client.post("/login", data={"username": "konsult", "password": PASSWORD, "_csrf_token": token})
        pdf = client.get(REPORT)
    assert pdf.status_code == 200, pdf.text
    assert pdf.content.startswith(b"%PDF-")


def _server_pid() -> int:
    """The ``servicescore serve`` process this test started."""
    (pid,) = (
        pid
        for pid, parent in _children().items()
        if parent == os.getpid() and b"serve" in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    )
    return pid


@pytest.mark.parametrize("ending", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_no_worker_outlives_the_server(seeded_demo: Path, tmp_path: Path, ending: signal.Signals) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(seeded_demo, data_dir)
    with running_server(data_dir) as server:
        _print_a_report(server)
        server_pid = _server_pid()
        started = _descendants(server_pid)
        assert started, "the print left no worker process to watch"
        os.kill(server_pid, ending)
        deadline = time.monotonic() + GONE_SECONDS
        while (alive := started & set(_children())) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not alive, f"still running {GONE_SECONDS} s after {ending.name} of the server: {sorted(alive)}"
