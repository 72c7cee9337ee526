"""The sync protocol as a state machine (hypothesis): any interleaving of sends, resends, edits, conflicting
sends, submissions and lost replies leaves each visit stored exactly once, with the first content confirmed for
each revision, and answers 201/200/409 exactly as the contract says."""

from __future__ import annotations

import asyncio
import itertools
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from servicescore.accounts.users import create_account
from servicescore.db.engine import Engine
from servicescore.db.instruments import sync_instruments
from servicescore.db.lifecycle import start_database, stop_database
from servicescore.db.tables import Answer, Assignment, AuditEvent, Organisation, Response, Unit, Wave
from servicescore.db.visits import sync_visit
from servicescore.definitions import load_instruments
from servicescore.identity import Role
from servicescore.settings import Settings
from servicescore.visits.content import content_sha256
from servicescore.visits.payload import VisitPayload
from servicescore.visits.sync import Outcome
from tests.support.answer_rows import of_response
from tests.support.visits_world import guided_tour_answers

NOW = datetime.now(UTC).replace(microsecond=0)


@dataclass
class Shared:
    loop: asyncio.AbstractEventLoop
    engine: Engine  # type: ignore[type-arg]
    shopper_id: int
    unit_id: int
    version_id: int
    wave_id: int
    days: Iterator[int] = field(default_factory=itertools.count)

    def run(self, coroutine: Any) -> Any:
        return self.loop.run_until_complete(coroutine)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shared]:
    loop = asyncio.new_event_loop()
    folder = tmp_path_factory.mktemp("stateful")
    config = Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'db.sqlite3'}")

    async def setup() -> Shared:
        engine = await start_database(config)
        organisation = Organisation(slug="carl-larssons-gard", name="Carl Larssons gård")
        await organisation.save()
        unit = Unit(organisation=organisation.id, slug="lilla-hyttnas", name="Lilla Hyttnäs")
        await unit.save()
        shopper = await create_account("shopper", "correct horse battery", Role.shopper)
        definitions = [d for d in load_instruments(config.surveys_dir) if d.id == "guided-tour"]
        versions = await sync_instruments(definitions)
        wave = Wave(key="2026-Q4")
        await wave.save()
        return Shared(loop, engine, shopper.id, unit.id, versions["guided-tour"], wave.id)

    state = loop.run_until_complete(setup())
    yield state
    loop.run_until_complete(stop_database(state.engine))
    loop.close()


@dataclass
class PhoneVisit:
    """What the phone holds for one visit, and what the model says the server holds."""

    id: uuid.UUID
    assignment_id: int
    revision: int = 1
    status: str = "draft"
    pace: int = 3
    sent: dict[int, str] = field(default_factory=dict)  # revision → content hash the phone sent with it
    # the model of the server: revision → the hash it accepted first; and the visit's status there
    server: dict[int, str] = field(default_factory=dict)
    server_status: str = ""
    confirmed: dict[int, str] = field(default_factory=dict)  # what the phone saw confirmed

    def payload(self) -> VisitPayload:
        answers = guided_tour_answers() if self.status == "submitted" else {}
        answers["pace"] = {"value": self.pace}
        return VisitPayload.model_validate(
            {
                "assignment_id": self.assignment_id,
                "revision": self.revision,
                "status": self.status,
                "started_at": (NOW - timedelta(hours=1)).isoformat(),
                "ended_at": (NOW - timedelta(minutes=5)).isoformat(),
                "answers": answers,
            }
        )

    def expected(self, revision: int, sha: str) -> Outcome:
        """The contract, written out independently of servicescore.visits.sync."""
        if not self.server:
            return Outcome.created
        top = max(self.server)
        if revision <= top:
            return Outcome.unchanged if self.server.get(revision) == sha else Outcome.conflict
        return Outcome.updated if self.server_status in {"draft", "returned"} else Outcome.conflict


class SyncProtocol(RuleBasedStateMachine):
    shared: Shared

    def __init__(self) -> None:
        super().__init__()
        self.visits: list[PhoneVisit] = []

    visits_bundle = Bundle("visits")

    @rule(target=visits_bundle)
    def new_visit(self) -> PhoneVisit:
        day = next(self.shared.days)

        async def assign() -> int:
            start = NOW - timedelta(days=3650 - day * 2)
            row = Assignment(
                shopper=self.shared.shopper_id, unit=self.shared.unit_id, instrument_version=self.shared.version_id,
                wave=self.shared.wave_id, window_start=start, window_end=start + timedelta(days=1),
            )  # fmt: skip
            await row.save()
            return int(row.id)

        visit = PhoneVisit(uuid.uuid4(), self.shared.run(assign()))
        self.visits.append(visit)
        return visit

    def _send(self, visit: PhoneVisit, payload: VisitPayload, *, lost_reply: bool) -> None:
        sha = content_sha256(payload)
        expected = visit.expected(payload.revision, sha)
        result = self.shared.run(
            sync_visit(
                self.shared.engine, visit.id, payload, sha,
                shopper_id=self.shared.shopper_id, now=datetime.now(UTC), stored_photo=lambda _: None,
            )
        )  # fmt: skip
        assert result.decision.outcome is expected, (result.decision, payload.revision, visit)
        if expected in {Outcome.created, Outcome.updated}:
            visit.server[payload.revision] = sha
            visit.server_status = payload.status
        visit.sent.setdefault(payload.revision, sha)
        if not lost_reply and result.decision.outcome is not Outcome.conflict:
            visit.confirmed[payload.revision] = sha  # the phone may now mark this revision synced

    @rule(visit=visits_bundle, lost_reply=st.booleans())
    def send(self, visit: PhoneVisit, lost_reply: bool) -> None:
        self._send(visit, visit.payload(), lost_reply=lost_reply)

    @rule(visit=visits_bundle, pace=st.integers(1, 5))
    def edit(self, visit: PhoneVisit, pace: int) -> None:
        """The shopper changes an answer: once a revision has left the phone, the change is a new revision."""
        if visit.status == "submitted":
            return
        if visit.revision in visit.sent:
            visit.revision += 1
        visit.pace = pace

    @rule(visit=visits_bundle)
    def submit(self, visit: PhoneVisit) -> None:
        if visit.revision in visit.sent:
            visit.revision += 1
        visit.status = "submitted"

    @rule(visit=visits_bundle, data=st.data())
    def resend_an_old_revision(self, visit: PhoneVisit, data: st.DataObject) -> None:
        """A delayed duplicate of something sent before arrives again."""
        if not visit.sent:
            return
        revision = data.draw(st.sampled_from(sorted(visit.sent)))
        payload = self._payload_with_hash(visit, revision, visit.sent[revision])
        if payload is not None:
            self._send(visit, payload, lost_reply=False)

    def _payload_with_hash(self, visit: PhoneVisit, revision: int, sha: str) -> VisitPayload | None:
        for status, pace in itertools.product(("draft", "submitted"), range(1, 6)):
            probe = PhoneVisit(visit.id, visit.assignment_id, revision=revision, status=status, pace=pace).payload()
            if content_sha256(probe) == sha:
                return probe
        return None

    @rule(visit=visits_bundle, pace=st.integers(1, 5))
    def conflicting_send(self, visit: PhoneVisit, pace: int) -> None:
        """Another content under a revision the server already has (a second device, a bug): refused."""
        if not visit.server:
            return
        revision = max(visit.server)
        probe = PhoneVisit(visit.id, visit.assignment_id, revision=revision, status="draft", pace=pace).payload()
        self._send(visit, probe, lost_reply=False)

    @invariant()
    def stored_exactly_once_with_the_first_confirmed_content(self) -> None:
        async def check() -> None:
            for visit in self.visits:
                rows = await Response.select(Response.content_sha256, Response.status).where(Response.id == visit.id)
                if not visit.server:
                    assert rows == []
                    continue
                assert len(rows) == 1
                assert rows[0]["content_sha256"] == visit.server[max(visit.server)]
                assert rows[0]["status"] == visit.server_status
                saves = await AuditEvent.count().where(
                    (AuditEvent.object_id == str(visit.id)) & (AuditEvent.action == "visit.saved")
                )
                assert saves == len(visit.server)
                history = await AuditEvent.select(AuditEvent.detail).where(
                    (AuditEvent.object_id == str(visit.id)) & (AuditEvent.action == "visit.saved")
                )
                stored = {}
                for event in history:
                    detail = json.loads(event["detail"]) if isinstance(event["detail"], str) else event["detail"]
                    stored[detail["revision"]] = detail["sha256"]
                for revision, sha in visit.confirmed.items():
                    assert stored[revision] == sha, "a confirmed revision must keep its first content"
                pace = await Answer.select(Answer.value).where((of_response(visit.id)) & (Answer.item == "pace"))
                assert len(pace) == 1

        self.shared.run(check())


def test_sync_protocol(shared: Shared) -> None:
    SyncProtocol.shared = shared
    machine = SyncProtocol.TestCase
    machine.settings = settings(
        max_examples=30, stateful_step_count=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    machine().runTest()
