"""The demo's visits awaiting review as payloads: valid as a phone's, the same answers the generator made, and the
few twists raising exactly the review flags they are there to show."""

from __future__ import annotations

from collections import Counter

from servicescore.definitions import Instrument, load_instruments
from servicescore.demo.responses import generate
from servicescore.demo.visit_payloads import PlannedVisit, is_held, plan_twists, plan_visit
from servicescore.demo.world import ORGANISATIONS
from servicescore.formats import clock
from servicescore.settings import CHECKOUT_DIR
from servicescore.visits.answers import answer_rows
from servicescore.visits.flags import VisitContext, review_flags
from servicescore.visits.validation import check_visit

INSTRUMENTS: dict[str, Instrument] = {i.id: i for i in load_instruments(CHECKOUT_DIR / "surveys")}
UNITS = {(org.slug, unit.slug): unit for org in ORGANISATIONS for unit in org.units}


def planned() -> list[PlannedVisit]:
    held = [response for response in generate(INSTRUMENTS) if is_held(response, INSTRUMENTS)]
    twists = plan_twists(held, INSTRUMENTS)
    return [
        plan_visit(r, INSTRUMENTS[r.instrument], UNITS[(r.organisation, r.unit)], twists.get(str(r.id))) for r in held
    ]


def flags_of(visit: PlannedVisit) -> list[str]:
    unit = UNITS[(visit.response.organisation, visit.response.unit)]
    context = VisitContext(visit.window.start, visit.window.end, unit.latitude, unit.longitude, unit.kind == "site")
    return [flag.code for flag in review_flags(visit.payload, INSTRUMENTS[visit.response.instrument], context)]


def test_held_visits_are_valid_payloads_with_the_generated_answers() -> None:
    visits = planned()
    assert Counter(v.response.status for v in visits) == {"submitted": 20, "returned": 8}
    for visit in visits:
        payload, response = visit.payload, visit.response
        assert check_visit(payload, INSTRUMENTS[response.instrument], payload.ended_at) == []  # type: ignore[arg-type]
        rows = {(row.item, row.value, row.na) for row in answer_rows(payload)}
        assert rows == {(a.item, a.value, a.na) for a in response.answers}
        assert payload.started_at == response.started_at
        if UNITS[(response.organisation, response.unit)].kind == "site":
            assert payload.position is not None
        else:
            assert payload.position is None  # a call centre is scored by phone, from anywhere
    assert [v.payload for v in visits] == [v.payload for v in planned()], "the same on every run"


def test_each_twist_raises_its_flag_and_only_twisted_visits_are_flagged() -> None:
    flagged = {visit.twist: flags_of(visit) for visit in planned() if flags_of(visit)}
    assert flagged == {
        "contradicting_comment": ["contradicting_comment"],
        "too_short": ["too_short"],
        "far_from_unit": ["far_from_unit"],
        "outside_window": ["outside_window", "outside_window"],  # both the start and the end lie after the window
    }


def test_the_windows_open_and_close_at_midnight_in_stockholm() -> None:
    # The shopper read "9 juli 2026, 02:00 – 23 juli 2026, 02:00": UTC midnights shown in Stockholm's time.
    ends = {(clock(v.window.start, "sv"), clock(v.window.end, "sv")) for v in planned()}
    assert ends == {("00:00", "00:00")}
