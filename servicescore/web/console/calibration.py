"""``/console/calibration``: how alike the mystery shoppers score. Krippendorff's α per section of each calibrated
scorecard over waves with its reading, and each shopper's leniency with the lenient and harsh ones flagged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl
from litestar import get
from litestar.di import NamedDependency
from litestar.response import Template

from servicescore.db.calibration import calibrated_instruments
from servicescore.scoring.calibration import CalibrationTables
from servicescore.settings import Settings
from servicescore.web.api.calibration import calibration_report
from servicescore.web.formats import number
from servicescore.web.pages import AnyRequest, page, request_language


@dataclass(frozen=True, slots=True)
class AlphaCell:
    alpha: str  # formatted, "" when there is none
    reading: str  # reliable | tentative | not reliable | "" (no α)
    units: int


@dataclass(frozen=True, slots=True)
class SectionRow:
    section: str | None  # None: the whole scorecard
    measurement: str
    cells: list[AlphaCell | None]  # one per wave; None when the wave has no such row


@dataclass(frozen=True, slots=True)
class InstrumentAgreement:
    instrument: str
    waves: list[str]
    rows: list[SectionRow]


def _decimal(value: float, language: str) -> str:
    return number(round(value, 2), language)


def _agreement(table: pl.DataFrame, language: str) -> list[InstrumentAgreement]:
    pooled = table.filter(pl.col("scope").is_in(["section", "overall"]))
    shown = []
    for (instrument,), rows in pooled.group_by("instrument", maintain_order=True):
        waves = sorted(rows.get_column("wave").unique().to_list())
        lines = []
        for (section, measurement), line in rows.group_by("section", "measurement", maintain_order=True):
            by_wave = {row["wave"]: row for row in line.iter_rows(named=True)}
            cells = [
                None
                if (row := by_wave.get(wave)) is None
                else AlphaCell(
                    "" if row["alpha"] is None else _decimal(row["alpha"], language), row["reading"] or "", row["units"]
                )
                for wave in waves
            ]
            lines.append(SectionRow(section, measurement, cells))
        shown.append(InstrumentAgreement(str(instrument), waves, lines))
    return shown


def _leniency(table: pl.DataFrame, language: str) -> list[dict[str, Any]]:
    return [
        {
            "shopper": row["shopper"],
            "answers": row["answers"],
            "offset": _decimal(row["offset"], language),
            "low": _decimal(row["ci_low"], language),
            "high": _decimal(row["ci_high"], language),
            "flag": row["flag"] or "",
        }
        for row in table.iter_rows(named=True)
    ]


async def _report(settings: Settings) -> CalibrationTables | None:
    instruments = await calibrated_instruments()
    return await calibration_report(settings, instruments, None) if instruments else None


@get("/calibration")
async def calibration_page(request: AnyRequest, settings: NamedDependency[Settings]) -> Template:
    tables, language = await _report(settings), request_language(request)
    if tables is None:
        return page(request, "console/calibration.html", agreement=[], leniency=[], left_out=[], leniency_reason=None)
    return page(request, "console/calibration.html", agreement=_agreement(tables.agreement, language),
                leniency=_leniency(tables.leniency, language), left_out=tables.left_out.to_dicts(),
                leniency_reason=tables.leniency_reason)  # fmt: skip


HANDLERS = [calibration_page]
