"""The collections the demo opens, so that `servicescore links` has something to hand out right away."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


@dataclass(frozen=True)
class DemoCollection:
    instrument: str
    wave: str
    organisations: tuple[str, ...]
    title: str


DEMO_COLLECTIONS: tuple[DemoCollection, ...] = (
    DemoCollection("visitor-survey", "2026-Q3", ("zorngarden", "carl-larssons-gard"), "Besökarenkät"),
    DemoCollection("employee-pulse", "2026-Q3", ("zorngarden",), "Medarbetarpuls"),
)
DEMO_OPEN_DAYS = 365


def demo_window(wave_start: datetime, now: datetime | None = None) -> tuple[datetime, datetime]:
    """Open from the wave's start until a year after seeding, so a fresh demo's links always work."""
    return wave_start, (now or datetime.now(UTC)) + timedelta(days=DEMO_OPEN_DAYS)
