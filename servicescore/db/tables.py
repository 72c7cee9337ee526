"""Piccolo tables for the whole domain model of DESIGN.md.

Times are UTC (``Timestamptz``). Identifiers a client makes (response ids) are UUIDs; tokens that grant
access are stored only as SHA-256 digests, so a copy of the database does not hand out live links or sessions.
"""

from __future__ import annotations

from piccolo.columns import (
    JSONB,
    UUID,
    BigSerial,
    Boolean,
    DoublePrecision,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class PeerGroup(Table, tablename="peer_group"):
    slug = Varchar(length=80, unique=True)
    name = Varchar(length=200)
    name_en = Varchar(length=200, default="")  # in English reports; empty: the (Swedish) name
    industry = Varchar(length=200, default="")


class Organisation(Table, tablename="organisation"):
    slug = Varchar(length=80, unique=True)
    name = Varchar(length=200, unique=True)
    peer_group = ForeignKey(references=PeerGroup, null=True, on_delete=OnDelete.set_null)
    brand = Varchar(length=80, default="")  # a folder name in reports/brands/; empty = ServiceScore's own
    brand_colour = Varchar(length=7, default="")
    logo_sha256 = Varchar(length=64, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    case_owner_email = Varchar(length=320, default="")  # new follow-up cases are e-mailed here (mail.alerts)
    escalation_email = Varchar(length=320, default="")  # and a case still open past its due time here


class Unit(Table, tablename="unit"):
    organisation = ForeignKey(references=Organisation, null=False, on_delete=OnDelete.cascade, index=True)
    slug = Varchar(length=80)
    name = Varchar(length=200)
    kind = Varchar(length=20, default="site")  # site | call_centre | team | channel
    latitude = DoublePrecision(null=True, default=None)
    longitude = DoublePrecision(null=True, default=None)


class Instrument(Table, tablename="instrument"):
    key = Varchar(length=80, unique=True)  # the definition's id, e.g. "guided-tour"
    kind = Varchar(length=20)  # survey | scorecard
    current_version = Varchar(length=12, default="")


class InstrumentVersion(Table, tablename="instrument_version"):
    """One content version of an instrument; responses point here, so editing a definition never rewrites them."""

    instrument = ForeignKey(references=Instrument, null=False, on_delete=OnDelete.cascade, index=True)
    version = Varchar(length=12)
    definition = JSONB()
    loaded_at = Timestamptz(default=TimestamptzNow())


class Wave(Table, tablename="wave"):
    key = Varchar(length=40, unique=True)  # "2026-Q3"; sorts chronologically
    starts_on = Timestamptz(null=True, default=None)
    ends_on = Timestamptz(null=True, default=None)


class User(Table, tablename="app_user"):
    username = Varchar(length=80, unique=True)
    display_name = Varchar(length=200, default="")
    role = Varchar(length=20)  # consultant | shopper | client
    organisation = ForeignKey(references=Organisation, null=True, on_delete=OnDelete.cascade)
    password_hash = Varchar(length=200)
    language = Varchar(length=2, default="sv")
    active = Boolean(default=True)
    created_at = Timestamptz(default=TimestamptzNow())
    email = Varchar(length=320, default="")  # where this account's alerts go (a shopper's assignments, returns)


class LoginThrottle(Table, tablename="login_throttle"):
    """Failed logins counted per client address, per account, per account and address, and the addresses an account
    logged in from: one row per SHA-256 of such a key, shared by every app process (accounts/throttle.py)."""

    key_sha256 = Varchar(length=64, unique=True)
    failures = Integer(default=0)
    window_start = Timestamptz()
    until = Timestamptz(null=True, default=None)  # blocked until, or (for an address that logged in) trusted until


class InstallationSecret(Table, tablename="installation_secret"):
    """Values every process of an installation must share, made once by the first process that needs one (the secret
    key, when SERVICESCORE_SECRET_KEY is not set): the first insert of a name wins and every process reads it."""

    name = Varchar(length=40, unique=True)
    value = Text()


class Session(Table, tablename="session"):
    token_sha256 = Varchar(length=64, unique=True)
    account = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz()


class Collection(Table, tablename="collection"):
    instrument_version = ForeignKey(references=InstrumentVersion, null=False, on_delete=OnDelete.restrict)
    wave = ForeignKey(references=Wave, null=False, on_delete=OnDelete.restrict)
    title = Varchar(length=200, default="")
    opens_at = Timestamptz()
    closes_at = Timestamptz()
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)


class CollectionLink(Table, tablename="collection_link"):
    """The public link of one unit in a collection: ``/s/{token}``."""

    collection = ForeignKey(references=Collection, null=False, on_delete=OnDelete.cascade, index=True)
    unit = ForeignKey(references=Unit, null=False, on_delete=OnDelete.cascade)
    token = Varchar(length=64, unique=True)  # public by design: printed as a QR code on site


class Invitation(Table, tablename="invitation"):
    """A personal single-use link; only the token's digest is kept."""

    collection = ForeignKey(references=Collection, null=False, on_delete=OnDelete.cascade, index=True)
    unit = ForeignKey(references=Unit, null=False, on_delete=OnDelete.cascade)
    token_sha256 = Varchar(length=64, unique=True)
    email = Varchar(length=320, default="")  # no longer written: addresses are never kept in the open
    used_at = Timestamptz(null=True, default=None)


class Assignment(Table, tablename="assignment"):
    shopper = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade, index=True)
    unit = ForeignKey(references=Unit, null=False, on_delete=OnDelete.cascade)
    instrument_version = ForeignKey(references=InstrumentVersion, null=False, on_delete=OnDelete.restrict)
    wave = ForeignKey(references=Wave, null=False, on_delete=OnDelete.restrict)
    scenario = Text(default="")
    window_start = Timestamptz()
    window_end = Timestamptz()
    status = Varchar(length=20, default="due")  # due | in_progress | submitted | returned | approved | rejected
    created_at = Timestamptz(default=TimestamptzNow())


class Response(Table, tablename="response"):
    """One survey response or one mystery visit. The id is made by the client, so a resend is recognised."""

    id = UUID(primary_key=True)
    instrument_version = ForeignKey(references=InstrumentVersion, null=False, on_delete=OnDelete.restrict)
    wave = ForeignKey(references=Wave, null=False, on_delete=OnDelete.restrict, index=True)
    organisation = ForeignKey(references=Organisation, null=False, on_delete=OnDelete.cascade, index=True)
    unit = ForeignKey(references=Unit, null=False, on_delete=OnDelete.cascade)
    collection = ForeignKey(references=Collection, null=True, on_delete=OnDelete.set_null)
    assignment = ForeignKey(references=Assignment, null=True, on_delete=OnDelete.set_null)
    # survey: partial | complete; scorecard: draft | submitted | approved | returned | rejected
    status = Varchar(length=20, index=True)
    segment = Varchar(length=80, null=True, default=None)
    language = Varchar(length=2, default="sv")
    # scorecard: the digest of the visit's content; survey: the version of its answers (collections.answers)
    content_sha256 = Varchar(length=64, default="")
    started_at = Timestamptz(null=True, default=None)
    submitted_at = Timestamptz(null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())
    weight = DoublePrecision(default=1.0)
    # survey: the furthest page (index) the respondent sent forward, -1 for none; resuming starts after it
    furthest_page = Integer(default=-1)
    # Given by the database at insert and growing: what answers refer to, so each new response's answers go at the
    # end of their index whatever its id (m0023). SQLite's rowid, PostgreSQL's identity column.
    number = BigSerial()


class Answer(Table, tablename="answer"):
    """One value of one item of one response: narrow, numeric, and read column-wise into the analytics snapshot."""

    # No index of its own: `answer_response_item` (response_number, item), m0023, serves lookups by response.
    response_number = ForeignKey(
        references=Response, target_column="number", null=False, on_delete=OnDelete.cascade, index=False
    )
    item = Varchar(length=80)
    value = DoublePrecision(null=True, default=None)
    na = Boolean(default=False)
    text = Text(null=True, default=None)


class Attachment(Table, tablename="attachment"):
    response = ForeignKey(references=Response, null=False, on_delete=OnDelete.cascade, index=True)
    item = Varchar(length=80)
    sha256 = Varchar(length=64, index=True)  # the file lives at attachments/<sha256>; one copy per content
    content_type = Varchar(length=40)
    size = Integer()
    width = Integer(default=0)
    height = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())


class Case(Table, tablename="follow_up_case"):
    """A follow-up of a response whose respondent asked to be contacted and whose answers met the rule."""

    response = ForeignKey(references=Response, null=False, on_delete=OnDelete.cascade, unique=True)
    organisation = ForeignKey(references=Organisation, null=False, on_delete=OnDelete.cascade, index=True)
    status = Varchar(length=20, default="open")  # open | contacted | closed
    assignee = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    due_at = Timestamptz()
    first_contact_at = Timestamptz(null=True, default=None)
    closed_at = Timestamptz(null=True, default=None)
    notes = JSONB(default=[])


class CaseContact(Table, tablename="case_contact"):
    """Contact details, kept apart from the answers and deleted when the case closes."""

    case = ForeignKey(references=Case, null=False, on_delete=OnDelete.cascade, unique=True)
    name = Varchar(length=200, default="")
    email = Varchar(length=320, default="")
    phone = Varchar(length=40, default="")


class ApiToken(Table, tablename="api_token"):
    """A personal token for integrations (``Authorization: Bearer …``): the owner's role and organisation apply."""

    account = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade, index=True)
    name = Varchar(length=80)
    token_sha256 = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    last_used_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)


class AuditEvent(Table, tablename="audit_event"):
    at = Timestamptz(default=TimestamptzNow(), index=True)
    actor = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    action = Varchar(length=80)
    object_type = Varchar(length=40)
    object_id = Varchar(length=64)
    detail = JSONB(default={})


class CalibrationExercise(Table, tablename="calibration_exercise"):
    """One shared reference that several shoppers score independently with a scorecard, to measure how alike
    they score: a recorded call or a video/audio file, a written transcript, or a visit to one unit in one window."""

    instrument_version = ForeignKey(references=InstrumentVersion, null=False, on_delete=OnDelete.restrict)
    wave = ForeignKey(references=Wave, null=False, on_delete=OnDelete.restrict, index=True)
    title = Varchar(length=200)
    reference = Varchar(length=20)  # recording | transcript | visit
    file_sha256 = Varchar(length=64, default="")  # recording: the file lives at attachments/<sha256>
    file_type = Varchar(length=40, default="")
    transcript = Text(default="")
    unit = ForeignKey(references=Unit, null=True, on_delete=OnDelete.cascade)  # visit: where
    window_start = Timestamptz(null=True, default=None)  # visit: when
    window_end = Timestamptz(null=True, default=None)
    status = Varchar(length=20, default="open")  # open | closed: shoppers see the consensus once closed
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz(default=TimestamptzNow())
    closed_at = Timestamptz(null=True, default=None)


class CalibrationShopper(Table, tablename="calibration_shopper"):
    """A shopper chosen for an exercise, and when they sent their answers (null until they did)."""

    exercise = ForeignKey(references=CalibrationExercise, null=False, on_delete=OnDelete.cascade, index=True)
    shopper = ForeignKey(references=User, null=False, on_delete=OnDelete.cascade, index=True)
    submitted_at = Timestamptz(null=True, default=None)


class CalibrationAnswer(Table, tablename="calibration_answer"):
    """One value of one item a shopper gave in an exercise: the layout of `Answer`, kept apart from the results."""

    entry = ForeignKey(references=CalibrationShopper, null=False, on_delete=OnDelete.cascade, index=True)
    item = Varchar(length=80)
    value = DoublePrecision(null=True, default=None)
    na = Boolean(default=False)
    text = Text(null=True, default=None)


class Job(Table, tablename="job"):
    """A piece of background work (`servicescore/jobs/`): the truth about it, whatever the queue holds. The queue
    (huey) carries only the job's id and forgets a message once a worker takes it, so a job is re-sent from here
    when its message is lost or its worker died (`jobs.recovery`)."""

    kind = Varchar(length=80)
    organisation = ForeignKey(references=Organisation, null=True, on_delete=OnDelete.cascade, index=True)
    batch = Varchar(length=36, default="", index=True)  # jobs enqueued together (one `report --all`)
    dedupe_key = Varchar(length=200, null=True, default=None, unique=True)  # a periodic run: kind@minute, once
    payload = Text(default="{}")  # JSON
    status = Varchar(length=10, default="queued", index=True)  # queued | running | failed | done
    reason = Text(default="")  # why the last attempt failed: one line, no traceback
    result = Text(default="")  # what a finished job did, one line (the file written, or why it was skipped)
    attempts = Integer(default=0)
    max_attempts = Integer(default=5)
    progress_done = Integer(default=0)
    progress_total = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())
    run_after = Timestamptz(default=TimestamptzNow())  # a retry waits until then
    started_at = Timestamptz(null=True, default=None)
    finished_at = Timestamptz(null=True, default=None)
    heartbeat_at = Timestamptz(null=True, default=None)  # refreshed while running; stale = the worker died
    worker = Varchar(length=120, default="")  # host:pid of the last worker that took it


class Mailing(Table, tablename="mailing"):
    """When a collection's contacts are e-mailed: the invitation, then reminders some days after it."""

    collection = ForeignKey(references=Collection, null=False, on_delete=OnDelete.cascade, unique=True)
    invite_at = Timestamptz()
    reminder_days = Varchar(length=40, default="")  # "3,7": a reminder 3 and 7 days after the invitation


class Contact(Table, tablename="contact"):
    """Someone a collection e-mails. The address, name and survey link are sealed (Fernet, collections.addresses)
    and emptied once the collection has been closed for the retention period; the keyed digest of the address
    stays, so an opt-out and the frequency rule hold for the organisation's later collections."""

    collection = ForeignKey(references=Collection, null=False, on_delete=OnDelete.cascade, index=True)
    unit = ForeignKey(references=Unit, null=False, on_delete=OnDelete.cascade)
    organisation = ForeignKey(references=Organisation, null=False, on_delete=OnDelete.cascade, index=True)
    invitation = ForeignKey(references=Invitation, null=True, on_delete=OnDelete.set_null, unique=True)
    sealed = Text(default="")
    digest = Varchar(length=64, index=True)  # unique with collection (m0009)
    language = Varchar(length=2, default="sv")
    segment = Varchar(length=80, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    opted_out_at = Timestamptz(null=True, default=None)
    bounced_at = Timestamptz(null=True, default=None)
    bounce_reason = Text(default="")
    deleted_at = Timestamptz(null=True, default=None)  # when the sealed details were emptied


class Message(Table, tablename="message"):
    """One e-mail to a contact: step 0 is the invitation, step n the n-th reminder (unique with contact, m0009)."""

    contact = ForeignKey(references=Contact, null=False, on_delete=OnDelete.cascade, index=True)
    step = Integer(default=0)
    message_id = Varchar(length=250, unique=True)
    # pending | sending (handed to the SMTP server, its reply not yet recorded: never sent again) | sent | failed |
    # skipped
    status = Varchar(length=10, default="pending", index=True)
    reason = Text(default="")  # failed: the server's reply; skipped: why (completed, opted_out, bounced, …)
    attempts = Integer(default=0)
    next_try_at = Timestamptz(default=TimestamptzNow())
    claimed_until = Timestamptz(null=True, default=None)  # sending: the run that marked it holds it until then
    created_at = Timestamptz(default=TimestamptzNow())
    sent_at = Timestamptz(null=True, default=None)
    job = Integer(null=True, default=None, index=True)  # the send job holding it while that job is queued or running


class Alert(Table, tablename="alert"):
    """One e-mail about something that happened (a new follow-up case, a returned visit, a new assignment), composed
    when it was noticed and sent like a survey message; unique per (kind, object_key), so it is noticed once."""

    kind = Varchar(length=20)  # case | escalation | returned | assignment
    object_key = Varchar(length=80)
    recipient = Varchar(length=320)
    language = Varchar(length=2, default="sv")
    subject = Varchar(length=300)
    body = Text(default="")
    message_id = Varchar(length=250, unique=True)
    status = Varchar(length=10, default="pending", index=True)  # pending | sent | failed
    reason = Text(default="")
    attempts = Integer(default=0)
    next_try_at = Timestamptz(default=TimestamptzNow())
    claimed_until = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    sent_at = Timestamptz(null=True, default=None)


TABLES: tuple[type[Table], ...] = (
    PeerGroup,
    Organisation,
    Unit,
    Instrument,
    InstrumentVersion,
    Wave,
    User,
    LoginThrottle,
    InstallationSecret,
    Session,
    Collection,
    CollectionLink,
    Invitation,
    Assignment,
    Response,
    Answer,
    Attachment,
    Case,
    CaseContact,
    ApiToken,
    AuditEvent,
    CalibrationExercise,
    CalibrationShopper,
    CalibrationAnswer,
    Job,
    Mailing,
    Contact,
    Message,
    Alert,
)
