"""Report data reads waves from the database even when none has dates (`collections open --wave` makes such)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl

from servicescore.db.lifecycle import database
from servicescore.db.tables import Wave
from servicescore.reporting.stored import with_names
from servicescore.settings import Settings


async def _waves(settings: Settings, dated: bool) -> None:
    async with database(settings):
        await Wave(key="2026-Q3").save()
        if dated:
            await Wave(key="2026-Q4", starts_on=datetime(2026, 10, 1, tzinfo=UTC),
                       ends_on=datetime(2026, 12, 31, tzinfo=UTC)).save()  # fmt: skip


def _settings(folder: Path) -> Settings:
    return Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'servicescore.sqlite3'}")


def test_waves_without_dates_are_kept_with_unknown_days(tmp_path: Path) -> None:
    undated = _settings(tmp_path / "undated")
    asyncio.run(_waves(undated, dated=False))
    data = with_names(undated, lambda _: pl.LazyFrame(), {})
    assert data.waves == {"2026-Q3": (None, None)}

    mixed = _settings(tmp_path / "mixed")
    asyncio.run(_waves(mixed, dated=True))
    data = with_names(mixed, lambda _: pl.LazyFrame(), {})
    assert data.waves == {"2026-Q3": (None, None), "2026-Q4": (date(2026, 10, 1), date(2026, 12, 31))}
