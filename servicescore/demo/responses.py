"""Demo responses: believable answers for every instrument, unit and wave, all from one seeded generator.

Each respondent's answers follow a latent service level (the organisation's, the unit's offset, the wave's
trend and the person's own mood), so scores differ between organisations the way the founding example does,
units of one organisation differ a little, and employees' and customers' results move together by unit.
"""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from servicescore.collections.segments import SHIPPED_SEGMENT_ITEMS
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
from servicescore.demo import comments
from servicescore.demo.world import ORGANISATIONS, RESPONSES_PER_UNIT_AND_WAVE, SEED, WAVES, OrganisationSpec, UnitSpec

PARTIAL_SHARE = 0.05
ENGLISH_SHARE = 0.2
COMMENT_SHARE = 0.35
OBSERVER_COMMENT_SHARE = 0.15
NA_SHARE = 0.04
SKIP_SHARE = 0.03


@dataclass(frozen=True)
class DemoAnswer:
    item: str
    value: float | None
    na: bool = False
    text: str | None = None


@dataclass(frozen=True)
class DemoResponse:
    id: uuid.UUID
    instrument: str
    wave: str
    organisation: str
    unit: str
    status: str
    segment: str | None
    language: str
    started_at: datetime
    submitted_at: datetime | None
    answers: tuple[DemoAnswer, ...]


def _tier(level: float) -> str:
    if level >= 4.2:
        return "high"
    return "low" if level < 3.4 else "mid"


def _clip(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


class _Respondent:
    """One person answering one instrument: a service level and a random stream."""

    def __init__(
        self, rng: random.Random, level: float, item_offsets: Mapping[str, float], instrument: Instrument
    ) -> None:
        self.rng = rng
        self.level = level
        self.item_offsets = item_offsets
        self.observer = instrument.kind == "scorecard"
        self.comments = comments.BY_INSTRUMENT[instrument.id]

    def answer(self, item: object) -> tuple[object, DemoAnswer] | None:  # noqa: PLR0911, PLR0912 - one branch per item type
        """The value as the conditions see it, and the stored answer; None when the item is left unanswered."""
        rng, level = self.rng, self.level
        item_id: str = item.id  # type: ignore[attr-defined]  # any item type: each has an id
        if getattr(item, "na_allowed", False) and rng.random() < NA_SHARE:
            return None, DemoAnswer(item_id, None, na=True)
        offset = self.item_offsets.get(item_id, 0.0)
        match item:
            case RatingItem(scale=scale):
                span = scale.max - scale.min
                raw = scale.min + (level - 1) / 4 * span + offset + rng.gauss(0, 0.55)
                value = round(_clip(raw, scale.min, scale.max))
                return value, DemoAnswer(item_id, float(value), text=self._comment(item, value))
            case NpsItem():
                value = round(_clip((level - 1) / 4 * 10 + offset + rng.gauss(0, 1.3), 0, 10))
                return value, DemoAnswer(item_id, float(value))
            case YesNoItem():
                yes = rng.random() < 1 / (1 + math.exp(-2.2 * (level + offset - 3.2)))
                return yes, DemoAnswer(item_id, 1.0 if yes else 0.0, text=self._comment(item, 5 if yes else 1))
            case ChoiceItem(multiple=True):
                chosen = rng.sample(item.values(), k=rng.randint(1, min(2, len(item.choices))))
                return chosen, DemoAnswer(item_id, None, text=";".join(chosen))
            case ChoiceItem():
                chosen_one = rng.choice(item.values())
                return chosen_one, DemoAnswer(item_id, None, text=chosen_one)
            case TextItem(max_length=max_length):
                if rng.random() > COMMENT_SHARE:
                    return None
                return "comment", DemoAnswer(item_id, None, text=rng.choice(self.comments[_tier(level)])[:max_length])
            case NumberItem(min=low, max=high):
                return self._number(item_id, low, high)
            case DurationItem(max_seconds=max_seconds):
                if "queue" in item_id or "wait" in item_id:
                    seconds = rng.expovariate(1 / (40 + (5 - level) * 140))
                elif "call" in item_id:
                    seconds = rng.gauss(300 + (5 - level) * 90, 90)
                else:
                    seconds = rng.gauss(2400 + (level - 3) * 300, 420)
                seconds = _clip(round(seconds), 5, max_seconds or 86_400)
                return seconds, DemoAnswer(item_id, float(seconds))
        return None

    def _number(self, item_id: str, low: float | None, high: float | None) -> tuple[object, DemoAnswer]:
        low = 0 if low is None else low
        high = low + 100 if high is None else high
        if "transfer" in item_id:
            value = float(_poisson(self.rng, max(0.15, (4.3 - self.level) * 1.1)))
        else:
            value = float(round(low + (high - low) * _clip(self.rng.gauss(0.4, 0.2), 0, 1)))
        value = _clip(value, low, high)
        return value, DemoAnswer(item_id, value)

    def _comment(self, item: object, value: int) -> str | None:
        if not (self.observer and getattr(item, "comment", False)) or self.rng.random() > OBSERVER_COMMENT_SHARE:
            return None
        return self.rng.choice(self.comments[_tier(value)])


def _poisson(rng: random.Random, mean: float) -> int:
    threshold, count, product = math.exp(-mean), 0, rng.random()
    while product > threshold:
        count += 1
        product *= rng.random()
    return count


def _moment(rng: random.Random, starts: str, ends: str) -> datetime:
    first, last = date.fromisoformat(starts), date.fromisoformat(ends)
    day = first + timedelta(days=rng.randrange((last - first).days + 1))
    return datetime.combine(day, time(hour=rng.randint(9, 17), minute=rng.randrange(60)), tzinfo=UTC)


def _level(rng: random.Random, org: OrganisationSpec, unit: UnitSpec, wave_index: int, instrument: Instrument) -> float:
    base = org.quality + unit.offset + org.trend * wave_index
    if instrument.id == "employee-pulse":
        # Satisfied employees and satisfied customers go together by unit (the Satisfaction Mirror), loosely.
        return _clip(1.2 + 0.72 * base + rng.gauss(0, 0.55), 1, 5)
    spread = 0.3 if instrument.kind == "scorecard" else 0.5
    return _clip(base + rng.gauss(0, spread), 1, 5)


def _segment(instrument: Instrument, values: Mapping[str, object]) -> str | None:
    """The answer to the instrument's segment question, as the web form's rule (collections.segments) takes it."""
    chosen = values.get(SHIPPED_SEGMENT_ITEMS.get(instrument.id, ""))
    return chosen if isinstance(chosen, str) else None


def _status(rng: random.Random, instrument: Instrument, last_wave: bool) -> str:
    if instrument.kind == "survey":
        return "partial" if rng.random() < PARTIAL_SHARE else "complete"
    if last_wave:
        return rng.choices(("approved", "submitted", "returned"), weights=(80, 15, 5))[0]
    return "approved"


def generate(instruments: Mapping[str, Instrument]) -> Iterator[DemoResponse]:
    """Every demo response, in a fixed order, the same on every machine."""
    rng = random.Random(SEED)
    offsets = {
        key: {item.id: rng.gauss(0, 0.15) for _, item in instrument.items()} for key, instrument in instruments.items()
    }
    for wave_index, (wave, starts, ends) in enumerate(WAVES):
        last_wave = wave_index == len(WAVES) - 1
        for org in ORGANISATIONS:
            for key in org.instruments:
                instrument = instruments[key]
                for unit in org.units:
                    for _ in range(RESPONSES_PER_UNIT_AND_WAVE[key]):
                        level = _level(rng, org, unit, wave_index, instrument)
                        status = _status(rng, instrument, last_wave)
                        yield _response(
                            rng,
                            instrument=instrument,
                            offsets=offsets[key],
                            level=level,
                            wave=wave,
                            period=(starts, ends),
                            org=org,
                            unit=unit,
                            status=status,
                        )


def _response(
    rng: random.Random,
    *,
    instrument: Instrument,
    offsets: Mapping[str, float],
    level: float,
    wave: str,
    period: tuple[str, str],
    org: OrganisationSpec,
    unit: UnitSpec,
    status: str,
) -> DemoResponse:
    respondent = _Respondent(rng, level, offsets, instrument)
    values: dict[str, object] = {}
    answers: list[DemoAnswer] = []
    stop_after = instrument.sections[0].id if status == "partial" else None
    for section, item in instrument.items():
        if stop_after is not None and section.id != stop_after:
            break
        if item.show_if is not None and not item.show_if.holds(values):
            continue
        if instrument.kind == "survey" and not item.required and rng.random() < SKIP_SHARE:
            continue
        given = respondent.answer(item)
        if given is not None:
            values[item.id], answer = given
            answers.append(answer)
    started = _moment(rng, *period)
    finished = None if status == "partial" else started + timedelta(minutes=rng.randint(2, 50))
    return DemoResponse(
        id=uuid.UUID(int=rng.getrandbits(128), version=4),
        instrument=instrument.id,
        wave=wave,
        organisation=org.slug,
        unit=unit.slug,
        status=status,
        segment=_segment(instrument, values),
        language="en" if instrument.kind == "survey" and rng.random() < ENGLISH_SHARE else "sv",
        started_at=started,
        submitted_at=finished,
        answers=tuple(answers),
    )
