"""``/console/calibration``: how alike the mystery shoppers score. Krippendorff's α per section of each calibrated
scorecard over waves with its reading, and each shopper's leniency with the lenient and harsh ones flagged; the
exercises, a new one (a transcript, a recording or a visit every chosen shopper scores on their own) and closing
one (then each shopper sees their answers beside the consensus)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import polars as pl
from litestar import Response, get, post
from litestar.datastructures import FormMultiDict, UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from servicescore.db.assignment_overview import scorecards_in_database, shoppers, unit_paths
from servicescore.db.calibration import (
    MIN_SHOPPERS,
    REFERENCES,
    CalibrationRejected,
    ExerciseRequest,
    Reference,
    calibrated_instruments,
    close_exercise,
    create_exercise,
    exercise_summaries,
    store_reference_file,
)
from servicescore.db.organisations import waves
from servicescore.formats import Lang, number
from servicescore.identity import Account
from servicescore.scoring.calibration import CalibrationTables
from servicescore.settings import Settings
from servicescore.storage import storage_for
from servicescore.web.api.calibration import calibration_report
from servicescore.web.console.assignments import definitions_of
from servicescore.web.console.forms import FileSize, Form, moment, read_form, text
from servicescore.web.pages import AnyRequest, page, request_language
from servicescore.web.titles import titles_in

TRANSCRIPT_MAX: Final = 20_000
# A recording is played in the shopper's browser: only the audio and video types browsers play.
RECORDING_TYPES: Final = ("audio/mpeg", "audio/mp4", "audio/ogg", "audio/wav", "audio/webm", "audio/x-wav",
                          "video/mp4", "video/webm")  # fmt: skip
# create_exercise names the field at fault before ": "; the form shows the message's catalogue key at that field.
_FAULTS: Final = {
    "title": ("title", "console.error.required"),
    "shoppers: a calibration": ("shoppers", "console.calibration.error.two_shoppers"),
    "shoppers: not a mystery": ("shoppers", "console.error.unknown_choice"),
    "transcript": ("transcript", "console.error.required"),
    "unit": ("unit", "console.error.required"),
    "window": ("window_end", "console.error.ends_before_start"),
    "instrument": ("instrument", "console.error.unknown_choice"),
    "wave": ("wave", "console.error.unknown_choice"),
}


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


def _decimal(value: float, language: Lang) -> str:
    return number(value, language, 2, trim=True)


def _agreement(table: pl.DataFrame, language: Lang) -> list[InstrumentAgreement]:
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


def _leniency(table: pl.DataFrame, language: Lang) -> list[dict[str, Any]]:
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


async def _page(request: AnyRequest, settings: Settings, form: Form, status: int = 200) -> Template:
    tables, language = await _report(settings), request_language(request)
    shown: dict[str, Any] = {"agreement": [], "leniency": [], "left_out": [], "leniency_reason": None}
    if tables is not None:
        shown = {"agreement": _agreement(tables.agreement, language), "leniency": _leniency(tables.leniency, language),
                 "left_out": tables.left_out.to_dicts(), "leniency_reason": tables.leniency_reason}  # fmt: skip
    return page(request, "console/calibration.html", status_code=status, form=form, **shown,
                titles=await titles_in(settings, language),
                exercises=await exercise_summaries(), shoppers=await shoppers(), units=await unit_paths(),
                scorecards=await scorecards_in_database(), waves=await waves(), references=REFERENCES,
                recording_types=",".join(RECORDING_TYPES), done=request.query_params.get("done", ""))  # fmt: skip


@get("/calibration")
async def calibration_page(request: AnyRequest, settings: NamedDependency[Settings]) -> Template:
    return await _page(request, settings, Form("exercise", values={"reference": "transcript"}))


async def _recording(data: FormMultiDict, form: Form, settings: Settings) -> tuple[str, str]:
    """The uploaded recording stored by its SHA-256, and its type; ("", "") with the field's error."""
    file = data.get("recording")
    if not isinstance(file, UploadFile) or not file.filename:
        form.fail("recording", "console.error.no_file")
        return "", ""
    kind = (file.content_type or "").split(";")[0].strip().lower()
    if kind not in RECORDING_TYPES:
        form.fail("recording", "console.calibration.error.recording_type")
        return "", ""
    content = await file.read(settings.attachment_max_bytes + 1)
    if not content:
        form.fail("recording", "console.error.empty_file")
    elif len(content) > settings.attachment_max_bytes:
        form.fail("recording", "console.error.file_too_large", size=FileSize(settings.attachment_max_bytes))
    if not form.ok:
        return "", ""
    return store_reference_file(storage_for(settings), content), kind


async def _request(data: FormMultiDict, form: Form, settings: Settings) -> ExerciseRequest | None:
    """The exercise the form asks for, or None with every field's error on `form` (nothing stored)."""
    instrument, wave = text(data, form, "instrument", max_length=80), text(data, form, "wave", max_length=40)
    title = text(data, form, "title")
    reference = text(data, form, "reference", max_length=20)
    chosen = tuple(dict.fromkeys(name for name in data.getall("shoppers", []) if isinstance(name, str) and name))
    form.values["shoppers"] = list(chosen)
    if len(chosen) < MIN_SHOPPERS:
        form.fail("shoppers", "console.calibration.error.two_shoppers")
    if reference not in REFERENCES:
        form.fail("reference", "console.error.unknown_choice")
        return None
    details: dict[str, Any] = {}
    if reference == "transcript":
        details["transcript"] = text(data, form, "transcript", max_length=TRANSCRIPT_MAX)
    elif reference == "visit":
        details["unit"] = text(data, form, "unit", max_length=161)
        details["window_start"], details["window_end"] = (
            moment(data, form, "window_start"),
            moment(data, form, "window_end"),
        )
        if details["window_start"] and details["window_end"] and details["window_end"] <= details["window_start"]:
            form.fail("window_end", "console.error.ends_before_start")
    if not form.ok:
        return None
    if reference == "recording":
        details["file_sha256"], details["file_type"] = await _recording(data, form, settings)
        if not form.ok:
            return None
    kind: Reference = reference  # type: ignore[assignment]  # checked against REFERENCES above
    return ExerciseRequest(instrument, wave, title, kind, chosen, **details)


@post("/calibration", request_max_body_size=30_000_000)
async def create_calibration(
    request: AnyRequest, account: NamedDependency[Account], settings: NamedDependency[Settings]
) -> Response[Any]:
    form = Form("exercise")
    wanted = await _request(await read_form(request), form, settings)
    if wanted is None:
        return await _page(request, settings, form, 400)
    try:
        await create_exercise(request.app.state.engine, wanted, definitions_of(settings), actor_id=account.id)
    except CalibrationRejected as rejected:
        message = str(rejected)
        field, key = next((found for start, found in _FAULTS.items() if message.startswith(start)),
                          ("instrument", "console.error.unknown_choice"))  # fmt: skip
        form.fail(field, key)
        return await _page(request, settings, form, 400)
    return Redirect("/console/calibration?done=created", status_code=303)


@post("/calibration/{exercise_id:int}/close")
async def close_calibration(
    request: AnyRequest, exercise_id: FromPath[int], account: NamedDependency[Account]
) -> Redirect:
    try:
        await close_exercise(request.app.state.engine, exercise_id, actor_id=account.id)
    except CalibrationRejected:
        return Redirect("/console/calibration?done=not_open", status_code=303)
    return Redirect("/console/calibration?done=closed", status_code=303)


HANDLERS = [calibration_page, create_calibration, close_calibration]
