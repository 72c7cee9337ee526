"""Contacts, mail schedules and messages in the database: what a mail round reads and records.

A round plans by reading every open collection's contacts with their messages once (``planning_states``), records
its decisions (``record_decisions``: a step that has a row is never recorded again), then hands the due messages to
send jobs (``assign_send_jobs``: a message is held by its job while the job is queued or running). A send job reads
its messages (``job_messages``) and the contacts' states (``contact_states``) once, and for each message commits,
in one transaction, the outcomes so far and the mark that this message is being handed to the server
(``mark_sending``: only a pending message can be marked, so two runs never both send one). A message left
``sending`` by a run that died is recorded as sent, never sent again (``settle_abandoned``).
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from piccolo.engine.base import Engine
from piccolo.engine.sqlite import SQLiteEngine

from servicescore.collections.addresses import AddressBook, ContactDetails
from servicescore.collections.mail_plan import ContactState, Decision, Schedule, StepRecord
from servicescore.collections.tokens import new_invitation_token, token_digest
from servicescore.db.audit import record_event
from servicescore.db.engine import write_transaction
from servicescore.db.group_commit import GroupCommitWriter, writer_for
from servicescore.db.keys import row_id
from servicescore.db.organisations import Missing
from servicescore.db.tables import (
    Alert,
    Collection,
    CollectionLink,
    Contact,
    Invitation,
    Job,
    Mailing,
    Message,
    Response,
)

contact_key = Contact._meta.primary_key
message_key = Message._meta.primary_key
collection_key = Collection._meta.primary_key
job_key = Job._meta.primary_key

CLAIM = timedelta(minutes=10)  # longer than any one message takes to send
IN_LIST = 500
SEND_KIND = "mail-send"  # the job kind that sends a batch of messages (servicescore.jobs.mail)
SEND_BATCH = 250  # messages a send job holds at most
UNCONFIRMED = "unconfirmed: the run sending it stopped after handing it to the server; not sent again"


@dataclass(frozen=True, slots=True)
class NewContact:
    email: str
    name: str
    language: str
    unit_id: int
    segment: str | None


def reminder_text(days: Sequence[int]) -> str:
    return ",".join(str(day) for day in days)


def reminder_days(text: str) -> tuple[int, ...]:
    return tuple(int(day) for day in text.split(",") if day.strip())


async def known_digests(collection_id: int) -> set[str]:
    rows = await Contact.select(Contact.digest).where(Contact.collection == collection_id)
    return {row["digest"] for row in rows}


async def add_contacts(
    engine: Engine[Any],
    collection_id: int,
    contacts: Sequence[NewContact],
    book: AddressBook,
    *,
    invite_at: datetime,
    days: Sequence[int],
    actor_id: int | None = None,
) -> int:
    """Store the contacts with a personal invitation each and set the collection's schedule (the invitation time and
    reminder days); Missing when the collection has no link for one of their units."""
    async with write_transaction(engine):
        row = await Collection.select(collection_key).where(collection_key == collection_id).first()
        linked = await CollectionLink.select(
            CollectionLink.unit, CollectionLink.unit._.organisation.as_alias("organisation")
        ).where(CollectionLink.collection == collection_id)
        organisation_of = {link["unit"]: link["organisation"] for link in linked}
        if row is None or any(contact.unit_id not in organisation_of for contact in contacts):
            raise Missing()
        for contact in contacts:
            token = new_invitation_token()
            invitation = Invitation(collection=collection_id, unit=contact.unit_id, token_sha256=token_digest(token))
            await invitation.save()
            details = ContactDetails(contact.email, contact.name, token)
            await Contact(collection=collection_id, unit=contact.unit_id, organisation=organisation_of[contact.unit_id],
                          invitation=row_id(invitation), sealed=book.seal(details), digest=book.digest(contact.email),
                          language=contact.language, segment=contact.segment).save()  # fmt: skip
        await set_schedule(collection_id, invite_at, days)
        # The addresses stay out of the audit trail: it outlives the contacts.
        await record_event("contacts.added", actor_id=actor_id, object_type="collection", object_id=collection_id,
                           detail={"count": len(contacts), "reminder_days": list(days)})  # fmt: skip
    return len(contacts)


async def set_schedule(collection_id: int, invite_at: datetime, days: Sequence[int]) -> None:
    """The collection's schedule, made or replaced. Call inside the caller's write transaction."""
    values: dict[Any, Any] = {Mailing.invite_at: invite_at, Mailing.reminder_days: reminder_text(days)}
    updated = await Mailing.update(values).where(Mailing.collection == collection_id).returning(Mailing.collection)
    if not updated:
        await Mailing(collection=collection_id, invite_at=invite_at, reminder_days=reminder_text(days)).save()


async def schedule_of(collection_id: int) -> Schedule | None:
    row = (
        await Mailing.select(
            Mailing.invite_at, Mailing.reminder_days, Mailing.collection._.closes_at.as_alias("closes_at")
        )
        .where(Mailing.collection == collection_id)
        .first()
    )
    if row is None:
        return None
    return Schedule(row["invite_at"], reminder_days(row["reminder_days"]), row["closes_at"])


@dataclass(frozen=True, slots=True)
class Planned:
    contact_id: int
    schedule: Schedule
    state: ContactState


def _chunks(values: Sequence[Any]) -> list[list[Any]]:
    """``IN (…)`` lists of at most IN_LIST values: SQLite allows a limited number of parameters in a statement."""
    return [list(values[start : start + IN_LIST]) for start in range(0, len(values), IN_LIST)]


async def _stops(digests: set[str]) -> tuple[set[tuple[int, str]], set[str]]:
    """(organisation, digest) pairs that opted out, and digests that bounced, among the given digests."""
    rows = []
    stopped = Contact.opted_out_at.is_not_null() | Contact.bounced_at.is_not_null()
    for chunk in _chunks(sorted(digests)):
        rows += await Contact.select(
            Contact.organisation, Contact.digest, Contact.opted_out_at, Contact.bounced_at
        ).where(Contact.digest.is_in(chunk) & stopped)
    opted = {(row["organisation"], row["digest"]) for row in rows if row["opted_out_at"] is not None}
    return opted, {row["digest"] for row in rows if row["bounced_at"] is not None}


async def _invitations_sent(digests: set[str]) -> dict[tuple[int, str], list[tuple[int, datetime]]]:
    """(organisation, digest) → [(collection, sent at)] of every invitation sent to those digests."""
    rows = []
    for chunk in _chunks(sorted(digests)):
        rows += await Message.select(
            Message.contact._.organisation.as_alias("organisation"),
            Message.contact._.digest.as_alias("digest"),
            Message.contact._.collection.as_alias("collection"),
            Message.sent_at,
        ).where((Message.step == 0) & (Message.status == "sent") & Message.contact._.digest.is_in(chunk))
    sent: dict[tuple[int, str], list[tuple[int, datetime]]] = defaultdict(list)
    for row in rows:
        sent[(row["organisation"], row["digest"])].append((row["collection"], row["sent_at"]))
    return sent


async def _states(where: Any) -> list[Planned]:
    rows = (
        await Contact.select(
            contact_key,
            Contact.collection,
            Contact.organisation,
            Contact.digest,
            Contact.opted_out_at,
            Contact.bounced_at,
            Contact.invitation._.used_at.as_alias("used_at"),
            Contact.collection._.closes_at.as_alias("closes_at"),
        )
        .where(where)
        .order_by(contact_key)
    )
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    schedules = {
        row["collection"]: Schedule(row["invite_at"], reminder_days(row["reminder_days"]), row["closes_at"])
        for row in await Mailing.select(
            Mailing.collection, Mailing.invite_at, Mailing.reminder_days,
            Mailing.collection._.closes_at.as_alias("closes_at"),
        ).where(Mailing.collection.is_in(sorted({row["collection"] for row in rows})))
    }  # fmt: skip
    steps: dict[int, dict[int, StepRecord]] = defaultdict(dict)
    for chunk in _chunks(ids):
        for message in await Message.select(Message.contact, Message.step, Message.status, Message.sent_at).where(
            Message.contact.is_in(chunk)
        ):
            steps[message["contact"]][message["step"]] = StepRecord(message["status"], message["sent_at"])
    digests = {row["digest"] for row in rows}
    opted, bounced = await _stops(digests)
    sent = await _invitations_sent(digests)
    planned = []
    for row in rows:
        if row["collection"] not in schedules:
            continue
        key = (row["organisation"], row["digest"])
        elsewhere = [at for collection, at in sent.get(key, []) if collection != row["collection"]]
        state = ContactState(
            completed=row["used_at"] is not None,
            opted_out=row["opted_out_at"] is not None or key in opted,
            bounced=row["bounced_at"] is not None or row["digest"] in bounced,
            steps=steps.get(row["id"], {}),
            invited_elsewhere_at=max(elsewhere, default=None),
        )
        planned.append(Planned(row["id"], schedules[row["collection"]], state))
    return planned


async def planning_states(now: datetime) -> list[Planned]:
    """Every contact of a scheduled collection that is still open and whose details are still kept."""
    return await _states((Contact.collection._.closes_at > now) & Contact.deleted_at.is_null())


async def contact_states(engine: Engine[Any], contact_ids: Sequence[int]) -> dict[int, Planned]:
    """The contacts' states, read in one transaction (one connection for the several queries)."""
    found: dict[int, Planned] = {}
    async with engine.transaction():
        for chunk in _chunks(sorted(set(contact_ids))):
            found.update((planned.contact_id, planned) for planned in await _states(contact_key.is_in(chunk)))
    return found


_DECIDE_SQL = (
    "INSERT INTO message (contact, step, message_id, status, reason, attempts, next_try_at, created_at)"
    " VALUES (?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT (contact, step) DO NOTHING"
)
# On PostgreSQL every decision in one statement, one array a column: one round trip for a round's thousands.
_DECIDE_PG = (
    "WITH recorded AS (INSERT INTO message (contact, step, message_id, status, reason, attempts, next_try_at,"
    " created_at) SELECT d.contact, d.step, d.message_id, d.status, d.reason, 0, {}::timestamptz, {}::timestamptz"
    " FROM unnest({}::integer[], {}::integer[], {}::text[], {}::text[], {}::text[])"
    " AS d (contact, step, message_id, status, reason)"
    " ON CONFLICT (contact, step) DO NOTHING RETURNING 1) SELECT count(*) AS recorded FROM recorded"
)


async def record_decisions(engine: Engine[Any], decisions: Sequence[tuple[int, Decision, str]], now: datetime) -> int:
    """Record (contact, decision, Message-ID) triples, in one write transaction; a step recorded meanwhile is left as
    it is, also by a round that runs at the same time (the unique (contact, step) index decides, not a look
    beforehand, which on PostgreSQL both rounds would pass). Returns how many were recorded."""
    if not decisions:
        return 0
    if (writer := _sqlite_writer(engine)) is not None:
        stamp = _stamp(now)
        rows = [(contact, d.step, message_id, d.status, d.reason, stamp, stamp) for contact, d, message_id in decisions]
        return await writer.write(lambda connection: connection.executemany(_DECIDE_SQL, rows).rowcount)
    columns = zip(*((contact, d.step, message_id, d.status, d.reason) for contact, d, message_id in decisions),
                  strict=True)  # fmt: skip
    rows = await Message.raw(_DECIDE_PG, now, now, *map(list, columns))
    return int(rows[0]["recorded"])


@dataclass(frozen=True, slots=True)
class DueMessage:
    """A claimed message and everything needed to compose it."""

    id: int
    contact_id: int
    step: int
    message_id: str
    attempts: int
    status: str  # pending, or sending: left by a run that died after handing it to the server
    sealed: str
    digest: str
    language: str
    organisation_id: int
    organisation: str
    brand_colour: str
    brand: str
    logo_sha256: str
    unit: str
    closes_at: datetime
    version: int  # the instrument version: its title is read once a batch
    definition: str  # the instrument version's JSON, for its title


async def claim_next(engine: Engine[Any], table: type[Message] | type[Alert], now: datetime) -> int | None:
    """The id of the next pending row of ``table`` (messages or alerts) whose time has come and that no other round
    holds, now held by this one."""
    key = table._meta.primary_key
    async with write_transaction(engine):
        free = table.claimed_until.is_null() | (table.claimed_until < now)
        row = (
            await table.select(key)
            .where((table.status == "pending") & (table.next_try_at <= now) & free)
            .order_by(table.next_try_at)
            .order_by(key)
            .first()
        )
        if row is None:
            return None
        await table.update({table.claimed_until: now + CLAIM}).where(key == row["id"])
    return int(row["id"])


def _message_columns() -> tuple[Any, ...]:
    contact = Message.contact
    return (
        message_key, Message.contact.as_alias("contact_id"), Message.step, Message.message_id, Message.attempts,
        Message.status, contact._.sealed.as_alias("sealed"), contact._.digest.as_alias("digest"),
        contact._.language.as_alias("language"), contact._.organisation.as_alias("organisation_id"),
        contact._.organisation._.name.as_alias("organisation"),
        contact._.organisation._.brand_colour.as_alias("brand_colour"),
        contact._.organisation._.brand.as_alias("brand"),
        contact._.organisation._.logo_sha256.as_alias("logo_sha256"),
        contact._.unit._.name.as_alias("unit"), contact._.collection._.closes_at.as_alias("closes_at"),
        contact._.collection._.instrument_version.as_alias("version"),
        contact._.collection._.instrument_version._.definition.as_alias("definition"),
    )  # fmt: skip


def _due(rows: Sequence[dict[str, Any]]) -> list[DueMessage]:
    due = []
    for row in rows:
        definition = row.pop("definition")
        due.append(DueMessage(**row, definition=definition if isinstance(definition, str) else json.dumps(definition)))
    return due


async def _live_send_jobs() -> list[int]:
    rows = await Job.select(job_key).where((Job.kind == SEND_KIND) & Job.status.is_in(["queued", "running"]))
    return [int(row["id"]) for row in rows]


def _not_held(live: Sequence[int]) -> Any:
    """A message no queued or running send job holds."""
    return Message.job.is_null() | Message.job.not_in(list(live) or [0])  # ids start at 1


async def _free_due(now: datetime) -> list[dict[str, Any]]:
    """Pending messages whose time has come and that no live send job holds, in sending order: by organisation, then
    address (so one address's messages meet in one batch), then id."""
    due = (Message.status == "pending") & (Message.next_try_at <= now) & _not_held(await _live_send_jobs())
    return list(
        await Message.select(
            message_key, Message.contact._.organisation.as_alias("organisation"),
            Message.contact._.digest.as_alias("digest"),
        ).where(due).order_by(Message.contact._.organisation).order_by(Message.contact._.digest).order_by(message_key)
    )  # fmt: skip


async def due_message_ids(now: datetime) -> list[tuple[int, list[int]]]:
    """(organisation, message ids) batches of the messages that are due and free, as `send_batches` cuts them."""
    return send_batches(await _free_due(now), SEND_BATCH)


async def assign_send_jobs(engine: Engine[Any], now: datetime, *, minute: str, max_attempts: int) -> list[int]:
    """Hand every due, free message to a send job of at most SEND_BATCH messages of one organisation, in one write
    transaction; the new jobs' ids (queued: the caller sends them to the queue). A message is held by its job until
    that job is done or failed, so a round that runs again meanwhile hands out only what is not held. The job's key
    (``mail-send:<first message>@<minute>``) is unique, so two schedulers' runs of one minute make one job."""
    created = []
    async with write_transaction(engine):
        batches = send_batches(await _free_due(now), SEND_BATCH)
        batch_id = str(uuid.uuid4())
        for organisation, ids in batches:
            key = f"{SEND_KIND}:{ids[0]}@{minute}"
            job = Job(kind=SEND_KIND, organisation=organisation, batch=batch_id, dedupe_key=key,
                      payload=json.dumps({"messages": len(ids)}), max_attempts=max_attempts, created_at=now,
                      run_after=now)  # fmt: skip
            inserted = await Job.insert(job).on_conflict(target=Job.dedupe_key, action="DO NOTHING").returning(job_key)
            if not inserted:
                continue
            job_id = int(inserted[0]["id"])
            await Message.update({Message.job: job_id}).where(message_key.is_in(ids))
            created.append(job_id)
    return created


def send_batches(rows: Sequence[dict[str, Any]], size: int) -> list[tuple[int, list[int]]]:
    """Cut ``rows`` (id, organisation, digest; sorted so) into (organisation, ids) batches of at most ``size``,
    never splitting one address's messages (two collections inviting one address: the batch sends one)."""
    batches: list[tuple[int, list[int]]] = []
    previous: tuple[int, str] | None = None
    for row in rows:
        address = (row["organisation"], row["digest"])
        opens = not batches or batches[-1][0] != row["organisation"] or len(batches[-1][1]) >= size
        if opens and address != previous:
            batches.append((row["organisation"], []))
        batches[-1][1].append(row["id"])
        previous = address
    return batches


async def job_messages(job_id: int, now: datetime) -> list[DueMessage]:
    """The messages a send job still has to deal with: pending and due, or left sending by a run that died."""
    held = (Message.job == job_id) & (
        ((Message.status == "pending") & (Message.next_try_at <= now)) | (Message.status == "sending")
    )
    return _due(await Message.select(*_message_columns()).where(held).order_by(message_key))


async def messages_by_id(ids: Sequence[int]) -> list[DueMessage]:
    """The given messages with everything needed to compose them, in id order."""
    rows: list[dict[str, Any]] = []
    for chunk in _chunks(sorted(ids)):
        rows += await Message.select(*_message_columns()).where(message_key.is_in(chunk)).order_by(message_key)
    return _due(rows)


@dataclass(frozen=True, slots=True)
class Recorded:
    """What became of one message: ``sent``, ``failed`` or ``skipped`` for good, or ``pending`` again until
    ``next_try_at``."""

    message: int
    status: str
    reason: str = ""
    next_try_at: datetime | None = None


_RECORD_SQL = (
    "UPDATE message SET status = ?, reason = ?, claimed_until = NULL,"
    " sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END,"
    " attempts = attempts + CASE WHEN ? = 'skipped' THEN 0 ELSE 1 END,"
    " next_try_at = COALESCE(?, next_try_at) WHERE id = ?"
)
_MARK_SQL = "UPDATE message SET status = 'sending', claimed_until = ? WHERE id = ? AND status = 'pending'"
# On PostgreSQL the outcomes and the mark are one statement: one round trip and one commit, instead of a
# transaction of one UPDATE each that Piccolo builds (about 1 ms of CPU a message). Marking message NULL marks none.
_RECORD_AND_MARK_PG = (
    "WITH recorded AS (UPDATE message SET status = r.status, reason = r.reason, claimed_until = NULL,"
    " sent_at = CASE WHEN r.status = 'sent' THEN {}::timestamptz ELSE message.sent_at END,"
    " attempts = message.attempts + CASE WHEN r.status = 'skipped' THEN 0 ELSE 1 END,"
    " next_try_at = COALESCE(r.next_try_at, message.next_try_at)"
    " FROM unnest({}::integer[], {}::text[], {}::text[], {}::timestamptz[]) AS r (id, status, reason, next_try_at)"
    " WHERE message.id = r.id)"
    " UPDATE message SET status = 'sending', claimed_until = {} WHERE id = {} AND status = 'pending' RETURNING id"
)


def _stamp(moment: datetime) -> str:
    """A time as Piccolo writes a Timestamptz on SQLite (UTC, ``str``), so that its comparisons hold."""
    return str(moment.astimezone(UTC))


def _write_sqlite(connection: sqlite3.Connection, records: Sequence[Recorded], now: datetime) -> None:
    connection.executemany(_RECORD_SQL, [
        (r.status, r.reason[:2000], r.status, _stamp(now), r.status,
         None if r.next_try_at is None else _stamp(r.next_try_at), r.message)
        for r in records
    ])  # fmt: skip


def _columns(records: Sequence[Recorded], now: datetime) -> tuple[Any, ...]:
    """The arguments of `_RECORD_AND_MARK_PG` but the mark's: the time, then one array a column."""
    return (now, [r.message for r in records], [r.status for r in records], [r.reason[:2000] for r in records],
            [r.next_try_at for r in records])  # fmt: skip


def _sqlite_writer(engine: Engine[Any]) -> GroupCommitWriter | None:
    """On SQLite, the process's group-commit writer (one long-lived connection: a send job commits once a message,
    and the jobs of one worker share each commit); None on PostgreSQL."""
    return writer_for(str(engine.path)) if isinstance(engine, SQLiteEngine) else None


async def record_messages(engine: Engine[Any], records: Sequence[Recorded], now: datetime) -> None:
    """Record the outcomes, in one write transaction."""
    if not records:
        return
    if (writer := _sqlite_writer(engine)) is not None:
        await writer.write(lambda connection: _write_sqlite(connection, records, now))
        return
    await Message.raw(_RECORD_AND_MARK_PG, *_columns(records, now), None, None)


async def mark_sending(engine: Engine[Any], records: Sequence[Recorded], message: int, now: datetime) -> bool:
    """Record the outcomes so far and mark ``message`` as being handed to the server, in one write transaction
    (one commit a message); False, and nothing marked, when it is no longer pending (another run has it)."""
    if (writer := _sqlite_writer(engine)) is not None:

        def mark(connection: sqlite3.Connection) -> bool:
            _write_sqlite(connection, records, now)
            return connection.execute(_MARK_SQL, (_stamp(now + CLAIM), message)).rowcount == 1

        return await writer.write(mark)
    return bool(await Message.raw(_RECORD_AND_MARK_PG, *_columns(records, now), now + CLAIM, message))


async def settle_abandoned(engine: Engine[Any], now: datetime) -> int:
    """Messages left sending by a run that died (its claim ran out, no live send job holds them) are recorded as
    sent, unconfirmed: the server had the whole message before the mark was committed, so sending it again could
    only duplicate it. How many."""
    live = await _live_send_jobs()
    async with write_transaction(engine):
        settled = (
            await Message.update({Message.status: "sent", Message.reason: UNCONFIRMED, Message.claimed_until: None,
                                  Message.sent_at: now, Message.attempts: Message.attempts + 1})
            .where((Message.status == "sending") & (Message.claimed_until < now) & _not_held(live))
            .returning(message_key)
        )  # fmt: skip
    return len(settled)


async def record_outcome(
    engine: Engine[Any],
    message: int,
    status: str,
    reason: str,
    now: datetime,
    *,
    next_try_at: datetime | None = None,
    table: type[Message] | type[Alert] = Message,
) -> None:
    """``sent``, ``failed`` or ``skipped`` for good, or ``pending`` again with the next try's time; the claim ends."""
    values: dict[Any, Any] = {table.status: status, table.reason: reason[:2000], table.claimed_until: None}
    if status == "sent":
        values[table.sent_at] = now
    if status != "skipped":  # it was tried
        values[table.attempts] = table.attempts + 1
    if next_try_at is not None:
        values[table.next_try_at] = next_try_at
    async with write_transaction(engine):
        await table.update(values).where(table._meta.primary_key == message)


async def opt_out(engine: Engine[Any], contact_id: int, now: datetime) -> bool:
    """Record the contact's opt-out (kept with the digest: it holds for the organisation's later collections);
    False for an unknown contact. Opting out twice keeps the first time."""
    async with write_transaction(engine):
        if not await Contact.exists().where(contact_key == contact_id):
            return False
        await Contact.update({Contact.opted_out_at: now}).where(
            (contact_key == contact_id) & Contact.opted_out_at.is_null()
        )
    return True


async def opt_out_organisation(contact_id: int) -> str | None:
    row = await Contact.select(Contact.organisation._.name.as_alias("name")).where(contact_key == contact_id).first()
    return None if row is None else str(row["name"])


async def delete_expired_details(engine: Engine[Any], now: datetime, retention_days: int) -> int:
    """Empty the sealed details of every contact whose collection closed more than ``retention_days`` ago; the
    digest, language, unit and history stay. Returns how many were emptied."""
    async with write_transaction(engine):
        expired = await Contact.select(contact_key).where(
            Contact.deleted_at.is_null() & (Contact.collection._.closes_at <= now - timedelta(days=retention_days))
        )
        ids = [row["id"] for row in expired]
        for chunk in _chunks(ids):
            await Contact.update({Contact.sealed: "", Contact.deleted_at: now}).where(contact_key.is_in(chunk))
    return len(ids)


async def collection_units(collection_id: int) -> dict[str, int] | None:
    """``organisation/unit`` → unit id of every unit the collection has a link for; None for no such collection."""
    if not await Collection.exists().where(collection_key == collection_id):
        return None
    rows = await CollectionLink.select(
        CollectionLink.unit.as_alias("unit_id"),
        CollectionLink.unit._.slug.as_alias("unit"),
        CollectionLink.unit._.organisation._.slug.as_alias("organisation"),
    ).where(CollectionLink.collection == collection_id)
    return {f"{row['organisation']}/{row['unit']}": row["unit_id"] for row in rows}


async def collection_opens_at(collection_id: int) -> datetime | None:
    row = await Collection.select(Collection.opens_at).where(collection_key == collection_id).first()
    return None if row is None else row["opens_at"]


async def collection_contacts(collection_id: int) -> list[dict[str, Any]]:
    """The contacts of a collection with their unit, stops and completion, in the order they were added."""
    rows = await Contact.select(
        contact_key, Contact.unit.as_alias("unit_id"), Contact.unit._.name.as_alias("unit"),
        Contact.unit._.organisation._.name.as_alias("organisation"), Contact.sealed, Contact.language,
        Contact.opted_out_at, Contact.bounced_at, Contact.deleted_at,
        Contact.invitation._.used_at.as_alias("completed_at"),
    ).where(Contact.collection == collection_id).order_by(contact_key)  # fmt: skip
    return list(rows)


async def collection_messages(collection_id: int) -> list[dict[str, Any]]:
    return list(
        await Message.select(Message.contact, Message.step, Message.status, Message.reason, Message.sent_at)
        .where(Message.contact._.collection == collection_id)
        .order_by(Message.contact)
        .order_by(Message.step)
    )


async def response_statuses(response_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Response id → status (partial | complete) of those that exist."""
    found: dict[uuid.UUID, str] = {}
    for chunk in _chunks(list(response_ids)):
        rows = await Response.select(Response.id, Response.status).where(Response.id.is_in(chunk))
        found.update((row["id"], row["status"]) for row in rows)
    return found


async def collection_titled(title: str) -> int | None:
    """The first collection with this title (the demo finds its own by name)."""
    row = await Collection.select(collection_key).where(Collection.title == title).order_by(collection_key).first()
    return None if row is None else int(row["id"])


async def contact_of(collection_id: int, digest: str) -> int | None:
    row = (
        await Contact.select(contact_key)
        .where((Contact.collection == collection_id) & (Contact.digest == digest))
        .first()
    )
    return None if row is None else int(row["id"])


async def record_bounces(engine: Engine[Any], digests: Sequence[str], reason: str, now: datetime) -> int:
    """Mark every contact (in any collection) whose address has one of the digests as bounced; returns how many
    were newly marked."""
    if not digests:
        return 0
    async with write_transaction(engine):
        marked = (
            await Contact.update({Contact.bounced_at: now, Contact.bounce_reason: reason})
            .where(Contact.digest.is_in(sorted(set(digests))) & Contact.bounced_at.is_null())
            .returning(contact_key)
        )
    return len(marked)
