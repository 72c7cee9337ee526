"""Shipped survey files copied with a mistake planted in them (the ``broken_copy`` fixture, tests/unit/definitions)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

SURVEYS = Path(__file__).resolve().parents[2] / "surveys"

BrokenCopy = Callable[[str, list[tuple[str, str]]], Path]
