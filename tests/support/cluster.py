"""Many machines on one: moto's S3 server, HAProxy in front of several ``servicescore serve`` processes, and
``servicescore worker`` processes, each ServiceScore process with a data dir of its own (nothing shared on disk).

HAProxy balances round-robin without stickiness, checks each server's ``/healthz``, names the server that answered in
``X-Served-By``, and sends a request carrying ``X-Use-Server: <name>`` to that server (to fetch one thing from each).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.support.live_server import CHECKOUT
from tests.support.object_store import aws_environment, moto_server, new_bucket
from tests.support.redis_server import free_port

HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
BUCKET = "servicescore"
START_SECONDS = 150  # five processes starting at once on a busy 2-core machine took up to ~90 s
SERVED_BY = "x-served-by"
USE_SERVER = "x-use-server"


@dataclass
class Node:
    """One ServiceScore process: ``serve`` (with its port) or ``worker``."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path
    port: int = 0
    killed: bool = field(default=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def tail(self) -> str:
        return f"--- {self.name} ---\n" + self.log.read_text(errors="replace")[-3000:]

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.killed = True

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def storage_environment(endpoint: str, prefix: str) -> dict[str, str]:
    """Storage by URL on the S3 server at ``endpoint``: the standard AWS variables, as every S3 client reads them."""
    return {"SERVICESCORE_STORAGE_URL": f"s3://{BUCKET}/{prefix}", **aws_environment(endpoint)}


@contextmanager
def moto_s3(folder: Path) -> Iterator[str]:
    """moto's S3 server on a free port with the bucket made; its endpoint URL while the block runs."""
    with moto_server(folder) as endpoint:
        new_bucket(endpoint, BUCKET)
        yield endpoint


def haproxy_config(port: int, servers: Mapping[str, int]) -> str:
    """Round-robin, no stickiness, a server is up while its /healthz answers 200. A refused connection is retried
    on another server; a request a server took and then died with is answered 502 (it may have been done)."""
    lines = [
        "global", "    maxconn 1024",
        "defaults", "    mode http", "    timeout connect 2s", "    timeout client 120s", "    timeout server 120s",
        "    retries 3", "    option redispatch 1",
        "frontend web", f"    bind 127.0.0.1:{port}", "    default_backend app",
        "backend app", "    balance roundrobin", "    option forwardfor",
        # HTTP/1.1 with a Host the app answers to (HAProxy's default HTTP/1.0 check without one is refused, 400).
        "    option httpchk", "    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host 127.0.0.1",
        "    http-check expect status 200",
        "    default-server check inter 1s fall 2 rise 1",
        f"    http-response set-header {SERVED_BY} %s",
        *(f"    use-server {name} if {{ req.hdr({USE_SERVER}) {name} }}" for name in servers),
        *(f"    server {name} 127.0.0.1:{server_port}" for name, server_port in servers.items()),
    ]  # fmt: skip
    return "\n".join(lines) + "\n"


@contextmanager
def haproxy(folder: Path, servers: Mapping[str, int]) -> Iterator[str]:
    """HAProxy in front of ``servers`` (name → port); its URL once every server has answered through it."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    config = folder / "haproxy.cfg"
    config.write_text(haproxy_config(port, servers))
    log = folder / "haproxy.log"
    process = subprocess.Popen([HAPROXY, "-f", str(config), "-db"], stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    seen: set[str] = set()

    def all_up() -> bool:
        seen.add(httpx.get(f"{url}/healthz", timeout=5).headers.get(SERVED_BY, ""))
        return set(servers) <= seen

    try:
        _wait_for(all_up, process, log, "haproxy")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


def start_serve(name: str, environment: Mapping[str, str], folder: Path) -> Node:
    port = free_port()
    log = folder / f"{name}.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "servicescore", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=_node_environment(environment, folder / name), stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    return Node(name, process, log, port)


def start_worker(name: str, environment: Mapping[str, str], folder: Path) -> Node:
    log = folder / f"{name}.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "servicescore", "worker", "--workers", "1"],
        env=_node_environment(environment, folder / name), stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    return Node(name, process, log)


def wait_ready(node: Node) -> None:
    """A server until its /healthz answers 200; a worker until it says it takes jobs."""
    if node.port:
        _wait_for(lambda: httpx.get(f"{node.url}/healthz", timeout=5).status_code == 200, node.process, node.log,
                  node.name)  # fmt: skip
    else:
        _wait_for(lambda: "job(s) at once" in node.log.read_text(errors="replace"), node.process, node.log, node.name)


def _node_environment(environment: Mapping[str, str], data_dir: Path) -> dict[str, str]:
    data_dir.mkdir(parents=True, exist_ok=True)
    return {
        **environment,
        "SERVICESCORE_DATA_DIR": str(data_dir),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(CHECKOUT), environment.get("PYTHONPATH")])),
    }


def _wait_for(ready: Callable[[], bool], process: subprocess.Popen[bytes], log: Path, what: str) -> None:
    deadline = time.monotonic() + START_SECONDS
    while True:
        if process.poll() is not None:
            raise AssertionError(f"{what} exited with {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if ready():
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{what} was not ready in {START_SECONDS} s:\n{log.read_text(errors='replace')[-3000:]}"
            )
        time.sleep(0.2)
