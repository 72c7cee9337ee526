"""Storing the demo's visits awaiting review as the demo shopper's, through the same path a phone's sync takes.

Each held visit gets an assignment (the shopper, the visit's unit and scorecard, a window around the visit) and is
then sent with ``db.visits.sync_visit``, so its response row, answers and the ``visit.saved`` audit event with the
whole payload are exactly what a real visit leaves; a returned one is then sent back with ``review_visit`` and the
consultant's comment. Approved visits stay plain results: they count the same without an assignment, and giving
them one each would fill the shopper's list with hundreds of finished visits at the same units wave after wave.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from piccolo.engine.base import Engine

from servicescore.db.instruments import sync_instruments
from servicescore.db.keys import row_id
from servicescore.db.tables import Assignment, Unit, User, Wave
from servicescore.db.visits import review_visit, sync_visit
from servicescore.definitions import Instrument
from servicescore.demo.responses import generate
from servicescore.demo.visit_payloads import RETURN_COMMENTS, SCENARIOS, is_held, plan_twists, plan_visit
from servicescore.demo.world import ORGANISATIONS
from servicescore.visits.content import content_sha256

# Piccolo adds the ``id`` primary keys at class creation, where the type checker cannot see them.
user_key, unit_key, wave_key = User._meta.primary_key, Unit._meta.primary_key, Wave._meta.primary_key
# The consultant reads a returned visit a little after it came in, not in the same second.
REVIEWED_AFTER = timedelta(hours=20)


async def seed_held_visits(engine: Engine[Any], instruments: Mapping[str, Instrument], *, shopper_id: int) -> int:
    """Store every generated visit still with the consultant as the shopper's (returns how many). A returned visit
    needs a consultant to have returned it; without one it is left out."""
    consultant = await User.select(user_key).where(User.role == "consultant").order_by(user_key).first()
    held = [response for response in generate(instruments) if is_held(response, instruments)]
    twists = plan_twists(held, instruments)
    units = {
        (row["org"], row["slug"]): row["id"]
        for row in await Unit.select(unit_key, Unit.slug, Unit.organisation.slug.as_alias("org"))
    }
    waves = {row["key"]: row["id"] for row in await Wave.select(wave_key, Wave.key)}
    versions = await sync_instruments(instruments[key] for key in dict.fromkeys(r.instrument for r in held))
    specs = {(org.slug, unit.slug): unit for org in ORGANISATIONS for unit in org.units}
    stored = 0
    for response in held:
        where = (response.organisation, response.unit)
        if where not in units or response.wave not in waves or (response.status == "returned" and consultant is None):
            continue  # a trimmed world: store what fits it
        plan = plan_visit(response, instruments[response.instrument], specs[where], twists.get(str(response.id)))
        assignment = Assignment(
            shopper=shopper_id,
            unit=units[where],
            instrument_version=versions[response.instrument],
            wave=waves[response.wave],
            scenario=SCENARIOS[response.instrument],
            window_start=plan.window.start,
            window_end=plan.window.end,
            status="due",
        )
        await assignment.save()
        payload = plan.for_assignment(row_id(assignment))
        sent = payload.ended_at
        assert sent is not None  # a submitted payload always has its end
        await sync_visit(engine, response.id, payload, content_sha256(payload), shopper_id=shopper_id, now=sent,
                         stored_photo=lambda _sha: None)  # fmt: skip
        if response.status == "returned" and consultant is not None:
            comment = RETURN_COMMENTS[stored % len(RETURN_COMMENTS)]
            await review_visit(engine, response.id, "return", consultant_id=consultant["id"], comment=comment,
                               now=sent + REVIEWED_AFTER)  # fmt: skip
        stored += 1
    return stored
