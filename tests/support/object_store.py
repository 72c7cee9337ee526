"""An S3-compatible server for tests: moto's (``moto[server]``), started as a process of the test's own on a free
port, and the AWS variables that point ServiceScore's storage (and delta-rs, and Polars) at it."""

from __future__ import annotations

import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.support.redis_server import free_port

START_SECONDS = 30


@contextmanager
def moto_server(folder: Path) -> Iterator[str]:
    """``python -m moto.server`` on a free port; its endpoint URL while the block runs, then it is stopped."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = folder / "moto.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                if httpx.get(f"{endpoint}/moto-api/", timeout=1).status_code < 500:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "moto's server did not answer"
            time.sleep(0.1)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


def aws_environment(endpoint: str) -> dict[str, str]:
    """The standard AWS variables for a plain-http S3 endpoint (moto takes any key)."""
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "us-east-1",
        "AWS_ALLOW_HTTP": "true",
    }


def new_bucket(endpoint: str, name: str = "") -> str:
    """A new empty bucket (``name``, or a new name); its name. Made with boto3, moto's own dependency: the product
    never uses it."""
    import boto3  # only where moto is installed

    name = name or f"servicescore-{secrets.token_hex(4)}"
    environment = aws_environment(endpoint)
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=environment["AWS_REGION"],
        aws_access_key_id=environment["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=environment["AWS_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=name)
    return name
