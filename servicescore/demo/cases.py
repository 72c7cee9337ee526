"""Demo follow-up cases: visitors at Zorngården and Carl Larssons gård who said yes to contact after a low score.

Chosen from the generated responses of the last wave (the rule of the visitor survey decides, as it would live),
so the case pages show something: some closed in good time, one contacted, the rest overdue. Fixed times and made-up
contact details (phone numbers from the series PTS keeps for fiction, e-mail at example.se) keep it the same on
every machine and nobody's real.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from servicescore.collections.answers import StoredAnswer
from servicescore.collections.contact import case_wanted
from servicescore.definitions import Instrument
from servicescore.demo.responses import DemoResponse
from servicescore.demo.world import WAVES

INSTRUMENT = "visitor-survey"
# How many cases each organisation gets, and what has happened to them (in the order the responses came in).
PLAN: dict[str, tuple[str, ...]] = {
    "zorngarden": ("closed", "open"),
    "carl-larssons-gard": ("closed", "closed", "contacted", "open", "open"),
}
# Hours from the response to first contact and to closing, per case in PLAN order (closing only when closed).
HOURS: tuple[tuple[float, float], ...] = ((2.5, 26.0), (20.0, 52.0), (30.0, 75.5), (44.0, 0.0), (0.0, 0.0))
PEOPLE: tuple[tuple[str, str, str], ...] = (
    ("Anna Lindqvist", "anna.lindqvist@example.se", "070-174 06 05"),
    ("Erik Holm", "", "070-174 06 12"),
    ("Maja Berg", "maja.berg@example.se", ""),
    ("Johan Ek", "johan.ek@example.se", "070-174 06 31"),
    ("Sara Nyström", "sara.nystrom@example.se", "070-174 06 47"),
    ("Olle Dahl", "olle.dahl@example.se", "070-174 06 58"),
    ("Lena Sjöberg", "", "070-174 06 73"),
)
NOTES = {
    "closed": (
        "Ringde upp och bad om ursäkt. Guiden var ny; vi har gått igenom visningen med henne. Bjöd på ett nytt besök."
    ),
    "contacted": "Mejlade och fick svar: kön i entrén var för lång. Återkommer när vi ändrat bemanningen.",
}


@dataclass(frozen=True)
class DemoCase:
    response_id: uuid.UUID
    organisation: str
    status: str  # open | contacted | closed
    opened_at: datetime
    due_at: datetime
    first_contact_at: datetime | None
    closed_at: datetime | None
    name: str
    email: str
    phone: str
    note: str


def _stored(response: DemoResponse) -> dict[str, StoredAnswer]:
    return {a.item: StoredAnswer(value=a.value, na=a.na, text=a.text) for a in response.answers}


def demo_cases(responses: Iterable[DemoResponse], instruments: Mapping[str, Instrument]) -> list[DemoCase]:
    """The demo's cases, from the last wave's complete visitor surveys that the survey's own rule would follow up."""
    instrument = instruments.get(INSTRUMENT)
    if instrument is None or instrument.follow_up is None:
        return []
    due = timedelta(hours=instrument.follow_up.due_hours)
    last_wave = WAVES[-1][0]
    candidates: dict[str, list[DemoResponse]] = {org: [] for org in PLAN}
    for response in responses:
        if (
            response.instrument == INSTRUMENT
            and response.wave == last_wave
            and response.organisation in PLAN
            and response.status == "complete"
            and response.submitted_at is not None
            and case_wanted(instrument, _stored(response))
        ):
            candidates[response.organisation].append(response)
    made: list[DemoCase] = []
    for organisation, plan in PLAN.items():
        chosen = sorted(candidates[organisation], key=lambda r: (r.submitted_at, str(r.id)))[: len(plan)]
        for (status, (contact_h, close_h)), response in zip(zip(plan, HOURS, strict=False), chosen, strict=False):
            opened = response.submitted_at
            assert opened is not None
            name, email, phone = PEOPLE[len(made) % len(PEOPLE)]
            made.append(
                DemoCase(
                    response_id=response.id,
                    organisation=organisation,
                    status=status,
                    opened_at=opened,
                    due_at=opened + due,
                    first_contact_at=opened + timedelta(hours=contact_h) if status != "open" else None,
                    closed_at=opened + timedelta(hours=close_h) if status == "closed" else None,
                    name=name,
                    email=email,
                    phone=phone,
                    note=NOTES.get(status, ""),
                )
            )
    return made
