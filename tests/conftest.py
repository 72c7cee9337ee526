"""What every test layer shares: the rule for tests that need something outside Python.

Locally a missing PostgreSQL server or Chromium skips those tests; in CI (``CI=true``) it fails them, so a
green CI run means everything was really tested. Use the ``requires`` fixture:

    def test_x(requires):
        requires("PostgreSQL (SERVICESCORE_DATABASE_URL=postgresql://…)", available=url.startswith("postgresql://"))
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def requires(what: str, *, available: bool) -> None:
    """Carry on when ``what`` is available; otherwise skip the test locally and fail it in CI."""
    if available:
        return
    if in_ci():
        pytest.fail(f"{what} is required in CI but is missing")
    pytest.skip(f"{what} is not available here (CI would fail)")


@pytest.fixture(name="requires", scope="session")
def requires_fixture() -> Callable[..., None]:
    return requires
