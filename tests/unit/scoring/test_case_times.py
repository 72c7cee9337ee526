"""Time to first contact and to closing per organisation, against numbers worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from servicescore.scoring.case_times import CASE_SCHEMA, SUMMARY_COLUMNS, case_times

START = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 4, 12, 0, tzinfo=UTC)


def _case(org: str, opened: datetime, contact_h: float | None, close_h: float | None, due_h: float = 48) -> dict:
    return {
        "organisation": org,
        "opened_at": opened,
        "due_at": opened + timedelta(hours=due_h),
        "first_contact_at": None if contact_h is None else opened + timedelta(hours=contact_h),
        "closed_at": None if close_h is None else opened + timedelta(hours=close_h),
    }


def test_medians_and_means_per_organisation() -> None:
    other = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    frame = pl.DataFrame(
        [
            _case("Zorngården", START, 2, 26),
            _case("Zorngården", START, 5, 50),
            _case("Zorngården", START, 11.5, None),  # contacted, still open
            _case("Zorngården", START, None, None),  # due 3 Nov 10:00, not contacted: overdue
            _case("Carl Larssons gård", other, None, 30),  # closed without contact: in closing times only
            _case("Carl Larssons gård", NOW - timedelta(hours=1), None, None),  # due in 47 h: not overdue
        ],
        schema=CASE_SCHEMA,
    )
    result = case_times(frame, NOW)
    assert result.columns == list(SUMMARY_COLUMNS)
    carl, zorn = result.to_dicts()
    # Zorngården: first contact after 2, 5 and 11.5 h → median 5, mean 18.5 / 3; closed after 26 and 50 h.
    assert (zorn["organisation"], zorn["cases"], zorn["open"], zorn["overdue"]) == ("Zorngården", 4, 2, 1)
    assert (zorn["contacted"], zorn["closed"]) == (3, 2)
    assert zorn["first_contact_median_h"] == pytest.approx(5.0)
    assert zorn["first_contact_mean_h"] == pytest.approx(6.1666667)
    assert zorn["close_median_h"] == pytest.approx(38.0)
    assert zorn["close_mean_h"] == pytest.approx(38.0)
    # Carl Larssons gård: nobody contacted yet, so no time to first contact (null, never 0).
    assert (carl["cases"], carl["open"], carl["overdue"], carl["contacted"], carl["closed"]) == (2, 1, 0, 0, 1)
    assert carl["first_contact_median_h"] is None
    assert carl["first_contact_mean_h"] is None
    assert carl["close_median_h"] == pytest.approx(30.0)


def test_an_even_number_of_times_has_the_middle_two_averaged() -> None:
    frame = pl.DataFrame([_case("A", START, h, None) for h in (1, 3, 4, 24)], schema=CASE_SCHEMA)
    [row] = case_times(frame, START).to_dicts()
    assert row["first_contact_median_h"] == pytest.approx(3.5)
    assert row["first_contact_mean_h"] == pytest.approx(8.0)
    assert row["close_median_h"] is None
    assert row["overdue"] == 0  # contacted cases are never overdue


def test_no_cases_no_rows() -> None:
    assert case_times(pl.DataFrame(schema=CASE_SCHEMA), NOW).height == 0
