"""`servicescore serve` stopped by SIGTERM (a service manager, a rolling deploy) stops taking connections but finishes
the request under way: a respondent whose page is in flight gets its 303 and the page is saved, then the process
shuts the application down and ends.

The request is provably in flight: it asks ``Expect: 100-continue`` and its body is sent only after the server said
``100 Continue``, which uvicorn says when the application first reads the body."""

from __future__ import annotations

import json
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx

from tests.support.live_server import _environment, _free_port, _wait_until_healthy

DEADLINE_SECONDS = 60
FIELD = re.compile(r'name="(_csrf_token|_response|_page|_version)" value="([^"]*)"')


def _wait_for_log(log: Path, text: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while text not in log.read_text(errors="replace"):
        assert process.poll() is None, log.read_text(errors="replace")
        assert time.monotonic() < deadline, log.read_text(errors="replace")
        time.sleep(0.05)


def test_sigterm_finishes_the_request_in_flight_then_exits(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    environment = _environment(data_dir)
    seeded = subprocess.run([sys.executable, "-m", "tests.support.cluster_world"], env=environment, check=True,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    path = f"/s/{json.loads(seeded.stdout.splitlines()[-1])['token']}"
    port, log = _free_port(), tmp_path / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "servicescore", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=environment, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        _wait_until_healthy(f"http://127.0.0.1:{port}", server, log)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as browser:
            form = browser.get(path)
            fields = dict(FIELD.findall(form.text))
            cookies = "; ".join(f"{name}={value}" for name, value in browser.cookies.items())
        body = urlencode({**fields, "_nav": "next", "visit_type": "first_visit", "visited_with": "alone"}).encode()
        head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                f"Content-Length: {len(body)}\r\nExpect: 100-continue\r\nCookie: {cookies}\r\n\r\n")  # fmt: skip
        with socket.create_connection(("127.0.0.1", port), timeout=DEADLINE_SECONDS) as respondent:
            respondent.sendall(head.encode())
            assert respondent.recv(64).startswith(b"HTTP/1.1 100 Continue")  # the app is reading this request

            server.send_signal(signal.SIGTERM)
            _wait_for_log(log, "Waiting for connections to close", server)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=5).close()
                refused = False
            except ConnectionRefusedError:
                refused = True
            assert refused, "a stopping server takes no new connection"
            assert server.poll() is None

            respondent.sendall(body)
            answer = b""
            while chunk := respondent.recv(65536):
                answer += chunk
        status_line, _, rest = answer.partition(b"\r\n")
        assert status_line == b"HTTP/1.1 303 See Other", answer[:500]
        assert f"\r\nlocation: {path}?page=1&".encode() in b"\r\n" + rest  # on to the next page
        # uvicorn ends by the signal it caught once everything is shut down, as a service manager expects.
        assert server.wait(timeout=DEADLINE_SECONDS) in {0, -signal.SIGTERM}, log.read_text(errors="replace")
        assert "Application shutdown complete" in log.read_text(errors="replace")
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    with sqlite3.connect(data_dir / "servicescore.sqlite3") as database:
        saved = database.execute("SELECT item, text FROM answer WHERE item = 'visit_type'").fetchall()
    assert saved == [("visit_type", "first_visit")]
