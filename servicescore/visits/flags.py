"""Automatic review flags: what a consultant should look at twice before approving a visit.

Each flag is a reason with its evidence; none blocks approval, they only draw attention.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from servicescore.definitions import Instrument, RatingItem, YesNoItem
from servicescore.visits.payload import VisitPayload

EARTH_RADIUS_M = 6_371_000.0
FAR_FROM_UNIT_M = 1_000.0
# A scorecard of this size cannot honestly be filled in less time: about 8 seconds an item.
SECONDS_PER_ITEM = 8.0
MIN_VISIT = timedelta(minutes=3)

# Words that contradict a score when they appear in its comment (Swedish and English, lower case).
NEGATIVE = re.compile(
    r"\b(dålig\w*|sämst\w*|otrevlig\w*|oförskämd\w*|ointresserad\w*|stressad\w*|rörig\w*|kass\w*|bad|poor|rude|"
    r"terrible|awful|worst|indifferent|rushed|unfriendly|never|aldrig|inte alls|not at all)\b"
)
POSITIVE = re.compile(
    r"\b(utmärkt\w*|fantastisk\w*|jättebra|mycket bra|bäst\w*|trevlig\w*|varm\w*|engagerad\w*|excellent|"
    r"great|wonderful|fantastic|superb|friendly|warm|engaging|best)\b"
)


@dataclass(frozen=True, slots=True)
class Flag:
    """``code`` names the reason (outside_window | too_short | contradicting_comment | far_from_unit) and
    ``evidence`` its figures as data (datetimes in UTC, minutes, kilometres, the comment), which the page words in
    the reader's language; ``kind`` tells variants apart (which end of the visit, which way a comment contradicts)."""

    code: str
    evidence: Mapping[str, object] = field(default_factory=dict)
    kind: str = ""
    item: str | None = None


@dataclass(frozen=True, slots=True)
class VisitContext:
    """What the flags compare a visit with: its assignment's window and its unit's position."""

    window_start: datetime
    window_end: datetime
    unit_latitude: float | None
    unit_longitude: float | None
    unit_is_site: bool


def review_flags(payload: VisitPayload, instrument: Instrument, context: VisitContext) -> list[Flag]:
    flags = _window_flags(payload, context)
    flags.extend(_duration_flags(payload, instrument))
    flags.extend(_comment_flags(payload, instrument))
    flags.extend(_position_flags(payload, context))
    return flags


def _window_flags(payload: VisitPayload, context: VisitContext) -> list[Flag]:
    flags = []
    for name, moment in (("started_at", payload.started_at), ("ended_at", payload.ended_at)):
        if moment is not None and not context.window_start <= moment <= context.window_end:
            evidence = {"moment": moment, "start": context.window_start, "end": context.window_end}
            flags.append(Flag("outside_window", evidence, kind=name.removesuffix("_at")))
    return flags


def _duration_flags(payload: VisitPayload, instrument: Instrument) -> list[Flag]:
    if payload.started_at is None or payload.ended_at is None:
        return []
    taken = payload.ended_at - payload.started_at
    least = max(MIN_VISIT, timedelta(seconds=SECONDS_PER_ITEM * sum(1 for _ in instrument.items())))
    if taken >= least:
        return []
    return [Flag("too_short", {"taken": taken.total_seconds() / 60, "least": least.total_seconds() / 60})]


def _comment_flags(payload: VisitPayload, instrument: Instrument) -> list[Flag]:
    flags = []
    for _, item in instrument.items():
        answer = payload.answers.get(item.id)
        if answer is None or not answer.comment or answer.na or answer.value is None:
            continue
        score = _share_of_scale(item, answer.value)
        if score is None:
            continue
        comment, quoted = answer.comment.lower(), {"comment": _excerpt(answer.comment)}
        if score >= 0.75 and NEGATIVE.search(comment):
            flags.append(Flag("contradicting_comment", quoted, kind="high", item=item.id))
        elif score <= 0.25 and POSITIVE.search(comment) and not NEGATIVE.search(comment):
            flags.append(Flag("contradicting_comment", quoted, kind="low", item=item.id))
    return flags


def _excerpt(text: str, limit: int = 80) -> str:
    """The comment's start, cut between words and marked with an ellipsis when it goes on."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,.;:") + " …"


def _share_of_scale(item: object, value: object) -> float | None:
    """Where the answer lies between the scale's ends, 0 to 1; None for items without a good–bad direction."""
    if isinstance(item, RatingItem) and isinstance(value, int) and not isinstance(value, bool):
        return (value - item.scale.min) / (item.scale.max - item.scale.min)
    if isinstance(item, YesNoItem) and isinstance(value, bool):
        return 1.0 if value else 0.0
    return None


def _position_flags(payload: VisitPayload, context: VisitContext) -> list[Flag]:
    position = payload.position
    if position is None or not context.unit_is_site or context.unit_latitude is None or context.unit_longitude is None:
        return []
    distance = distance_m(position.latitude, position.longitude, context.unit_latitude, context.unit_longitude)
    # Only the part of the distance the phone's own uncertainty cannot explain counts.
    if distance - position.accuracy_m <= FAR_FROM_UNIT_M:
        return []
    return [Flag("far_from_unit", {"km": distance / 1000, "accuracy": round(position.accuracy_m)})]


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))
