"""The CSRF signing key: from the environment, else made once per data dir, private, and shared by processes."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from servicescore.settings import Settings
from servicescore.web.secret_key import resolve_secret_key

pytestmark = pytest.mark.usefixtures("isolated_environment")


def test_generated_once_private_and_stable(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    first = resolve_secret_key(settings)
    path = tmp_path / "data" / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) >= 43
    # Another process (another Settings with its own random default) reads the same key.
    assert resolve_secret_key(Settings(data_dir=tmp_path / "data")) == first
    assert [entry.name for entry in (tmp_path / "data").iterdir()] == ["secret_key"]


def test_the_environment_wins_and_nothing_is_written(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", secret_key="k" * 40)
    assert resolve_secret_key(settings) == "k" * 40
    assert not (tmp_path / "data").exists()
