"""Calibration exercises stored and read back, and `servicescore calibration` on them: α recomputed independently
with the `krippendorff` package from the answers the test wrote, leniency found, bad input said."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import krippendorff
import numpy as np
import pytest

from servicescore.collections.answers import StoredAnswer
from servicescore.db.accounts import insert_user
from servicescore.db.calibration import (
    CalibrationRejected,
    ExerciseRequest,
    close_exercise,
    create_exercise,
    record_answers,
)
from servicescore.db.keys import row_id
from servicescore.db.responses import insert_responses
from servicescore.db.tables import Assignment, Response, User
from servicescore.definitions import load_instruments
from servicescore.identity import Role
from servicescore.settings import CHECKOUT_DIR
from servicescore.visits.answers import AnswerRow
from tests.support.analytics_world import World, build_world
from tests.support.cli_runs import invoke

pytestmark = pytest.mark.anyio

SHOPPERS = ("anna", "bo", "cia", "dan", "eva")
RATINGS = ("welcome_warmth", "knowledge_depth", "answers_questions", "guide_engagement", "storytelling")
# exercise × shopper × rating item; eva is chosen for every exercise and never answers. anna is lenient (+1).
TRUTH = [[3, 4, 2, 3, 4], [2, 2, 3, 4, 3], [4, 3, 3, 2, 3]]
NOISE = {"anna": [1, 1, 1, 1, 1], "bo": [0, 0, -1, 0, 0], "cia": [0, 1, 0, 0, 0], "dan": [0, 0, 0, -1, 0]}
ON_TIME = {"anna": 1.0, "bo": 1.0, "cia": 0.0, "dan": 1.0}


def value(exercise: int, shopper: str, item: int) -> float:
    return float(TRUTH[exercise][item] + NOISE[shopper][(item + exercise) % 5])


async def calibrated_world(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setenv("SERVICESCORE_DATABASE_URL", database_url)
    monkeypatch.setenv("SERVICESCORE_DATA_DIR", str(tmp_path / "data"))
    world = await build_world(database_url)
    for name in (*SHOPPERS, "kim"):
        role = Role.consultant if name == "kim" else Role.shopper
        await insert_user(
            username=name, role=role, password_hash="x", organisation_slug=None, display_name=name, language="en"
        )
    definitions = {d.id: d for d in load_instruments(CHECKOUT_DIR / "surveys")}
    ids = {row["username"]: row["id"] for row in await User.select(User.id, User.username)}
    requests = [
        ExerciseRequest("guided-tour", "2026-Q1", "Tour transcript", "transcript", SHOPPERS, transcript="The guide…"),
        ExerciseRequest(
            "guided-tour", "2026-Q1", "Tour film", "recording", SHOPPERS, file_sha256="ab" * 32, file_type="video/mp4"
        ),
        ExerciseRequest(
            "guided-tour",
            "2026-Q1",
            "Visit together",
            "visit",
            SHOPPERS,
            unit="zorngarden/main",
            window_start=datetime(2026, 3, 2, 10, tzinfo=UTC),
            window_end=datetime(2026, 3, 2, 12, tzinfo=UTC),
        ),
    ]
    for e, request in enumerate(requests):
        exercise = await create_exercise(world.engine, request, definitions)  # type: ignore[arg-type]
        for shopper in SHOPPERS[:-1]:
            rows = [AnswerRow(item, value(e, shopper, i), False, None) for i, item in enumerate(RATINGS)]
            rows += [AnswerRow("started_on_time", ON_TIME[shopper], False, None)]
            rows += [AnswerRow("pace", None, True, None), AnswerRow("observer_notes", None, False, "Good")]
            await record_answers(world.engine, exercise, ids[shopper], rows)  # type: ignore[arg-type]
        await close_exercise(world.engine, exercise)  # type: ignore[arg-type]
    return world


def reliability(items: range) -> np.ndarray:
    """Shoppers × units (exercise × item) of the rating items, straight from the values written."""
    return np.array([[value(e, s, i) for e in range(3) for i in items] for s in NOISE])


async def test_the_command_reports_alpha_and_leniency_of_stored_exercises(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await calibrated_world(database_url, tmp_path, monkeypatch)
    result = await invoke("calibration", "--instrument", "guided-tour", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    rows = {(r["scope"], r["section"], r["item"], r["measurement"]): r for r in document["agreement"]}

    # welcome: one rating (welcome_warmth) beside the yes/no started_on_time; knowledge: two ratings
    welcome = rows[("section", "welcome", None, "ordinal")]
    expected = krippendorff.alpha(reliability_data=reliability(range(1)), level_of_measurement="ordinal")
    assert welcome["alpha"] == pytest.approx(expected, abs=1e-12)
    knowledge = rows[("section", "knowledge", None, "ordinal")]
    expected = krippendorff.alpha(reliability_data=reliability(range(1, 3)), level_of_measurement="ordinal")
    assert knowledge["alpha"] == pytest.approx(expected, abs=1e-12)
    assert (knowledge["units"], knowledge["shoppers"], knowledge["exercises"]) == (6, 4, 3)
    overall = rows[("overall", None, None, "ordinal")]
    expected = krippendorff.alpha(reliability_data=reliability(range(5)), level_of_measurement="ordinal")
    assert overall["alpha"] == pytest.approx(expected, abs=1e-12)
    assert overall["ci_low"] <= overall["alpha"] <= overall["ci_high"]
    # cia says "no" on every exercise, the others "yes": disagreement within every exercise, α below 0
    on_time = rows[("item", "welcome", "started_on_time", "nominal")]
    assert on_time["alpha"] < 0
    # pace was N/A for everybody, notes are text: neither is compared
    assert not [r for r in document["agreement"] if r["item"] in ("pace", "observer_notes")]
    assert sorted({(r["exercise"], r["shopper"]) for r in document["left_out"]}) == [
        (e, "eva") for e in ("1", "2", "3")
    ]

    offsets = {r["shopper"]: r for r in document["leniency"]}
    assert set(offsets) == {"anna", "bo", "cia", "dan"}
    assert offsets["anna"]["offset"] > offsets["bo"]["offset"]
    assert offsets["anna"]["answers"] == 15
    assert document["leniency_reason"] is None


async def test_csv_tables_and_notes_on_stderr(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await calibrated_world(database_url, tmp_path, monkeypatch)
    result = await invoke("calibration", "--instrument", "guided-tour", "--table", "leniency")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith("shopper,answers,targets,offset,ci_low,ci_high,raw_offset,flag")
    assert "exercise 1: answered nothing, left out: eva" in result.stderr
    again = await invoke("calibration", "--instrument", "guided-tour", "--table", "leniency")
    assert again.stdout == result.stdout
    agreement = await invoke("calibration", "--instrument", "guided-tour", "--wave", "2026-Q1")
    assert agreement.stdout.splitlines()[0].startswith("instrument,wave,scope,section,item,measurement,exercises")


async def test_unknown_instrument_and_empty_selection(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await calibrated_world(database_url, tmp_path, monkeypatch)
    unknown = await invoke("calibration", "--instrument", "no-such")
    assert unknown.exit_code == 1
    assert 'unknown instrument "no-such"' in unknown.output
    empty = await invoke("calibration", "--instrument", "mystery-call", "--format", "json")
    assert empty.exit_code == 0, empty.output
    document = json.loads(empty.stdout)
    assert document["agreement"] == []
    assert document["leniency_reason"] == (
        "fewer than 3 shoppers scored a rating item another shopper scored too: no model"
    )


async def test_exercises_refuse_bad_requests_and_closed_answers(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await calibrated_world(database_url, tmp_path, monkeypatch)
    definitions = {d.id: d for d in load_instruments(CHECKOUT_DIR / "surveys")}
    bad = {
        "shoppers: a calibration needs at least 2 different shoppers": ExerciseRequest(
            "guided-tour", "2026-Q1", "One", "transcript", ("anna", "ANNA"), transcript="x"
        ),
        "shoppers: not a mystery shopper account: kim, nobody": ExerciseRequest(
            "guided-tour", "2026-Q1", "Two", "transcript", ("anna", "kim", "nobody"), transcript="x"
        ),
        'instrument: "visitor-survey" is a survey; shoppers fill in scorecards': ExerciseRequest(
            "visitor-survey", "2026-Q1", "Three", "transcript", ("anna", "bo"), transcript="x"
        ),
        "unit: a calibration visit needs the unit and the window every shopper visits in": ExerciseRequest(
            "guided-tour", "2026-Q1", "Four", "visit", ("anna", "bo")
        ),
        "transcript: a written reference cannot be empty": ExerciseRequest(
            "guided-tour", "2026-Q1", "Five", "transcript", ("anna", "bo"), transcript="  "
        ),
    }
    for message, request in bad.items():
        with pytest.raises(CalibrationRejected) as raised:
            await create_exercise(world.engine, request, definitions)  # type: ignore[arg-type]
        assert str(raised.value) == message
    anna = await User.select(User.id).where(User.username == "anna").first()
    with pytest.raises(CalibrationRejected, match="exercise 1: closed, answers can no longer change"):
        await record_answers(world.engine, 1, anna["id"], [AnswerRow("pace", 3.0, False, None)])  # type: ignore[arg-type,index]
    kim = await User.select(User.id).where(User.username == "kim").first()
    with pytest.raises(CalibrationRejected, match="exercise 1: no such exercise for this shopper"):
        await record_answers(world.engine, 1, kim["id"], [])  # type: ignore[arg-type,index]
    with pytest.raises(CalibrationRejected, match="exercise 1: no open exercise"):
        await close_exercise(world.engine, 1)  # type: ignore[arg-type]


def mark(shopper: str, organisation: str) -> float:
    return 5.0 if shopper == "anna" else 3.0 if (shopper, organisation) == ("bo", "carl-larssons-gard") else 4.0


VISITS = {"zorngarden": ("anna", "anna", "anna", "bo", "bo"), "carl-larssons-gard": ("bo", "cia", "dan", "eva", "cia")}


async def add_visits(world: World) -> None:
    """Shoppers visit the two organisations' units in 2026-Q1 on assignments (`VISITS`): anna marks every rating
    5, the others 4 (bo 3 at Carl Larssons gård). The lenient anna makes most of Zorngården's visits."""
    ids = {row["username"]: row["id"] for row in await User.select(User.id, User.username)}
    for organisation, shoppers in VISITS.items():
        for shopper in shoppers:
            assignment = Assignment(
                shopper=ids[shopper],
                unit=world.units[organisation],
                instrument_version=world.versions["guided-tour"],
                wave=world.waves["2026-Q1"],
                window_start=datetime(2026, 3, 1, tzinfo=UTC),
                window_end=datetime(2026, 3, 31, tzinfo=UTC),
                status="approved",
            )
            await assignment.save()
            response_id = str(uuid.uuid4())
            response = Response(
                id=response_id,
                instrument_version=world.versions["guided-tour"],
                wave=world.waves["2026-Q1"],
                organisation=world.organisations[organisation],
                unit=world.units[organisation],
                assignment=row_id(assignment),
                status="approved",
                submitted_at=datetime(2026, 3, 10, tzinfo=UTC),
                updated_at=datetime(2026, 3, 10, tzinfo=UTC),
            )
            marks = {item: StoredAnswer(mark(shopper, organisation)) for item in RATINGS}
            await insert_responses([(response, marks)])


async def test_scores_adjusted_for_leniency_sit_beside_the_unadjusted_ones(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await calibrated_world(database_url, tmp_path, monkeypatch)
    await add_visits(world)
    calibration = await invoke("calibration", "--instrument", "guided-tour", "--format", "json")
    offsets = {row["shopper"]: row for row in json.loads(calibration.stdout)["leniency"]}
    # a unit several shoppers visited in a wave is a target beside the three exercises
    assert offsets["anna"]["targets"] == 4
    assert offsets["eva"]["targets"] == 1  # eva answered no exercise, but visited
    assert offsets["anna"]["offset"] > 0.5

    plain = await invoke("scores", "--instrument", "guided-tour", "--format", "json")
    adjusted = await invoke("scores", "--instrument", "guided-tour", "--adjust-shoppers", "--format", "json")
    assert adjusted.exit_code == 0, adjusted.output
    plain_rows, rows = json.loads(plain.stdout), json.loads(adjusted.stdout)
    assert [{k: v for k, v in row.items() if not k.endswith("_adjusted")} for row in rows] == plain_rows
    for row in (r for r in rows if r["item"] == "welcome_warmth"):
        marks = [(mark(shopper, row["organisation"]), shopper) for shopper in VISITS[row["organisation"]]]
        expected = np.mean([np.clip(v - offsets[s]["offset"], 1, 5) for v, s in marks])
        assert row["mean_adjusted"] == pytest.approx(expected, abs=1e-9)
        if row["organisation"] == "zorngarden":
            assert row["mean_adjusted"] < row["mean"] - 0.2
        assert row["index_adjusted"] == pytest.approx((expected - 1) / 4 * 100, abs=1e-6)
    # respondent-only instruments have no shoppers: the note says so and the columns repeat nothing
    pulse = await invoke("scores", "--instrument", "employee-pulse", "--adjust-shoppers")
    assert pulse.exit_code == 0, pulse.output
    assert "leniency: fewer than 3 shoppers" in pulse.stderr
