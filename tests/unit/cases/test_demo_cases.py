"""The demo's follow-up cases: chosen by the visitor survey's own rule, the same on every run, nobody real."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from servicescore.collections.answers import StoredAnswer
from servicescore.collections.contact import case_wanted
from servicescore.definitions import load_instruments
from servicescore.demo.cases import PLAN, demo_cases
from servicescore.demo.responses import generate
from servicescore.settings import CHECKOUT_DIR


def test_demo_cases_follow_the_rule_and_are_deterministic() -> None:
    instruments = {i.id: i for i in load_instruments(CHECKOUT_DIR / "surveys")}
    responses = {r.id: r for r in generate(instruments) if r.instrument == "visitor-survey"}
    made = demo_cases(responses.values(), instruments)
    assert made == demo_cases(generate(instruments), instruments)
    assert Counter(case.organisation for case in made) == {"zorngarden": 2, "carl-larssons-gard": 5}
    assert [case.status for case in made] == [*PLAN["zorngarden"], *PLAN["carl-larssons-gard"]]
    survey = instruments["visitor-survey"]
    for case in made:
        response = responses[case.response_id]
        answers = {a.item: StoredAnswer(a.value, a.na, a.text) for a in response.answers}
        assert case_wanted(survey, answers), "a demo case is one the survey's rule would open"
        assert case.opened_at == response.submitted_at
        assert case.due_at - case.opened_at == timedelta(hours=48)
        assert case.email.endswith("@example.se") or case.phone.startswith("070-174 06")
    now = datetime(2026, 11, 22, tzinfo=UTC)
    overdue = [c for c in made if c.first_contact_at is None and c.closed_at is None and c.due_at < now]
    assert len(overdue) == 3
    closed = [c for c in made if c.status == "closed"]
    assert len(closed) == 3
    assert all(c.first_contact_at and c.closed_at and c.opened_at < c.first_contact_at < c.closed_at for c in closed)
    assert len({case.response_id for case in made}) == len(made)
