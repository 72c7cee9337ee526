"""A real ServiceScore server for browser tests: ``servicescore serve`` in a subprocess, on a free port, in a
temporary data dir, with accounts made by ``servicescore users create`` (all of them in one process)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.command_batch import run_batch

PHONE = {"width": 360, "height": 740}
PASSWORD = "kaffe och kanelbulle"
ACCOUNTS = [("konsult", "consultant", "Karin Berg"), ("shopper", "shopper", "Sam Lind")]
START_SECONDS = 60
CHECKOUT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Server:
    base_url: str
    data_dir: Path

    def url(self, path: str) -> str:
        return self.base_url + path

    def environment(self) -> dict[str, str]:
        """The environment of a command run beside this server: its data dir, none of the caller's settings."""
        return _environment(self.data_dir)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(data_dir: Path) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("SERVICESCORE_")}
    environment["SERVICESCORE_DATA_DIR"] = str(data_dir)
    # A test module run as a script (to seed a server's database) imports tests.support from the checkout.
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(CHECKOUT), environment.get("PYTHONPATH")]))
    return environment


def _servicescore(*args: str, environment: dict[str, str], stdin: str = "") -> None:
    subprocess.run(
        [sys.executable, "-m", "servicescore", *args], input=stdin, text=True, env=environment, check=True, timeout=120
    )


def _wait_until_healthy(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"servicescore serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"servicescore serve did not answer /healthz within {START_SECONDS} s:\n{log.read_text()}")


@contextmanager
def running_server(data_dir: Path, *, jobs: bool = True) -> Iterator[Server]:
    """`servicescore serve` on a free port with the test accounts; without `jobs` it runs no background jobs (its
    every-minute mail round would otherwise race a test's own `invitations send`)."""
    environment = _environment(data_dir)
    accounts = [
        ["users", "create", "--username", username, "--role", role, "--name", name, "--password-stdin"]
        for username, role, name in ACCOUNTS
    ]
    for done in run_batch(accounts, environment, stdin=f"{PASSWORD}\n"):  # one process for all: 1.5-3 s each
        assert (done.exit_code, done.raised) == (0, ""), str(done)
    port = _free_port()
    log = data_dir / "serve.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "servicescore", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env={**environment, **({} if jobs else {"SERVICESCORE_QUEUE_IN_PROCESS": "false"})},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(base_url, process, log)
        yield Server(base_url, data_dir)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
