"""Mail rounds against a real SMTP server (aiosmtpd) and the outbox: what arrives, retries and failures, reminders
that skip those who completed or opted out, a round killed mid-batch, the frequency rule, and addresses sealed at
rest and deleted after the retention period."""

from __future__ import annotations

import asyncio
import json
import re
import sys
import time
from datetime import datetime, timedelta
from email.message import EmailMessage
from urllib.parse import urlsplit

import asyncpg
import pytest
from pydantic import SecretStr

from servicescore.collections.mail_plan import Decision
from servicescore.collections.tokens import token_digest
from servicescore.db.locks import try_lock
from servicescore.db.mail import UNCONFIRMED, Planned, record_decisions
from servicescore.db.mail import planning_states as planning_states_of_round
from servicescore.db.tables import Contact, Invitation, Job, Message, Response
from servicescore.jobs.mail import ROUND_LOCK
from servicescore.jobs.mail import mail_round as periodic_round
from servicescore.jobs.registry import KINDS, PERIODIC, JobRun
from servicescore.mail.sending import RoundReport
from servicescore.mail.transport import OnData, Outcome, SmtpTransport, parse_smtp_url
from servicescore.settings import Settings
from tests.support.mail_world import (
    NOW,
    Client,
    DiesAfterTheMark,
    Killed,
    MailWorld,
    add,
    csv_file,
    in_loop,
    mail_round,
    outbox,
)
from tests.support.smtp_server import smtp_server

pytestmark = pytest.mark.anyio

CONTACTS = csv_file(
    "anna@example.org,Anna Berg,sv,zorngarden/museet,",
    "bob@example.org,Bob Smith,en,gammelgarden,tourist",
    "cilla@example.org,,sv,zorngarden/museet,",
)


def _links(message: EmailMessage) -> tuple[str, str]:
    """The survey and opt-out paths in the plain-text part."""
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    survey = re.search(r"http://\S+/i/\S+", text)
    opt_out = re.search(r"http://\S+/o/\S+", text)
    assert survey, text
    assert opt_out, text
    return "?".join(urlsplit(survey[0])[2:4]), "?".join(urlsplit(opt_out[0])[2:4])


def _with_smtp(settings: Settings, url: str) -> Settings:
    return settings.model_copy(update={"smtp_url": SecretStr(url)})


async def _rows(table: type, *columns: object) -> list[dict[str, object]]:
    return list(await table.select(*columns).order_by(table._meta.primary_key))  # type: ignore[attr-defined]


async def test_invitations_arrive_branded_in_each_language(
    client: Client, settings: Settings, world: MailWorld
) -> None:
    assert len(add(client, settings, world.collection, CONTACTS).contacts) == 3
    with smtp_server() as (url, inbox):
        report = mail_round(client, _with_smtp(settings, url), NOW)
    assert (report.planned, report.sent, report.retry, report.failed) == (3, 3, 0, 0)
    anna, bob = inbox.to("anna@example.org")[0], inbox.to("bob@example.org")[0]
    assert anna["Subject"] == "Hur blev du bemött hos Zorngården?"
    assert bob["Subject"] == "How were you treated at Zorngården?"
    assert str(anna["To"]) == "Anna Berg <anna@example.org>"
    assert (anna["Content-Language"], bob["Content-Language"]) == ("sv", "en")
    assert anna.get_content_type() == "multipart/alternative"
    text = anna.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = anna.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert text.startswith("Hej Anna Berg!\n\nTack för att du besökte Zorngården, Zornmuseet.")
    assert "Svara på enkäten:" in text
    assert "Avregistrera dig här:" in text
    assert 'lang="sv"' in html
    assert "background:#7a2e1f" in html
    assert "Thank you for visiting Zorngården, Gammelgården." in bob.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    survey, opt_out = _links(anna)
    assert survey in html
    assert opt_out.replace("&", "&amp;") in html
    page = await client.get(survey)
    assert page.status_code == 200
    assert "Zorngården" in page.text
    assert anna["List-Unsubscribe"].strip("<>").endswith(opt_out)
    assert len({m["Message-ID"] for m in inbox.messages}) == 3
    bob_survey, _ = _links(bob)
    assert "Your visit" in (await client.get(bob_survey)).text  # in Bob's language; opening it starts the response
    started = in_loop(client, _rows, Response, Response.segment, Response.language)
    assert sorted(started, key=lambda row: str(row["segment"])) == [
        {"segment": None, "language": "sv"},
        {"segment": "tourist", "language": "en"},
    ]


async def test_a_4xx_is_tried_again_later_and_a_5xx_fails_with_the_reason(
    client: Client, settings: Settings, world: MailWorld
) -> None:
    rows = ("busy@example.org,,sv,museet,", "nobody@example.org,,sv,museet,", "anna@example.org,,sv,museet,")
    add(client, settings, world.collection, csv_file(*rows))
    with smtp_server() as (url, inbox):
        smtp = _with_smtp(settings, url)
        first = mail_round(client, smtp, NOW)
        assert (first.sent, first.retry, first.failed) == (1, 1, 1)
        assert mail_round(client, smtp, NOW + timedelta(minutes=4)).retry == 0  # not yet: 5 minutes' wait
        inbox.refuse_busy = False
        later = mail_round(client, smtp, NOW + timedelta(minutes=5))
    assert (later.sent, later.retry, later.failed) == (1, 0, 0)
    assert sorted(m["To"] for m in inbox.messages) == ["anna@example.org", "busy@example.org"]
    rows = in_loop(client, _rows, Message, Message.status, Message.reason, Message.attempts)
    assert rows == [
        {"status": "sent", "reason": "", "attempts": 2},
        {"status": "failed", "reason": "550 5.1.1 No such mailbox here", "attempts": 1},
        {"status": "sent", "reason": "", "attempts": 1},
    ]


async def test_a_server_that_is_down_loses_nothing(client: Client, settings: Settings, world: MailWorld) -> None:
    add(client, settings, world.collection, CONTACTS)
    down = mail_round(client, _with_smtp(settings, "smtp://127.0.0.1:9"), NOW)
    # the round stops at the first refused connection; every message of the batch waits for its retry time
    assert (down.sent, down.retry, down.failed) == (0, 3, 0)
    assert mail_round(client, _with_smtp(settings, "smtp://127.0.0.1:9"), NOW + timedelta(minutes=4)).retry == 0
    with smtp_server() as (url, inbox):
        up = mail_round(client, _with_smtp(settings, url), NOW + timedelta(minutes=5))
    assert up.sent == 3
    assert len(inbox.messages) == 3


async def test_reminders_skip_who_completed_or_opted_out(client: Client, settings: Settings, world: MailWorld) -> None:
    add(client, settings, world.collection, CONTACTS)
    mail_round(client, settings, NOW)
    first = {str(m["To"].addresses[0].addr_spec): m for m in outbox(settings.outbox_dir)}
    assert len(first) == 3
    anna_survey, _ = _links(first["anna@example.org"])
    _, bob_opt_out = _links(first["bob@example.org"])

    async def complete(token_path: str) -> None:  # what finishing the survey records (db.survey_responses)
        await Invitation.update({Invitation.used_at: NOW}).where(
            Invitation.token_sha256 == token_digest(urlsplit(token_path).path.rsplit("/", 1)[1])
        )

    in_loop(client, complete, anna_survey)
    form = await client.get(bob_opt_out)
    assert "Vill du sluta få enkäter" in form.text or "stop getting surveys" in form.text
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form.text)
    assert token
    done = await client.post(bob_opt_out, data={"_csrf_token": token[1]})
    assert done.status_code == 200
    assert "no more surveys by e-mail from Zorngården" in done.text
    assert mail_round(client, settings, NOW + timedelta(days=2)).sent == 0
    reminded = mail_round(client, settings, NOW + timedelta(days=3))
    assert reminded.sent == 1
    reminders = [m for m in outbox(settings.outbox_dir) if m["Subject"].startswith("Påminnelse")]
    assert [str(m["To"]) for m in reminders] == ["cilla@example.org"]
    assert "För några dagar sedan bad vi dig" in reminders[0].get_body(("plain",)).get_content()  # type: ignore[union-attr]


class CrashAfter:
    """A transport that dies (an error out of the round) when asked for its ``n + 1``-th message."""

    def __init__(self, url: str, n: int) -> None:
        self.inner, self.left = SmtpTransport(parse_smtp_url(url)), n

    def send(self, message: EmailMessage, on_data: OnData | None = None) -> Outcome:
        if self.left == 0:
            raise Killed()
        self.left -= 1
        return self.inner.send(message, on_data)

    def close(self) -> None:
        self.inner.close()


async def test_a_round_killed_mid_batch_resumes_without_duplicates(
    client: Client, settings: Settings, world: MailWorld
) -> None:
    rows = [f"person{n}@example.org,,sv,museet," for n in range(6)]
    add(client, settings, world.collection, csv_file(*rows))
    with smtp_server() as (url, inbox):
        smtp = _with_smtp(settings, url)
        with pytest.raises(Killed):
            mail_round(client, smtp, NOW, transport=CrashAfter(url, 2))
        assert len(inbox.messages) == 2
        # what was sent is recorded on the way out; the rest goes with the next round, the sent ones never again
        statuses = in_loop(client, _rows, Message, Message.status)
        assert [row["status"] for row in statuses] == ["sent"] * 2 + ["pending"] * 4
        assert mail_round(client, smtp, NOW + timedelta(minutes=1)).sent == 4
        assert mail_round(client, smtp, NOW + timedelta(minutes=2)).sent == 0
    assert sorted(m["To"] for m in inbox.messages) == sorted(f"person{n}@example.org" for n in range(6))


async def test_a_message_left_sending_by_a_dead_run_is_never_sent_again(
    client: Client, settings: Settings, world: MailWorld
) -> None:
    """The run died with the message marked sending: it is not sent again (that could only duplicate it), and once
    its claim has run out a round records it as sent, unconfirmed; a reminder follows it like any sent invitation."""
    add(client, settings, world.collection, csv_file("anna@example.org,,sv,museet,"))
    with smtp_server() as (url, inbox):
        smtp = _with_smtp(settings, url)
        with pytest.raises(Killed):
            mail_round(client, smtp, NOW, transport=DiesAfterTheMark(SmtpTransport(parse_smtp_url(url))))
        assert in_loop(client, _rows, Message, Message.status) == [{"status": "sending"}]
        assert mail_round(client, smtp, NOW + timedelta(minutes=1)).sent == 0  # its claim holds
        assert mail_round(client, smtp, NOW + timedelta(minutes=11)).sent == 1  # settled, not sent
        assert inbox.messages == []  # the instant between the mark and the dot: the one message a kill can cost
        rows = in_loop(client, _rows, Message, Message.status, Message.reason)
        assert rows == [{"status": "sent", "reason": UNCONFIRMED}]
        reminded = mail_round(client, smtp, NOW + timedelta(days=3, minutes=11))
    assert reminded.sent == 1
    assert [m["Subject"].startswith("Påminnelse") for m in inbox.messages] == [True]


async def test_frequency_rule_and_opt_out_hold_across_collections(
    client: Client, settings: Settings, world: MailWorld
) -> None:
    add(client, settings, world.collection, CONTACTS)
    mail_round(client, settings, NOW)
    bob = next(m for m in outbox(settings.outbox_dir) if m["To"].addresses[0].addr_spec == "bob@example.org")
    _, opt_out = _links(bob)
    form = await client.get(opt_out)
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form.text)
    assert token
    await client.post(opt_out, data={"_csrf_token": token[1]})
    add(client, settings, world.other_collection,
        csv_file("anna@example.org,,sv,museet,", "bob@example.org,,en,museet,", "dora@example.org,,sv,museet,"),
        at=NOW + timedelta(days=10))  # fmt: skip
    report = mail_round(client, settings, NOW + timedelta(days=10))
    # the first collection: anna's and cilla's 2nd reminders (the 1st superseded); the second: dora's invitation,
    # anna's skipped (invited 10 days ago), bob's none (he opted out)
    assert (report.planned, report.sent) == (2 * 2 + 2, 3)
    statuses = in_loop(client, _rows, Message, Message.contact._.collection.as_alias("collection"), Message.step,
                       Message.status, Message.reason)  # fmt: skip
    later = [(r["status"], r["reason"]) for r in statuses if r["collection"] == world.other_collection]
    assert sorted(later) == [("sent", ""), ("skipped", "recently_invited")]  # bob: nothing, he opted out


async def test_addresses_are_sealed_and_deleted_after_the_retention(
    client: Client, settings: Settings, world: MailWorld
) -> None:
    add(client, settings, world.collection, CONTACTS)
    mail_round(client, settings, NOW)
    rows = in_loop(client, _rows, Contact, Contact.sealed, Contact.digest)
    assert all("example.org" not in str(row) for row in rows)
    invitations = in_loop(client, _rows, Invitation, Invitation.email)
    assert invitations == [{"email": ""}] * 3
    closes = NOW + timedelta(days=30)
    assert mail_round(client, settings, closes + timedelta(days=settings.contact_retention_days - 1)).deleted == 0
    assert mail_round(client, settings, closes + timedelta(days=settings.contact_retention_days)).deleted == 3
    after = in_loop(client, _rows, Contact, Contact.sealed, Contact.digest)
    assert [row["sealed"] for row in after] == ["", "", ""]
    assert [row["digest"] for row in after] == [row["digest"] for row in rows]


async def test_a_contact_file_with_bad_rows_is_refused_whole(
    client: Client, settings: Settings, world: MailWorld
) -> None:
    listed = add(client, settings, world.collection, csv_file(
        "anna@example.org,Anna,sv,museet,", "not-an-address,,sv,museet,", "bo@example.org,,de,museet,",
        "cilla@example.org,,sv,nowhere,", "ANNA@example.org,,sv,museet,",
    ))  # fmt: skip
    assert [(p.row, p.reason, p.value) for p in listed.problems] == [
        (3, "not_an_address", "not-an-address"),
        (4, "bad_language", "de"),
        (5, "unknown_unit", "nowhere"),
        (6, "duplicate", "ANNA@example.org"),
    ]
    assert in_loop(client, _rows, Contact, Contact.digest) == []
    add(client, settings, world.collection, csv_file("anna@example.org,Anna,sv,museet,"))
    again = add(client, settings, world.collection, csv_file("Anna@Example.org,,sv,museet,"))
    assert [(p.row, p.reason) for p in again.problems] == [(2, "already_contact")]


async def test_rounds_read_contacts_in_chunks(
    client: Client, settings: Settings, world: MailWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """IN lists are cut at db.mail.IN_LIST (SQLite limits a statement's parameters): with lists of 2, five contacts
    in three chunks are planned, stopped and reminded exactly as in one."""
    monkeypatch.setattr("servicescore.db.mail.IN_LIST", 2)
    add(client, settings, world.collection, csv_file(*(f"p{n}@example.org,,sv,museet," for n in range(5))))
    assert mail_round(client, settings, NOW).sent == 5
    opt_out_path = _links(next(m for m in outbox(settings.outbox_dir) if str(m["To"]) == "p4@example.org"))[1]
    form = await client.get(opt_out_path)
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form.text)
    assert token
    await client.post(opt_out_path, data={"_csrf_token": token[1]})
    assert mail_round(client, settings, NOW + timedelta(days=3)).sent == 4
    closes = NOW + timedelta(days=30)
    assert mail_round(client, settings, closes + timedelta(days=settings.contact_retention_days)).deleted == 5


async def test_two_collections_inviting_one_address_in_one_round_send_one(
    client: Client, settings: Settings, world: MailWorld
) -> None:
    later = NOW + timedelta(days=10)  # both collections open
    add(client, settings, world.collection, csv_file("anna@example.org,,sv,museet,"), at=later)
    add(client, settings, world.other_collection, csv_file("Anna@example.org,,sv,museet,"), at=later)
    report = mail_round(client, settings, later)
    assert (report.planned, report.sent, report.skipped) == (2, 1, 1)
    rows = in_loop(client, _rows, Message, Message.status, Message.reason)
    assert rows == [{"status": "sent", "reason": ""}, {"status": "skipped", "reason": "recently_invited"}]


async def _send_jobs() -> list[dict[str, object]]:
    return list(await Job.select(Job.id, Job.kind, Job.organisation, Job.status, Job.payload).where(
        Job.kind == "mail-send").order_by(Job.id))  # fmt: skip


def _run_job(client: Client, settings: Settings, kind: str, job_id: int) -> str:
    progress: list[tuple[int, int]] = []

    async def record(done: int, total: int) -> None:
        progress.append((done, total))

    run = JobRun(id=job_id, kind=kind, organisation=None, payload={}, attempt=1, settings=settings,
                 report_progress=record)  # fmt: skip
    line: str = in_loop(client, KINDS[kind], run)
    return line


async def test_the_mail_round_is_a_periodic_job_that_hands_batches_to_send_jobs(
    client: Client, settings: Settings, world: MailWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker's scheduler runs the round every minute as the job kind "mail-round": it plans and hands the due
    messages to "mail-send" jobs (here of 2 messages), which any worker runs; a round run again meanwhile hands out
    nothing twice, and a send job run twice (at-least-once delivery) sends nothing twice."""
    import servicescore.jobs.kinds  # noqa: F401 - registering the kinds is what is tested

    monkeypatch.setattr("servicescore.db.mail.SEND_BATCH", 2)
    assert PERIODIC["mail-round"].schedule(NOW)  # every minute
    add(client, settings, world.collection, CSV_FIVE)
    line = _run_job(client, settings, "mail-round", 0)
    assert line == ("0 sent, 0 to try again, 0 failed, 0 skipped, 5 planned, 0 alert(s), 0 bounced, "
                    "0 address(es) deleted, 3 send job(s) queued")  # fmt: skip
    jobs = in_loop(client, _send_jobs)
    assert [(job["status"], json.loads(str(job["payload"]))) for job in jobs] == [
        ("queued", {"messages": 2}), ("queued", {"messages": 2}), ("queued", {"messages": 1}),
    ]  # fmt: skip
    assert {job["organisation"] for job in jobs} == {1}  # Zorngården's: each batch shows on its jobs page
    assert _run_job(client, settings, "mail-round", 0).endswith(", 0 send job(s) queued")  # all held by their jobs
    lines = [_run_job(client, settings, "mail-send", int(str(job["id"]))) for job in jobs]
    assert [json.loads(line)["sent"] for line in lines] == [2, 2, 1]
    again = json.loads(_run_job(client, settings, "mail-send", int(str(jobs[0]["id"]))))
    assert again == {"failed": 0, "retry": 0, "sent": 0, "skipped": 0}
    assert sorted(str(message["To"]) for message in outbox(settings.outbox_dir)) == [
        f"p{n}@example.org" for n in range(5)
    ]


CSV_FIVE = csv_file(*(f"p{n}@example.org,,sv,museet," for n in range(5)))


async def test_two_rounds_recording_the_same_step_at_once_record_it_once(
    client: Client, settings: Settings, world: MailWorld
) -> None:
    """Another round has recorded Anna's invitation but not committed yet when this one records it too: this one
    waits, then leaves it (PostgreSQL passed the look for an existing row in both and the second insert failed)."""
    if not settings.database_url.startswith("postgres"):
        pytest.skip("SQLite's IMMEDIATE write transactions run two rounds' records one after the other")
    add(client, settings, world.collection, csv_file("anna@example.org,,sv,museet,"))

    async def race() -> int:
        found = await Contact.select(Contact._meta.primary_key).first()
        assert found is not None
        other = await asyncpg.connect(settings.database_url)
        try:
            async with other.transaction():
                await other.execute(
                    "INSERT INTO message (contact, step, message_id, status, reason, attempts, next_try_at, created_at)"
                    " VALUES ($1, 0, '<other@example.org>', 'pending', '', 0, now(), now())",
                    found["id"],
                )
                mine = asyncio.create_task(record_decisions(
                    Message._meta.db, [(found["id"], Decision(0, "pending"), "<mine@example.org>")], NOW))  # fmt: skip
                await asyncio.sleep(0.3)  # this round is now waiting on the other's uncommitted row
        finally:
            await other.close()
        return await mine

    assert in_loop(client, race) == 0
    rows = in_loop(client, _rows, Message, Message.message_id)
    assert rows == [{"message_id": "<other@example.org>"}]


async def test_a_round_records_its_decisions_at_once_leaving_steps_already_recorded(
    client: Client, settings: Settings, world: MailWorld
) -> None:
    """A round's decisions are recorded in one statement (one round trip for thousands of contacts); a step that
    has a row already keeps it, and only the new rows are counted."""
    add(client, settings, world.collection, CSV_FIVE)

    async def record() -> tuple[int, int]:
        contacts = [int(row["id"]) for row in await _rows(Contact, Contact._meta.primary_key)]
        engine = Message._meta.db
        first = await record_decisions(engine, [(contacts[1], Decision(0, "pending"), "<first@example.org>")], NOW)
        later = NOW + timedelta(minutes=1)
        decisions = [(contact, Decision(0, "pending"), f"<{contact}@example.org>") for contact in contacts]
        decisions.append((contacts[0], Decision(1, "skipped", "superseded"), "<reminder@example.org>"))
        return first, await record_decisions(engine, decisions, later)

    assert in_loop(client, record) == (1, 5)
    rows = in_loop(client, _rows, Message, Message.contact, Message.step, Message.message_id, Message.status,
                   Message.reason, Message.next_try_at)  # fmt: skip
    contacts = sorted({int(str(row["contact"])) for row in rows})
    invited = [contacts[1], contacts[0], *contacts[2:]]
    assert [(row["contact"], row["step"], row["status"], row["reason"]) for row in rows] == [
        *((contact, 0, "pending", "") for contact in invited), (contacts[0], 1, "skipped", "superseded"),
    ]  # fmt: skip
    assert rows[0]["message_id"] == "<first@example.org>"  # kept, not replaced by the later round's
    assert [row["next_try_at"] for row in rows] == [NOW] + [NOW + timedelta(minutes=1)] * 5


async def test_a_round_that_finds_another_under_way_skips_without_planning(
    client: Client, settings: Settings, world: MailWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each worker's scheduler runs the periodic round: the second of two started together finds the first holding
    the round's lock and returns at once, skipped, without reading a contact (it used to plan every contact again,
    after waiting on the first's rows); the first plans and queues everything."""
    add(client, settings, world.collection, CSV_FIVE)
    plannings: list[int] = []
    reading, go_on = asyncio.Event(), asyncio.Event()
    original = planning_states_of_round

    async def planning_states(now: datetime) -> list[Planned]:
        plannings.append(len(plannings))
        if len(plannings) == 1:  # the first round stays in its planning until the second has run
            reading.set()
            await go_on.wait()
        return await original(now)

    monkeypatch.setattr("servicescore.mail.round.planning_states", planning_states)

    async def together() -> tuple[RoundReport, RoundReport]:
        first = asyncio.create_task(periodic_round(settings, NOW))
        await reading.wait()
        try:
            second = await periodic_round(settings, NOW)
        finally:
            go_on.set()
        return await first, second

    first, second = in_loop(client, together)
    assert plannings == [0]
    assert (second.round_skipped, str(second)) == (True, "skipped: another mail round was under way")
    assert (first.planned, first.jobs) == (5, 1)
    again = in_loop(client, periodic_round, settings, NOW)  # the lock was released: this one runs, finds it done
    assert (again.round_skipped, again.planned, again.jobs) == (False, 0, 0)


HOLD_LOCK = """
import asyncio, sys
from servicescore.db.locks import try_lock

async def hold() -> None:
    async with try_lock(sys.argv[1], sys.argv[2]) as held:
        print("held" if held else "not held", flush=True)
        await asyncio.sleep(600)

asyncio.run(hold())
"""


async def _lock_free(database: str) -> bool:
    async with try_lock(database, ROUND_LOCK) as held:
        return held


async def test_the_round_lock_dies_with_the_process_holding_it(
    client: Client, settings: Settings, world: MailWorld
) -> None:
    """A round killed mid-way (its worker SIGKILLed) leaves no lock behind: the next round plans what it left."""
    add(client, settings, world.collection, CSV_FIVE)
    holder = await asyncio.create_subprocess_exec(
        sys.executable, "-c", HOLD_LOCK, settings.database, ROUND_LOCK, stdout=asyncio.subprocess.PIPE
    )
    try:
        assert holder.stdout is not None
        assert await holder.stdout.readline() == b"held\n"
        assert in_loop(client, periodic_round, settings, NOW).round_skipped
    finally:
        holder.kill()
        await holder.wait()
    # PostgreSQL ends the dead client's session, and with it the lock, once it sees the connection closed
    deadline = time.monotonic() + 30
    while not in_loop(client, _lock_free, settings.database):
        assert time.monotonic() < deadline, "the killed process's lock outlived it"
        await asyncio.sleep(0.05)
    report = in_loop(client, periodic_round, settings, NOW)
    assert (report.round_skipped, report.planned, report.jobs) == (False, 5, 1)
