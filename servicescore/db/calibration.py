"""Calibration exercises: a shared reference several shoppers score independently, their shoppers and answers.

Calibration answers are kept apart from responses: they never count in results, and an exercise is not a visit
to a client's unit (even a calibration visit is there to measure the shoppers, not the unit).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final, Literal

import polars as pl
from piccolo.custom_types import Combinable
from piccolo.engine.base import Engine

from servicescore.db.assignments import AssignmentRejected, _scorecard_version, _unit_id, _wave_id
from servicescore.db.attachments import attachment_key
from servicescore.db.audit import record_event
from servicescore.db.engine import write_transaction
from servicescore.db.keys import row_id, via
from servicescore.db.tables import CalibrationAnswer, CalibrationExercise, CalibrationShopper, Response, User
from servicescore.definitions import Instrument as Definition
from servicescore.identity import Role
from servicescore.scoring.agreement import CALIBRATION_ANSWER_SCHEMA, ROSTER_SCHEMA
from servicescore.storage import Storage
from servicescore.visits.answers import AnswerRow

Reference = Literal["recording", "transcript", "visit"]
REFERENCES: Final[tuple[str, ...]] = ("recording", "transcript", "visit")
MIN_SHOPPERS: Final[int] = 2

exercise_key = CalibrationExercise._meta.primary_key
entry_key = CalibrationShopper._meta.primary_key
user_key = User._meta.primary_key


class CalibrationRejected(ValueError):
    """The exercise or the answers cannot be stored as given; the message is one line naming what is wrong."""


@dataclass(frozen=True, slots=True)
class ExerciseRequest:
    instrument: str
    wave: str
    title: str
    reference: Reference
    shoppers: tuple[str, ...]  # usernames
    file_sha256: str = ""  # recording: a file already stored under attachments/
    file_type: str = ""
    transcript: str = ""  # transcript: the written scenario
    unit: str = ""  # visit: "organisation/unit"
    window_start: datetime | None = None  # visit: the window every shopper visits in
    window_end: datetime | None = None


def _reference_fault(request: ExerciseRequest) -> str | None:
    if request.reference not in REFERENCES:
        return f'reference: "{request.reference}" is not one of {", ".join(REFERENCES)}'
    if request.reference == "recording" and not (request.file_sha256 and request.file_type):
        return "reference: a recording needs its stored file (sha256 and type)"
    if request.reference == "transcript" and not request.transcript.strip():
        return "transcript: a written reference cannot be empty"
    if request.reference == "visit":
        if not request.unit or request.window_start is None or request.window_end is None:
            return "unit: a calibration visit needs the unit and the window every shopper visits in"
        if request.window_end <= request.window_start:
            return "window: the end must be after the start"
    return None


def _request_fault(request: ExerciseRequest) -> str | None:
    if not request.title.strip():
        return "title: give the exercise a title"
    if len({name.lower() for name in request.shoppers}) < MIN_SHOPPERS:
        return f"shoppers: a calibration needs at least {MIN_SHOPPERS} different shoppers"
    return _reference_fault(request)


async def _shopper_ids(usernames: Sequence[str]) -> list[int]:
    wanted = sorted({name.lower() for name in usernames})
    rows = await User.select(user_key, User.username, User.role).where(User.username.is_in(wanted))
    found = {row["username"]: row for row in rows if row["role"] == Role.shopper.value}
    if missing := [name for name in wanted if name not in found]:
        raise CalibrationRejected(f"shoppers: not a mystery shopper account: {', '.join(missing)}")
    return [int(found[name]["id"]) for name in wanted]


async def create_exercise(
    engine: Engine,  # type: ignore[type-arg]
    request: ExerciseRequest,
    definitions: dict[str, Definition],
    *,
    actor_id: int | None = None,
) -> int:
    """Store an open exercise with its shoppers, every check first."""
    if (fault := _request_fault(request)) is not None:
        raise CalibrationRejected(fault)
    async with write_transaction(engine):
        try:
            version_id = await _scorecard_version(request.instrument, definitions)
            unit_id = await _unit_id(request.unit) if request.reference == "visit" else None
            wave_id = await _wave_id(request.wave)
        except AssignmentRejected as error:
            raise CalibrationRejected(str(error).removeprefix("--")) from None
        shopper_ids = await _shopper_ids(request.shoppers)
        exercise = CalibrationExercise(
            instrument_version=version_id,
            wave=wave_id,
            title=request.title.strip(),
            reference=request.reference,
            file_sha256=request.file_sha256,
            file_type=request.file_type,
            transcript=request.transcript.strip(),
            unit=unit_id,
            window_start=request.window_start,
            window_end=request.window_end,
            created_by=actor_id,
        )
        await exercise.save()
        exercise_id = row_id(exercise)
        await CalibrationShopper.insert(
            *[CalibrationShopper(exercise=exercise_id, shopper=shopper) for shopper in shopper_ids]
        )
        await record_event(
            "calibration.created",
            actor_id=actor_id,
            object_type="calibration",
            object_id=exercise_id,
            detail={"instrument": request.instrument, "wave": request.wave, "shoppers": len(shopper_ids)},
        )
    return exercise_id


async def record_answers(
    engine: Engine,  # type: ignore[type-arg]
    exercise_id: int,
    shopper_id: int,
    answers: Sequence[AnswerRow],
    *,
    submitted_at: datetime | None = None,
) -> None:
    """A chosen shopper's answers to an open exercise (validated against the scorecard by the caller); sending
    again before the exercise closes replaces the earlier answers."""
    async with write_transaction(engine):
        entry = await (
            CalibrationShopper.select(entry_key, via(CalibrationShopper.exercise).status.as_alias("status"))
            .where((CalibrationShopper.exercise == exercise_id) & (CalibrationShopper.shopper == shopper_id))
            .first()
        )
        if entry is None:
            raise CalibrationRejected(f"exercise {exercise_id}: no such exercise for this shopper")
        if entry["status"] != "open":
            raise CalibrationRejected(f"exercise {exercise_id}: closed, answers can no longer change")
        await CalibrationAnswer.delete().where(CalibrationAnswer.entry == entry["id"])
        if answers:
            await CalibrationAnswer.insert(
                *[
                    CalibrationAnswer(entry=entry["id"], item=row.item, value=row.value, na=row.na, text=row.text)
                    for row in answers
                ]
            )
        await CalibrationShopper.update({CalibrationShopper.submitted_at: submitted_at or datetime.now(UTC)}).where(
            entry_key == entry["id"]
        )


async def close_exercise(engine: Engine, exercise_id: int, *, actor_id: int | None = None) -> None:  # type: ignore[type-arg]
    async with write_transaction(engine):
        updated = await (
            CalibrationExercise.update(
                {CalibrationExercise.status: "closed", CalibrationExercise.closed_at: datetime.now(UTC)}
            )
            .where((exercise_key == exercise_id) & (CalibrationExercise.status == "open"))
            .returning(exercise_key)
        )
        if not updated:
            raise CalibrationRejected(f"exercise {exercise_id}: no open exercise with this id")
        await record_event("calibration.closed", actor_id=actor_id, object_type="calibration", object_id=exercise_id)


async def calibration_inputs(
    instruments: Sequence[str], waves: Sequence[str] | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Submitted answers (`CALIBRATION_ANSWER_SCHEMA`) and every chosen shopper (`ROSTER_SCHEMA`) of the
    exercises of these instruments, in these waves (default: all). Three short queries rather than one deep join:
    PostgreSQL cuts the join aliases Piccolo makes for four levels of foreign keys to the same 63 characters."""
    selection: Combinable = via(via(CalibrationExercise.instrument_version).instrument).key.is_in(list(instruments))
    if waves:
        selection &= via(CalibrationExercise.wave).key.is_in(list(waves))
    exercises = await CalibrationExercise.select(
        exercise_key.as_alias("exercise"),
        via(via(CalibrationExercise.instrument_version).instrument).key.as_alias("instrument"),
        via(CalibrationExercise.wave).key.as_alias("wave"),
    ).where(selection)
    ids = [row["exercise"] for row in exercises] or [-1]
    roster = await CalibrationShopper.select(
        CalibrationShopper.exercise, via(CalibrationShopper.shopper).username.as_alias("shopper")
    ).where(CalibrationShopper.exercise.is_in(ids))
    entry = via(CalibrationAnswer.entry)
    answers = await CalibrationAnswer.select(
        entry.exercise.as_alias("exercise"),
        via(entry.shopper).username.as_alias("shopper"),
        CalibrationAnswer.item,
        CalibrationAnswer.value,
        CalibrationAnswer.na,
        CalibrationAnswer.text,
    ).where(entry.exercise.is_in(ids) & entry.submitted_at.is_not_null())
    labels = pl.DataFrame(exercises, schema={"exercise": pl.Int64, "instrument": pl.String, "wave": pl.String})
    answer_schema = {k: v for k, v in CALIBRATION_ANSWER_SCHEMA.items() if k not in ("instrument", "wave")}
    return (
        _labelled(
            pl.DataFrame(answers, schema={**answer_schema, "exercise": pl.Int64()}), labels, CALIBRATION_ANSWER_SCHEMA
        ),
        _labelled(pl.DataFrame(roster, schema={"exercise": pl.Int64(), "shopper": pl.String()}), labels, ROSTER_SCHEMA),
    )


async def visit_shoppers(instruments: Sequence[str], waves: Sequence[str] | None = None) -> pl.DataFrame:
    """`response_id, shopper`: each counted response of these scorecards (in these waves; default all) that a
    shopper made on an assignment, with the shopper's username, in response id order."""
    selection: Combinable = (
        Response.assignment.is_not_null()
        & Response.status.is_in(["complete", "approved"])
        & via(via(Response.instrument_version).instrument).key.is_in(list(instruments))
    )
    if waves:
        selection &= via(Response.wave).key.is_in(list(waves))
    rows = await Response.select(
        Response._meta.primary_key.as_alias("response_id"),
        via(via(Response.assignment).shopper).username.as_alias("shopper"),
    ).where(selection)
    frame = pl.DataFrame(
        [(str(row["response_id"]), row["shopper"]) for row in rows],
        schema={"response_id": pl.String, "shopper": pl.String},
        orient="row",
    )
    return frame.sort("response_id")


def _labelled(frame: pl.DataFrame, labels: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Rows named by instrument and wave, the exercise id as text, in a stable order."""
    joined = frame.join(labels, on="exercise", how="inner").with_columns(pl.col("exercise").cast(pl.String))
    return joined.select(list(schema)).sort(["exercise", "shopper", *(["item"] if "item" in schema else [])])


async def calibrated_instruments() -> list[str]:
    """The instruments that have calibration exercises, by key."""
    rows = await CalibrationExercise.select(
        via(via(CalibrationExercise.instrument_version).instrument).key.as_alias("instrument")
    ).distinct()
    return sorted(row["instrument"] for row in rows)


@dataclass(frozen=True, slots=True)
class ExerciseView:
    """An exercise as its shopper sees it."""

    id: int
    version_id: int
    instrument: str
    wave: str
    title: str
    reference: str
    transcript: str
    file_sha256: str
    file_type: str
    unit_name: str | None
    window_start: datetime | None
    window_end: datetime | None
    status: str
    submitted_at: datetime | None


async def exercises_of(shopper_id: int, exercise_id: int | None = None) -> list[ExerciseView]:
    """The exercises this shopper was chosen for (newest first), or the one asked for if it is theirs."""
    exercise = via(CalibrationShopper.exercise)
    query = CalibrationShopper.select(
        CalibrationShopper.exercise.as_alias("id"),
        exercise.instrument_version.as_alias("version_id"),
        via(via(exercise.instrument_version).instrument).key.as_alias("instrument"),
        via(exercise.wave).key.as_alias("wave"),
        exercise.title.as_alias("title"),
        exercise.reference.as_alias("reference"),
        exercise.transcript.as_alias("transcript"),
        exercise.file_sha256.as_alias("file_sha256"),
        exercise.file_type.as_alias("file_type"),
        via(exercise.unit).name.as_alias("unit_name"),
        exercise.window_start.as_alias("window_start"),
        exercise.window_end.as_alias("window_end"),
        exercise.status.as_alias("status"),
        CalibrationShopper.submitted_at,
    ).where(CalibrationShopper.shopper == shopper_id)
    if exercise_id is not None:
        query = query.where(CalibrationShopper.exercise == exercise_id)
    rows = await query.order_by(CalibrationShopper.exercise, ascending=False)
    return [ExerciseView(**row) for row in rows]


async def answers_to(exercise_id: int, shopper_id: int | None = None) -> pl.DataFrame:
    """Submitted answers to one exercise (`CALIBRATION_ANSWER_SCHEMA` without instrument and wave): one shopper's,
    or everyone's (for the consensus, shown only once the exercise is closed)."""
    entry = via(CalibrationAnswer.entry)
    condition = (entry.exercise == exercise_id) & entry.submitted_at.is_not_null()
    if shopper_id is not None:
        condition &= entry.shopper == shopper_id
    rows = await CalibrationAnswer.select(
        via(entry.shopper).username.as_alias("shopper"),
        CalibrationAnswer.item,
        CalibrationAnswer.value,
        CalibrationAnswer.na,
        CalibrationAnswer.text,
    ).where(condition)
    schema = {k: v for k, v in CALIBRATION_ANSWER_SCHEMA.items() if k not in ("instrument", "wave", "exercise")}
    return pl.DataFrame(rows, schema=schema).sort("shopper", "item")


@dataclass(frozen=True, slots=True)
class ExerciseSummary:
    """An exercise as the consultant's list shows it."""

    id: int
    instrument: str
    wave: str
    title: str
    reference: str
    status: str
    chosen: int  # shoppers chosen
    answered: int  # of them, shoppers who sent their answers


async def exercise_summaries() -> list[ExerciseSummary]:
    """Every exercise, open ones first, newest first within each, with how many chosen shoppers answered."""
    exercises = await CalibrationExercise.select(
        exercise_key.as_alias("id"),
        via(via(CalibrationExercise.instrument_version).instrument).key.as_alias("instrument"),
        via(CalibrationExercise.wave).key.as_alias("wave"),
        CalibrationExercise.title,
        CalibrationExercise.reference,
        CalibrationExercise.status,
    )
    entries = await CalibrationShopper.select(CalibrationShopper.exercise, CalibrationShopper.submitted_at)
    chosen: dict[int, int] = {}
    answered: dict[int, int] = {}
    for entry in entries:
        chosen[entry["exercise"]] = chosen.get(entry["exercise"], 0) + 1
        answered[entry["exercise"]] = answered.get(entry["exercise"], 0) + (entry["submitted_at"] is not None)
    summaries = [ExerciseSummary(**row, chosen=chosen.get(row["id"], 0), answered=answered.get(row["id"], 0))
                 for row in exercises]  # fmt: skip
    return sorted(summaries, key=lambda s: (s.status != "open", -s.id))


def store_reference_file(storage: Storage, data: bytes) -> str:
    """Keep an exercise's recording among the attachments by its SHA-256, which it returns."""
    sha256 = hashlib.sha256(data).hexdigest()
    storage.put_once(attachment_key(sha256), data)
    return sha256
