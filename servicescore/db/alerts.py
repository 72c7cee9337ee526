"""What alerts are due and the addresses they go to: new follow-up cases (to the organisation's case owner), cases
still open past their due time (to its escalation address), returned visits and new assignments (to the shopper).
An alert is noticed from the data itself, so nothing else has to remember to send it, and recorded once per (kind,
object) before it is sent (``db.mail.claim_next``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from piccolo.engine.base import Engine

from servicescore.db.engine import write_transaction
from servicescore.db.mail import CLAIM, UNCONFIRMED, claim_next
from servicescore.db.tables import Alert, Assignment, Case, Organisation, Response, User

alert_key = Alert._meta.primary_key


@dataclass(frozen=True, slots=True)
class Notice:
    """Something to tell someone: the facts an alert's text is made of."""

    kind: str  # case | escalation | returned | assignment
    object_key: str
    recipient: str
    language: str
    facts: dict[str, Any]


async def _known(kind: str) -> set[str]:
    return {row["object_key"] for row in await Alert.select(Alert.object_key).where(Alert.kind == kind)}


async def _cases(now: datetime) -> list[Notice]:
    known = await _known("case")
    rows = await Case.select(
        Case._meta.primary_key, Case.due_at, Case.organisation._.name.as_alias("organisation"),
        Case.organisation._.case_owner_email.as_alias("recipient"),
    ).where((Case.status == "open") & (Case.due_at > now) & (Case.organisation._.case_owner_email != ""))  # fmt: skip
    return [
        Notice(
            "case",
            str(row["id"]),
            row["recipient"],
            "sv",
            {"case": row["id"], "organisation": row["organisation"], "due_at": row["due_at"]},
        )
        for row in rows
        if str(row["id"]) not in known
    ]


async def _escalations(now: datetime) -> list[Notice]:
    """Cases still open (nobody contacted the customer) past their due time, to the organisation's second address."""
    known = await _known("escalation")
    rows = await Case.select(
        Case._meta.primary_key, Case.due_at, Case.organisation._.name.as_alias("organisation"),
        Case.organisation._.escalation_email.as_alias("recipient"),
    ).where(
        (Case.status == "open") & (Case.due_at <= now) & (Case.organisation._.escalation_email != "")
    )  # fmt: skip
    return [
        Notice("escalation", str(row["id"]), row["recipient"], "sv",
               {"case": row["id"], "organisation": row["organisation"], "due_at": row["due_at"]})
        for row in rows
        if str(row["id"]) not in known
    ]  # fmt: skip


async def _returned() -> list[Notice]:
    known = await _known("returned")
    assignment = Response.assignment
    rows = await Response.select(
        Response.id, Response.updated_at, assignment.as_alias("assignment"),
        assignment._.shopper._.email.as_alias("recipient"), assignment._.shopper._.language.as_alias("language"),
        assignment._.shopper._.display_name.as_alias("name"), assignment._.shopper._.username.as_alias("username"),
        assignment._.unit._.name.as_alias("unit"),
        assignment._.unit._.organisation._.name.as_alias("organisation"),
    ).where(
        (Response.status == "returned") & Response.assignment.is_not_null() & (assignment._.shopper._.email != "")
    )  # fmt: skip
    notices = []
    for row in rows:
        key = f"{row['id']}@{row['updated_at'].timestamp():.0f}"  # returned again after a new submission: new key
        if key not in known:
            facts = {k: row[k] for k in ("assignment", "unit", "organisation")} | {
                "name": row["name"] or row["username"]
            }
            notices.append(Notice("returned", key, row["recipient"], row["language"], facts))
    return notices


async def _assignments(now: datetime) -> list[Notice]:
    known = await _known("assignment")
    rows = await Assignment.select(
        Assignment._meta.primary_key, Assignment.scenario, Assignment.window_start, Assignment.window_end,
        Assignment.shopper._.email.as_alias("recipient"), Assignment.shopper._.language.as_alias("language"),
        Assignment.shopper._.display_name.as_alias("name"), Assignment.shopper._.username.as_alias("username"),
        Assignment.unit._.name.as_alias("unit"),
        Assignment.unit._.organisation._.name.as_alias("organisation"),
        Assignment.instrument_version._.definition.as_alias("definition"),
    ).where(
        (Assignment.status == "due") & (Assignment.window_end > now) & (Assignment.shopper._.email != "")
    )  # fmt: skip
    notices = []
    for row in rows:
        if str(row["id"]) in known:
            continue
        definition = row.pop("definition")
        facts = {**{k: row[k] for k in ("scenario", "window_start", "window_end", "unit", "organisation")},
                 "assignment": row["id"], "name": row["name"] or row["username"],
                 "definition": definition if isinstance(definition, str) else json.dumps(definition)}  # fmt: skip
        notices.append(Notice("assignment", str(row["id"]), row["recipient"], row["language"], facts))
    return notices


async def due_notices(now: datetime) -> list[Notice]:
    """Every alert not yet recorded, in a stable order."""
    notices = [*await _cases(now), *await _escalations(now), *await _returned(), *await _assignments(now)]
    return sorted(notices, key=lambda notice: (notice.kind, notice.object_key))


@dataclass(frozen=True, slots=True)
class NewAlert:
    notice: Notice
    subject: str
    body: str
    message_id: str


async def record_alerts(engine: Engine[Any], alerts: Sequence[NewAlert], now: datetime) -> int:
    recorded = 0
    async with write_transaction(engine):
        for alert in alerts:
            notice = alert.notice
            if await Alert.exists().where((Alert.kind == notice.kind) & (Alert.object_key == notice.object_key)):
                continue
            await Alert(kind=notice.kind, object_key=notice.object_key, recipient=notice.recipient,
                        language=notice.language, subject=alert.subject, body=alert.body,
                        message_id=alert.message_id, next_try_at=now, created_at=now).save()  # fmt: skip
            recorded += 1
    return recorded


@dataclass(frozen=True, slots=True)
class DueAlert:
    id: int
    recipient: str
    language: str
    subject: str
    body: str
    message_id: str
    attempts: int


async def claim_alert(engine: Engine[Any], now: datetime) -> DueAlert | None:
    claimed = await claim_next(engine, Alert, now)
    if claimed is None:
        return None
    row = (
        await Alert.select(
            alert_key, Alert.recipient, Alert.language, Alert.subject, Alert.body, Alert.message_id, Alert.attempts
        )
        .where(alert_key == claimed)
        .first()
    )
    assert row is not None
    return DueAlert(**row)


async def mark_alert_sending(engine: Engine[Any], alert: int, now: datetime) -> bool:
    """Mark the claimed ``alert`` as being handed to the server (the server holds it all but its final dot), so that
    no later round sends it again whatever happens next; False when it is no longer pending."""
    async with write_transaction(engine):
        marked = (
            await Alert.update({Alert.status: "sending", Alert.claimed_until: now + CLAIM})
            .where((alert_key == alert) & (Alert.status == "pending"))
            .returning(alert_key)
        )
    return bool(marked)


async def settle_abandoned_alerts(engine: Engine[Any], now: datetime) -> int:
    """Alerts left sending by a round that died are recorded as sent, unconfirmed (as messages are: the server had
    the whole alert before the mark was committed). How many."""
    async with write_transaction(engine):
        settled = (
            await Alert.update({Alert.status: "sent", Alert.reason: UNCONFIRMED, Alert.claimed_until: None,
                                Alert.sent_at: now, Alert.attempts: Alert.attempts + 1})
            .where((Alert.status == "sending") & (Alert.claimed_until < now))
            .returning(alert_key)
        )  # fmt: skip
    return len(settled)


async def set_case_owner(engine: Engine[Any], organisation_id: int, email: str, escalation: str) -> bool:
    """The addresses new follow-up cases of the organisation are e-mailed to, and cases past their due time ("" for
    none); False if there is no such organisation."""
    values: dict[Any, Any] = {Organisation.case_owner_email: email, Organisation.escalation_email: escalation}
    async with write_transaction(engine):
        updated = (
            await Organisation.update(values)
            .where(Organisation._meta.primary_key == organisation_id)
            .returning(Organisation._meta.primary_key)
        )
    return bool(updated)


async def case_owner(organisation_id: int) -> dict[str, str]:
    """The organisation's case owner (``email``) and ``escalation`` addresses, as the console's form holds them."""
    row = (
        await Organisation.select(Organisation.case_owner_email, Organisation.escalation_email)
        .where(Organisation._meta.primary_key == organisation_id)
        .first()
    )
    if row is None:
        return {"email": "", "escalation": ""}
    return {"email": str(row["case_owner_email"]), "escalation": str(row["escalation_email"])}


async def set_user_email(engine: Engine[Any], username: str, email: str) -> bool:
    """The account's own address for alerts ("" for none); False for no such account."""
    async with write_transaction(engine):
        updated = await User.update({User.email: email}).where(User.username == username).returning(User.username)
    return bool(updated)
