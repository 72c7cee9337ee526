"""Report data from the running system: answers from the analytics snapshot, names from the database
(`db/report_names.py`; only `db/` runs SQL).

The one place reporting reads stored data; the context builder only ever sees the resulting `ReportData`.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import replace
from datetime import date

import polars as pl

from servicescore.db.logos import read_logo
from servicescore.db.report_names import calibration_answers, report_names
from servicescore.definitions import Instrument, load_instruments
from servicescore.instrument_folders import instrument_folders
from servicescore.reporting.data import AnswerSource, Organisation, ReportData
from servicescore.results.shoppers import Adjustment
from servicescore.results.viewer import label_key
from servicescore.scoring.agreement import CALIBRATION_ANSWER_SCHEMA
from servicescore.settings import Settings
from servicescore.snapshot import load_answers
from servicescore.storage import storage_for


def _day(value: str | None) -> date | None:
    """The day of a timestamp read as text (``2026-07-01 00:00:00+00``); None for a wave without dates."""
    return date.fromisoformat(value[:10]) if value else None


def from_snapshot(settings: Settings, adjustments: Mapping[str, Adjustment] | None = None) -> ReportData:
    """Every instrument in ``surveys/`` with its counted answers (refreshed snapshot), organisations, units, waves;
    with ``adjustments``, the scorecards' shopper leniency offsets (read by the caller, `on_demand.report_pdf`,
    with the database open)."""
    instruments = {i.id: i for i in load_instruments(*instrument_folders(settings))}
    data = with_names(settings, lambda instrument: load_answers(settings, instrument), instruments)
    return data if adjustments is None else replace(data, adjustments=adjustments)


def with_names(
    settings: Settings, source: AnswerSource, instruments: Mapping[str, Instrument], *, calibration: bool = True
) -> ReportData:
    """Report data over ``source`` with the organisations, units, waves and peer groups the database has now; with
    ``calibration``, the calibration answers the methods page's agreement is computed from (a dashboard has no
    methods page, and skips that read)."""
    names = report_names(settings.database)
    return ReportData(
        source=source,
        instruments=instruments,
        organisations={
            r["key"]: Organisation(
                r["key"], r["name"], r["peer_group"], r["brand"] or None, _logo_url(settings, r["logo"] or "")
            )
            for r in names.organisations.iter_rows(named=True)
        },
        units={(r["organisation"], r["unit"]): r["name"] for r in names.units.iter_rows(named=True)},
        waves={r["key"]: (_day(r["starts_on"]), _day(r["ends_on"])) for r in names.waves.iter_rows(named=True)},
        peer_groups=dict(names.peer_groups.select("slug", "name").iter_rows()),
        peer_groups_en=dict(names.peer_groups.filter(pl.col("name_en") != "").select("slug", "name_en").iter_rows()),
        label_key=label_key(settings),
        calibration=_calibration(settings) if calibration else pl.DataFrame(schema=CALIBRATION_ANSWER_SCHEMA),
    )


def _calibration(settings: Settings) -> pl.DataFrame:
    """Every submitted calibration answer, for the methods page's agreement between shoppers."""
    answers = calibration_answers(settings.database)
    if answers.height == 0:
        return pl.DataFrame(schema=CALIBRATION_ANSWER_SCHEMA)
    return (
        answers.with_columns(pl.col("na").cast(pl.Boolean))
        .select(list(CALIBRATION_ANSWER_SCHEMA))
        .cast(pl.Schema(CALIBRATION_ANSWER_SCHEMA))
    )


def _logo_url(settings: Settings, sha256: str) -> str | None:
    """An uploaded logo as a data: URL (the report's fetcher reads no other folder), or None."""
    logo = read_logo(storage_for(settings), sha256) if sha256 else None
    if logo is None:
        return None
    return f"data:{logo.content_type};base64,{base64.b64encode(logo.data).decode('ascii')}"
