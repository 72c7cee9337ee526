"""Reports apply the peer rule of `results.peers`: the mystery-call block's pooled "peers" figures come only from
the focus's own peer group, and only when it has at least 5 organisations with answers in the wave."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import polars as pl
import pytest

from servicescore.definitions import load_instruments
from servicescore.definitions.reports.loading import load_brand, load_report
from servicescore.reporting.context import build_context
from servicescore.reporting.data import Organisation, ReportData
from servicescore.reporting.request import ReportRequest
from servicescore.scoring.schema import ANSWER_SCHEMA
from servicescore.settings import CHECKOUT_DIR

WAVE = "2026-Q1"


def _data(groups: dict[str, str | None]) -> ReportData:
    """Eight mystery calls of each organisation; `groups` maps organisation → peer group."""
    rows: list[dict[str, Any]] = []
    for position, organisation in enumerate(groups):
        for call in range(8):
            common = {"response_id": f"{organisation}-{call}", "instrument": "mystery-call", "wave": WAVE,
                      "organisation": organisation, "unit": "main", "segment": None, "na": False, "text": None,
                      "submitted_at": datetime(2026, 2, 1, 9, tzinfo=UTC), "weight": 1.0}  # fmt: skip
            rows.append({**common, "section": "resolution", "item": "problem_solved", "value": float(call % 2)})
            rows.append({**common, "section": "resolution", "item": "transfers", "value": float(position)})
    frame = pl.DataFrame(rows, schema=ANSWER_SCHEMA)
    instruments = {i.id: i for i in load_instruments(CHECKOUT_DIR / "surveys")}
    return ReportData(
        source=lambda instrument: frame.filter(pl.col("instrument") == instrument).lazy(),
        instruments=instruments,
        organisations={o: Organisation(o, o.title(), group) for o, group in groups.items()},
        units={(o, "main"): "Main" for o in groups},
        waves={WAVE: (date(2026, 1, 1), date(2026, 3, 31))},
    )


def _peer_figures(groups: dict[str, str | None]) -> list[object]:
    request = ReportRequest(load_report(CHECKOUT_DIR / "reports", "client"), ("tele",), "en", WAVE)
    brand = load_brand(CHECKOUT_DIR / "reports" / "brands", "servicescore")
    context = build_context(_data(groups), request, brand)
    block = next(b for b in context["blocks"] if b["type"] == "mystery_call")
    return [row["peers"] for row in block["rows"]]


@pytest.mark.parametrize(
    "groups",
    [
        {"tele": None, "a": None, "b": None, "c": None, "d": None, "e": None},  # no peer group at all
        {"tele": "calls", "a": "calls", "b": "calls", "c": None, "d": "other", "e": "other"},  # a group of three
    ],
)
def test_no_peer_figures_without_a_large_enough_peer_group(groups: dict[str, str | None]) -> None:
    assert _peer_figures(groups) == [None, None]


def test_peer_figures_of_a_group_of_five_pool_only_its_members() -> None:
    groups: dict[str, str | None] = {"tele": "calls", "a": "calls", "b": "calls", "c": "calls", "d": "calls",
                                     "far": "other"}  # fmt: skip
    transfers, solved = _peer_figures(groups)
    assert transfers == pytest.approx((1 + 2 + 3 + 4) / 4, rel=1e-12)  # a, b, c, d; never "far" (position 5)
    assert solved == pytest.approx(50.0, rel=1e-12)
