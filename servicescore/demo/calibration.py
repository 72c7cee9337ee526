"""The demo's calibration wave: six shoppers score the same recorded mystery call and the same guided tour.

The reference answers are a middling call and a weak-three tour (room above and below for every shopper). Each
panel shopper answers the reference with their own offset on rating items (Alva lenient, Bertil harsh, the others
near the panel) and some noise; yes/no items are sometimes flipped, durations and numbers a little off. Seeded, so
the answers are the same on every machine.
"""

from __future__ import annotations

import hashlib
import random
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from piccolo.engine.base import Engine

from servicescore.accounts.users import create_account
from servicescore.db.calibration import ExerciseRequest, close_exercise, create_exercise, record_answers
from servicescore.db.tables import User
from servicescore.definitions import Instrument
from servicescore.identity import Role
from servicescore.visits.answers import AnswerRow

SEED: Final[int] = 20_261_206
WAVE: Final[str] = "2026-Q3"  # the latest wave with results: its scorecard reports print the panel's α


@dataclass(frozen=True, slots=True)
class PanelShopper:
    username: str
    name: str
    offset: float  # scale points added to every rating before rounding


# "shopper" is the demo account; the others exist for the calibration and log in with the demo password.
PANEL: Final[tuple[PanelShopper, ...]] = (
    PanelShopper("shopper", "Sam Shopper", 0.0),
    PanelShopper("panel-alva", "Alva Panel (fiktiv)", 0.9),
    PanelShopper("panel-bertil", "Bertil Panel (fiktiv)", -0.9),
    PanelShopper("panel-cecilia", "Cecilia Panel (fiktiv)", 0.15),
    PanelShopper("panel-david", "David Panel (fiktiv)", -0.15),
    PanelShopper("panel-elin", "Elin Panel (fiktiv)", 0.0),
)
RATING_NOISE: Final[float] = 0.4
FLIP_SHARE: Final[float] = 0.08

# The reference's true answer per item; items left out (photos, text) get no value.
CALL_REFERENCE: Final[dict[str, float]] = {
    "queue_time": 240.0, "phone_menu": 3.0, "queue_information": 1.0, "callback_offered": 0.0,
    "greeting_name_given": 1.0, "courtesy": 4.0, "listening": 3.0, "transfers": 2.0, "briefed_after_transfer": 0.0,
    "agent_knowledge": 3.0, "problem_solved": 1.0, "next_steps_clear": 0.0, "manager_reached": 0.0,
    "summary_given": 0.0, "anything_else_offered": 1.0, "call_duration": 540.0, "overall_rating": 3.0,
}  # fmt: skip
TOUR_REFERENCE: Final[dict[str, float]] = {
    "started_on_time": 1.0, "group_welcomed": 1.0, "guide_introduced": 0.0, "welcome_warmth": 3.0,
    "knowledge_depth": 3.0, "answers_questions": 2.0, "facts_accurate": 1.0, "guide_engagement": 2.0,
    "storytelling": 3.0, "eye_contact": 0.0, "daily_life": 3.0, "residents_relationships": 2.0,
    "house_and_place": 4.0, "everyone_could_hear": 1.0, "questions_welcomed": 0.0, "pace": 2.0,
    "everyone_included": 3.0, "clear_ending": 1.0, "more_to_see": 1.0, "tour_duration": 2700.0,
    "overall_rating": 3.0, "would_recommend": 6.0,
}  # fmt: skip


def recording() -> tuple[bytes, str]:
    """The reference call's file: a stand-in WAV (two seconds of silence, 8 kHz mono) and its SHA-256."""
    frames = b"\x00\x00" * 16_000
    header = b"RIFF" + struct.pack("<I", 36 + len(frames)) + b"WAVEfmt "
    header += struct.pack("<IHHIIHH", 16, 1, 1, 8000, 16_000, 2, 16) + b"data" + struct.pack("<I", len(frames))
    data = header + frames
    return data, hashlib.sha256(data).hexdigest()


def _value(kind: str, truth: float, offset: float, rng: random.Random) -> float:
    if kind == "rating":
        return float(min(5, max(1, round(truth + offset + rng.gauss(0, RATING_NOISE)))))
    if kind == "nps":
        return float(min(10, max(0, round(truth + 2 * offset + rng.gauss(0, 2 * RATING_NOISE)))))
    if kind == "yes_no":
        return 1.0 - truth if rng.random() < FLIP_SHARE else truth
    if kind == "duration":
        return float(max(0, 5 * round((truth + rng.gauss(0, 0.05 * truth)) / 5)))
    return truth + (rng.choice((-1.0, 1.0)) if rng.random() < FLIP_SHARE * 2 else 0.0)


def panel_answers(instrument: Instrument, reference: Mapping[str, float], shopper: PanelShopper) -> list[AnswerRow]:
    """One panel shopper's answers to a reference, from the shopper's own seeded generator."""
    rng = random.Random(f"{SEED}/{instrument.id}/{shopper.username}")
    types = {item.id: item.type for _, item in instrument.items()}
    return [
        AnswerRow(item, _value(types[item], truth, shopper.offset, rng), False, None)
        for item, truth in reference.items()
    ]


async def seed_demo_calibration(
    engine: Engine,  # type: ignore[type-arg]
    instruments: Mapping[str, Instrument],
    password: str,
    recording_sha256: str,
) -> int:
    """The panel's accounts, the two exercises of the calibration wave and every panel shopper's answers, closed.
    Returns the number of exercises made (0 when the call or tour scorecard is missing)."""
    if "mystery-call" not in instruments or "guided-tour" not in instruments:
        return 0
    for shopper in PANEL:
        if not await User.exists().where(User.username == shopper.username):
            await create_account(shopper.username, password, Role.shopper, display_name=shopper.name)
    usernames = tuple(shopper.username for shopper in PANEL)
    window = (datetime(2026, 7, 6, 10, tzinfo=UTC), datetime(2026, 7, 6, 12, tzinfo=UTC))
    exercises = (
        (
            ExerciseRequest("mystery-call", WAVE, "Inspelat samtal: spärrat kort", "recording", usernames,
                            file_sha256=recording_sha256, file_type="audio/wav",
                            transcript="Kunden ringer om ett spärrat kort före en utlandsresa och kopplas vidare två "
                                       "gånger innan ärendet löses."),
            CALL_REFERENCE,
        ),
        (
            ExerciseRequest("guided-tour", WAVE, "Kalibreringsvisning på Lilla Hyttnäs", "visit", usernames,
                            unit="carl-larssons-gard/lilla-hyttnas", window_start=window[0], window_end=window[1]),
            TOUR_REFERENCE,
        ),
    )  # fmt: skip
    ids = {row["username"]: row["id"] for row in await User.select(User._meta.primary_key, User.username)}
    for request, reference in exercises:
        exercise = await create_exercise(engine, request, dict(instruments))
        for shopper in PANEL:
            answers = panel_answers(instruments[request.instrument], reference, shopper)
            await record_answers(engine, exercise, ids[shopper.username], answers, submitted_at=window[1])
        await close_exercise(engine, exercise)
    return len(exercises)
