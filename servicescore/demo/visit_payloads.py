"""The demo's visits awaiting review, as the shopper's phone would have sent them.

The generator (``responses.py``) gives every scorecard visit its answers and a status; the visits still with the
consultant (submitted, or returned to the shopper) are stored as real visits: an assignment, and the whole
``VisitPayload`` through the sync path. This module makes those payloads from the generated answers, with times,
a window and, at a site, the phone's position. A few visits carry what review flags are for (a comment that
contradicts its score, a visit scored too fast, a phone far from the unit, a visit after its window closed), so a
consultant trying the demo sees the flags on real cases. Everything comes from seeds: the same on every machine.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from servicescore.definitions import Instrument
from servicescore.definitions.items import (
    ChoiceItem,
    DurationItem,
    NpsItem,
    NumberItem,
    RatingItem,
    TextItem,
    YesNoItem,
)
from servicescore.demo.responses import DemoAnswer, DemoResponse
from servicescore.demo.world import SEED, UnitSpec
from servicescore.formats import day_start
from servicescore.visits.payload import ItemAnswer, Position, VisitPayload

HELD_STATUSES = frozenset({"submitted", "returned"})
# The twists, in the order they are handed out to the submitted visits that fit them.
CONTRADICTING_COMMENT, TOO_SHORT, FAR_FROM_UNIT, OUTSIDE_WINDOW = (
    "contradicting_comment",
    "too_short",
    "far_from_unit",
    "outside_window",
)
# A shopper who gives a high score and writes "stressad" beside it: the flag asks which of the two is true.
STRESSED_COMMENT: dict[str, str] = {
    "guided-tour": "Guiden verkade stressad och hoppade över ett rum, men svarade vänligt på frågorna.",
    "mystery-call": "Handläggaren lät stressad och pratade fort, men var artig hela samtalet.",
    "channel-audit": "Personalen i chatten verkade stressad, men svaret var rätt.",
}
SCENARIOS: dict[str, str] = {
    "guided-tour": "Gå den ordinarie visningen som vanlig besökare. Ställ minst en fråga till guiden om huset.",
    "mystery-call": "Ring om en faktura som blivit dubbeldragen och fråga när pengarna kommer tillbaka.",
    "channel-audit": "Granska hur en kund når er: telefonkön, chatten, e-posten och vägen för klagomål.",
}
# What the consultant wrote when sending a visit back (the shopper reads it beside the visit).
RETURN_COMMENTS = (
    "Kommentaren till helhetsbetyget är för kort. Beskriv med ett par meningar vad som avgjorde betyget.",
    "Tiden i kön stämmer inte med samtalslistan. Kontrollera den och skicka in besöket igen.",
    "Bemötandet har fått en svag poäng utan kommentar. Skriv vad som sades, så att kunden känner igen situationen.",
)
FAR_OFFSET_DEGREES = 0.08  # about 9 km north: the shopper started the visit before leaving town


@dataclass(frozen=True, slots=True)
class Window:
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class PlannedVisit:
    """One held visit: the generated response, when the shopper was asked to make it, and its payload minus the
    assignment id (which exists only once the assignment is stored)."""

    response: DemoResponse
    window: Window
    payload: VisitPayload
    twist: str | None = None

    def for_assignment(self, assignment_id: int) -> VisitPayload:
        return self.payload.model_copy(update={"assignment_id": assignment_id})


def is_held(response: DemoResponse, instruments: Mapping[str, Instrument]) -> bool:
    """A scorecard visit still with the consultant: stored as the shopper's, not as a bare result."""
    return instruments[response.instrument].kind == "scorecard" and response.status in HELD_STATUSES


def item_answer(item: object, answer: DemoAnswer) -> ItemAnswer:
    """The generated answer as the phone sends it; ``visits.answers.answer_rows`` turns it back into the same row."""
    if answer.na:
        return ItemAnswer(na=True)
    value, text = answer.value, answer.text
    match item:
        case YesNoItem():
            return ItemAnswer(value=bool(value), comment=text)
        case RatingItem() | NpsItem() | DurationItem():
            return ItemAnswer(value=round(value or 0), comment=text)
        case NumberItem(integer=integer):
            number = value or 0.0
            return ItemAnswer(value=round(number) if integer or number.is_integer() else number, comment=text)
        case ChoiceItem(multiple=True):
            return ItemAnswer(value=(text or "").split(";"))
        case ChoiceItem() | TextItem():
            return ItemAnswer(value=text)
    raise TypeError(f"the demo does not answer items of type {type(item).__name__}")


def plan_twists(held: Iterable[DemoResponse], instruments: Mapping[str, Instrument]) -> dict[str, str]:
    """Which submitted visit carries which twist (response id → twist): each twist goes to the first visit it fits."""
    waiting = [response for response in held if response.status == "submitted"]
    rules: tuple[tuple[str, Callable[[DemoResponse], bool]], ...] = (
        (CONTRADICTING_COMMENT, lambda r: _high_rating(r, instruments[r.instrument]) is not None),
        (TOO_SHORT, lambda r: r.instrument == "mystery-call"),
        (FAR_FROM_UNIT, lambda r: r.instrument == "guided-tour"),
        (OUTSIDE_WINDOW, lambda _r: True),
    )
    given: dict[str, str] = {}
    for twist, fits in rules:
        chosen = next((r for r in waiting if str(r.id) not in given and fits(r)), None)
        if chosen is not None:
            given[str(chosen.id)] = twist
    return given


def _high_rating(response: DemoResponse, instrument: Instrument) -> str | None:
    """The first rating item with room for a comment that got a score in the top quarter of its scale."""
    answers = {answer.item: answer for answer in response.answers}
    for _, item in instrument.items():
        answer = answers.get(item.id)
        if not isinstance(item, RatingItem) or not item.comment or answer is None or answer.value is None:
            continue
        if (answer.value - item.scale.min) / (item.scale.max - item.scale.min) >= 0.75:
            return item.id
    return None


def plan_visit(response: DemoResponse, instrument: Instrument, unit: UnitSpec, twist: str | None) -> PlannedVisit:
    # Its own stream per visit, so the extras never shift the generated world or each other.
    rng = random.Random(f"{SEED}/visit/{response.id}")
    items = {item.id: item for _, item in instrument.items()}
    answers = {answer.item: item_answer(items[answer.item], answer) for answer in response.answers}
    if twist == CONTRADICTING_COMMENT and (item_id := _high_rating(response, instrument)):
        answers[item_id] = answers[item_id].model_copy(update={"comment": STRESSED_COMMENT[instrument.id]})
    started = response.started_at
    spent = sum(a.value or 0 for a in response.answers if isinstance(items[a.item], DurationItem) and not a.na)
    taken = timedelta(minutes=2) if twist == TOO_SHORT else timedelta(seconds=spent, minutes=rng.randint(6, 20))
    day = day_start(started.date())  # midnight in Stockholm, as the shopper and the console read the window
    opens = day - timedelta(days=rng.randint(2, 9))
    window = Window(opens, day) if twist == OUTSIDE_WINDOW else Window(opens, opens + timedelta(days=14))
    payload = VisitPayload(
        assignment_id=1,  # replaced by the stored assignment's id (for_assignment)
        status="submitted",
        started_at=started,
        ended_at=started + taken,
        position=_position(rng, unit, far=twist == FAR_FROM_UNIT),
        answers=answers,
    )
    return PlannedVisit(response, window, payload, twist)


def _position(rng: random.Random, unit: UnitSpec, *, far: bool) -> Position | None:
    """Near the unit's door at a site (within about 150 m); none for a call centre, which is scored by phone."""
    if unit.kind != "site":
        return None
    north = FAR_OFFSET_DEGREES if far else rng.uniform(-0.0012, 0.0012)
    return Position(
        latitude=round(unit.latitude + north, 6),
        longitude=round(unit.longitude + rng.uniform(-0.002, 0.002), 6),
        accuracy_m=float(rng.randint(8, 40)),
    )
