"""The response rate per unit over time against a hand computation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from servicescore.collections.response_rate import SCHEMA, response_rates

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=3, hours=2)  # the first invitations are 3 days and 2 hours old


def test_cumulative_rate_per_day_since_each_contacts_own_invitation() -> None:
    h = timedelta(hours=1)
    contacts = pl.DataFrame(
        [
            # Zornmuseet: four invited at T0, one invited a day later, one never sent
            ("Zorngården", "Zornmuseet", T0, T0 + 5 * h),  # completed on day 0
            ("Zorngården", "Zornmuseet", T0, T0 + 30 * h),  # day 1
            ("Zorngården", "Zornmuseet", T0, T0 + 73 * h),  # day 3
            ("Zorngården", "Zornmuseet", T0, None),
            ("Zorngården", "Zornmuseet", T0 + 24 * h, T0 + 26 * h),  # its own day 0; 2 days old now
            ("Zorngården", "Zornmuseet", None, None),
            # Gammelgården: two invited two days ago, one completed on day 1
            ("Zorngården", "Gammelgården", T0 + 26 * h, T0 + 60 * h),
            ("Zorngården", "Gammelgården", T0 + 26 * h, None),
        ],
        schema=SCHEMA,
        orient="row",
    )
    rates = response_rates(contacts, NOW)
    # By hand. Zornmuseet, ages 3,3,3,3,2 days; completion days 0,1,3,-,0:
    #   day 0: invited 5, completed 2 (the first and the late one) → 40 %
    #   day 1: 5 invited, 3 completed → 60 %; day 2: 5, 3 → 60 %; day 3: only the four of T0, 3 completed → 75 %
    # Gammelgården, ages 2,2 (50 h); completion day 1 (34 h):
    #   day 0: 2, 0 → 0 %; day 1: 2, 1 → 50 %; day 2: 2, 1 → 50 %
    assert rates.rows() == [
        ("Zorngården", "Gammelgården", 0, 2, 0, 0.0),
        ("Zorngården", "Gammelgården", 1, 2, 1, 50.0),
        ("Zorngården", "Gammelgården", 2, 2, 1, 50.0),
        ("Zorngården", "Zornmuseet", 0, 5, 2, 40.0),
        ("Zorngården", "Zornmuseet", 1, 5, 3, 60.0),
        ("Zorngården", "Zornmuseet", 2, 5, 3, 60.0),
        ("Zorngården", "Zornmuseet", 3, 4, 3, 75.0),
    ]
    assert rates.columns == ["organisation", "unit", "day", "invited", "completed", "rate"]


def test_days_stop_at_the_limit_and_nobody_invited_gives_no_rows() -> None:
    old = pl.DataFrame([("A", "u", T0 - timedelta(days=40), None)], schema=SCHEMA, orient="row")
    assert response_rates(old, NOW, max_days=5)["day"].to_list() == [0, 1, 2, 3, 4, 5]
    none = pl.DataFrame([("A", "u", None, None)], schema=SCHEMA, orient="row")
    assert response_rates(none, NOW).is_empty()


@pytest.mark.parametrize("hours", [0, 23])
def test_a_completion_within_24_hours_counts_on_day_0(hours: int) -> None:
    contacts = pl.DataFrame([("A", "u", T0, T0 + timedelta(hours=hours))], schema=SCHEMA, orient="row")
    assert response_rates(contacts, NOW)["completed"].to_list() == [1, 1, 1, 1]
