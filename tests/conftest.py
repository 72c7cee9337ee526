"""What every test layer shares: the rule for tests that need something outside Python.

Locally a missing PostgreSQL server or Chromium skips those tests; in CI (``CI=true``) it fails them, so a
green CI run means everything was really tested. Use the ``requires`` fixture:

    def test_x(requires):
        requires("PostgreSQL (SERVICESCORE_DATABASE_URL=postgresql://…)", available=url.startswith("postgresql://"))
        requires("redis")  # a known kind: Debian's redis-server on the PATH (job tests start their own server)
        requires("moto_server")  # moto's S3 server (tests/support/object_store.py starts one)
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


KNOWN: dict[str, tuple[str, Callable[[], bool]]] = {
    "redis": ("redis-server (Debian package redis-server)", lambda: shutil.which("redis-server") is not None),
    "haproxy": (
        "haproxy (Debian package haproxy)",
        lambda: shutil.which("haproxy") is not None or Path("/usr/sbin/haproxy").is_file(),
    ),
    "moto_server": (
        "moto's S3 server (pip install 'moto[server]')",
        lambda: all(importlib.util.find_spec(name) is not None for name in ("moto", "flask", "flask_cors")),
    ),
}


def requires(what: str, *, available: bool | None = None) -> None:
    """Carry on when ``what`` is available; otherwise skip the test locally and fail it in CI. A known kind
    (`KNOWN`) finds out by itself whether it is there."""
    if available is None:
        what, found = KNOWN[what]
        available = found()
    if available:
        return
    if in_ci():
        pytest.fail(f"{what} is required in CI but is missing")
    pytest.skip(f"{what} is not available here (CI would fail)")


@pytest.fixture(name="requires", scope="session")
def requires_fixture() -> Callable[..., None]:
    return requires
