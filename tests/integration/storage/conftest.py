"""Storage by URL against a real S3 endpoint: moto's server, started once per session (skipped locally without
``moto[server]``, failed in CI), a new bucket per test, and a copy of the demo world's database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.demo_world import DATABASE, copy_demo_world
from tests.support.object_store import aws_environment, moto_server, new_bucket


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory, requires: Callable[..., None]) -> Iterator[str]:
    requires("moto_server")
    with moto_server(tmp_path_factory.mktemp("moto")) as endpoint:
        yield endpoint


@pytest.fixture
def storage_url(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """``s3://<a new bucket>/servicescore``, with the AWS variables of the endpoint set for this test."""
    for name, value in aws_environment(s3_endpoint).items():
        monkeypatch.setenv(name, value)
    return f"s3://{new_bucket(s3_endpoint)}/servicescore"


@pytest.fixture
def database_url(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A copy of the demo database (no snapshot: a test builds it where its storage is), apart from every app's
    data dir."""
    return f"sqlite:///{copy_demo_world(tmp_path_factory, tmp_path / 'db') / DATABASE}"
