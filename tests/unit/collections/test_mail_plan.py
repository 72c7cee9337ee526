"""The mail round's decisions (collections.mail_plan), alone and as a property over random histories.

The property test runs the decisions the way ``mail.round`` does (plan and record, then check and deliver each due
message, recording the outcome at once) over random sequences of invite, remind, complete, opt-out, bounce, resend
and crash-and-rerun events, against a mail server that may be busy or down, and checks that nothing is ever sent to
a contact who completed, opted out or bounced, that no (contact, step) is sent twice, and that the frequency rule
holds across the organisation's collections.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from servicescore.collections.mail_plan import (
    MAX_ATTEMPTS,
    ContactState,
    Decision,
    Schedule,
    StepRecord,
    plan,
    retry_delay,
    skip_reason,
)

START = datetime(2026, 12, 7, 9, tzinfo=UTC)
SCHEDULE = Schedule(START, (3, 7), START + timedelta(days=20))
FREQUENCY = 30


def test_an_invitation_then_reminders_on_their_days() -> None:
    assert plan(ContactState(), SCHEDULE, FREQUENCY, START - timedelta(minutes=1)) == []
    assert plan(ContactState(), SCHEDULE, FREQUENCY, START) == [Decision(0, "pending")]
    invited = ContactState(steps={0: StepRecord("sent", START)})
    assert plan(invited, SCHEDULE, FREQUENCY, START + timedelta(days=2, hours=23)) == []
    assert plan(invited, SCHEDULE, FREQUENCY, START + timedelta(days=3)) == [Decision(1, "pending")]
    reminded = ContactState(steps={0: StepRecord("sent", START), 1: StepRecord("sent", START + timedelta(days=3))})
    assert plan(reminded, SCHEDULE, FREQUENCY, START + timedelta(days=7)) == [Decision(2, "pending")]
    assert plan(invited, SCHEDULE, FREQUENCY, START + timedelta(days=8)) == [
        Decision(1, "skipped", "superseded"),
        Decision(2, "pending"),
    ]


def test_completed_opted_out_bounced_and_closed_get_nothing() -> None:
    for stopped in (ContactState(completed=True), ContactState(opted_out=True), ContactState(bounced=True)):
        assert plan(stopped, SCHEDULE, FREQUENCY, START) == []
    assert plan(ContactState(), SCHEDULE, FREQUENCY, SCHEDULE.closes_at) == []
    assert skip_reason(ContactState(completed=True), 1, SCHEDULE, FREQUENCY, START) == "completed"
    assert skip_reason(ContactState(), 0, SCHEDULE, FREQUENCY, SCHEDULE.closes_at) == "closed"
    later = ContactState(steps={0: StepRecord("sent", START), 1: StepRecord("pending"), 2: StepRecord("pending")})
    assert skip_reason(later, 1, SCHEDULE, FREQUENCY, START) == "superseded"


def test_the_frequency_rule_skips_an_address_invited_recently_elsewhere() -> None:
    recent = ContactState(invited_elsewhere_at=START - timedelta(days=FREQUENCY - 1))
    assert plan(recent, SCHEDULE, FREQUENCY, START) == [Decision(0, "skipped", "recently_invited")]
    long_ago = ContactState(invited_elsewhere_at=START - timedelta(days=FREQUENCY))
    assert plan(long_ago, SCHEDULE, FREQUENCY, START) == [Decision(0, "pending")]
    # planned in the same round as another collection's invitation, which went out first
    assert skip_reason(recent, 0, SCHEDULE, FREQUENCY, START) == "recently_invited"


def test_retries_back_off_to_six_hours() -> None:
    delays = [retry_delay(n) for n in range(1, 9)]
    assert [d.total_seconds() / 60 for d in delays] == [5, 10, 20, 40, 80, 160, 320, 360]


# A model of the database and the mail round, as mail.round runs it.
ADDRESSES = ("anna", "bo", "cilla")


@dataclass
class Record:
    status: str
    sent_at: datetime | None = None
    attempts: int = 0
    next_try: datetime = START


@dataclass
class World:
    now: datetime = START
    # (collection, address); collection 1 opens now, collection 2 of the same organisation ten days later
    contacts: list[tuple[int, str]] = field(default_factory=lambda: [(1, address) for address in ADDRESSES])
    completed: set[tuple[int, str]] = field(default_factory=set)
    opted_out: set[str] = field(default_factory=set)
    bounced: set[str] = field(default_factory=set)
    records: dict[tuple[int, int], Record] = field(default_factory=dict)  # (contact index, step)
    deliveries: list[tuple[int, int, datetime]] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    def schedule(self, contact: int) -> Schedule:
        collection = self.contacts[contact][0]
        return SCHEDULE if collection == 1 else Schedule(START + timedelta(days=10), (3, 7), START + timedelta(days=30))

    def state(self, contact: int) -> ContactState:
        collection, address = self.contacts[contact]
        elsewhere = [
            record.sent_at
            for (other, step), record in self.records.items()
            if step == 0 and record.status == "sent" and record.sent_at is not None
            and self.contacts[other][1] == address and self.contacts[other][0] != collection
        ]  # fmt: skip
        return ContactState(
            completed=(collection, address) in self.completed,
            opted_out=address in self.opted_out,
            bounced=address in self.bounced,
            steps={step: StepRecord(r.status, r.sent_at) for (c, step), r in self.records.items() if c == contact},  # type: ignore[arg-type]
            invited_elsewhere_at=max(elsewhere, default=None),
        )

    def run_round(self, server: str, crash_after: int | None) -> None:
        for contact in range(len(self.contacts)):
            for decision in plan(self.state(contact), self.schedule(contact), FREQUENCY, self.now):
                self.records.setdefault((contact, decision.step), Record(decision.status, next_try=self.now))
        due = sorted(key for key, r in self.records.items() if r.status == "pending" and r.next_try <= self.now)
        for number, (contact, step) in enumerate(due):
            if crash_after is not None and number == crash_after:
                return  # killed: what was recorded stays, the rest waits for the next round
            record = self.records[(contact, step)]
            if skip_reason(self.state(contact), step, self.schedule(contact), FREQUENCY, self.now) is not None:
                record.status = "skipped"
                continue
            if server == "ok":
                self.check_delivery(contact, step)
                record.status, record.sent_at = "sent", self.now
            else:
                record.attempts += 1
                record.status = "failed" if record.attempts >= MAX_ATTEMPTS else "pending"
                record.next_try = self.now + retry_delay(record.attempts)

    def check_delivery(self, contact: int, step: int) -> None:
        collection, address = self.contacts[contact]
        if any(c == contact and s == step for c, s, _ in self.deliveries):
            self.violations.append(f"contact {contact} step {step} sent twice")
        if (collection, address) in self.completed or address in self.opted_out or address in self.bounced:
            self.violations.append(f"contact {contact} step {step} sent after it completed, opted out or bounced")
        if step == 0:
            for other, other_step, at in self.deliveries:
                if other_step == 0 and self.contacts[other][1] == address and self.now - at < timedelta(FREQUENCY):
                    self.violations.append(f"{address} invited twice within {FREQUENCY} days")
        self.deliveries.append((contact, step, self.now))


events = st.one_of(
    st.tuples(st.just("invite"), st.just(2), st.sampled_from(ADDRESSES)),
    st.tuples(st.just("advance"), st.sampled_from((0.01, 0.5, 1, 3, 4, 8)), st.none()),
    st.tuples(st.just("round"), st.sampled_from(("ok", "busy", "down")), st.none()),
    st.tuples(st.just("crash"), st.integers(0, 3), st.none()),
    st.tuples(st.just("resend"), st.none(), st.none()),
    st.tuples(st.just("complete"), st.integers(0, 5), st.none()),
    st.tuples(st.just("opt_out"), st.sampled_from(ADDRESSES), st.none()),
    st.tuples(st.just("bounce"), st.sampled_from(ADDRESSES), st.none()),
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(events, max_size=40))
def test_no_mail_after_a_stop_and_none_twice(history: list[tuple[str, object, object]]) -> None:
    world = World()
    for kind, first, second in history:
        if kind == "invite" and (first, second) not in world.contacts:  # one contact per address and collection
            world.contacts.append((first, second))  # type: ignore[arg-type]
        elif kind == "advance":
            world.now += timedelta(days=first)  # type: ignore[arg-type]
        elif kind in ("round", "resend"):
            world.run_round(str(first or "ok"), None)
        elif kind == "crash":
            world.run_round("ok", first)  # type: ignore[arg-type]
            world.run_round("ok", None)  # rerun at once
        elif kind == "complete" and isinstance(first, int) and first < len(world.contacts):
            world.completed.add(world.contacts[first])
        elif kind == "opt_out":
            world.opted_out.add(str(first))
        elif kind == "bounce":
            world.bounced.add(str(first))
    assert world.violations == []
    sent = {(c, s) for c, s, _ in world.deliveries}
    assert len(sent) == len(world.deliveries)
