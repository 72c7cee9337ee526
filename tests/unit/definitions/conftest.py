from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.broken_surveys import SURVEYS, BrokenCopy


@pytest.fixture
def surveys_dir() -> Path:
    return SURVEYS


@pytest.fixture
def broken_copy(tmp_path: Path) -> BrokenCopy:
    """Writes a copy of shipped ``source`` with each ``old`` replaced once; fails if ``old`` is not there."""

    def write(source: str, replacements: list[tuple[str, str]]) -> Path:
        text = (SURVEYS / f"{source}.yaml").read_text(encoding="utf-8")
        for old, new in replacements:
            assert old in text, f"{old!r} not in {source}.yaml"
            text = text.replace(old, new, 1)
        target = tmp_path / f"{source}.yaml"
        target.write_text(text, encoding="utf-8")
        return target

    return write
