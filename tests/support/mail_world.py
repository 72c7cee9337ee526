"""The mail tests' world: Zorngården (brand colour, two units) and Carl Larssons gård, the visitor survey open for
Zorngården's units from yesterday for 30 days, and helpers to upload contacts and run mail rounds in the app's
event loop."""

from __future__ import annotations

import email
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from servicescore.collections.invitation_list import ContactList
from servicescore.db.collections import open_collection
from servicescore.db.instruments import sync_instruments
from servicescore.db.tables import Organisation, Unit, Wave
from servicescore.mail.contacts import upload_contacts
from servicescore.mail.round import RoundReport, run_mail_round
from servicescore.mail.transport import OnData, Outcome, Transport
from servicescore.settings import Settings
from tests.support.instruments import shipped_instruments

Client = AsyncTestClient[Litestar]
NOW = datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class MailWorld:
    collection: int
    units: tuple[int, int]
    other_collection: int  # the same survey and organisation, opening in 10 days


async def make_mail_world() -> MailWorld:
    version = (await sync_instruments([shipped_instruments()["visitor-survey"]]))["visitor-survey"]
    zorn = Organisation(slug="zorngarden", name="Zorngården", brand_colour="#7a2e1f")
    await zorn.save()
    await Organisation(slug="carl-larssons-gard", name="Carl Larssons gård").save()
    museum, farm = (
        Unit(organisation=zorn.id, slug="museet", name="Zornmuseet"),
        Unit(organisation=zorn.id, slug="gammelgarden", name="Gammelgården"),
    )
    await museum.save()
    await farm.save()
    wave = Wave(key="2026-Q4")
    await wave.save()
    collection, _ = await open_collection(instrument_version_id=version, wave_id=wave.id,
                                          unit_ids=[museum.id, farm.id], opens_at=NOW - timedelta(days=1),
                                          closes_at=NOW + timedelta(days=30))  # fmt: skip
    other, _ = await open_collection(instrument_version_id=version, wave_id=wave.id, unit_ids=[museum.id],
                                     opens_at=NOW + timedelta(days=10), closes_at=NOW + timedelta(days=40))  # fmt: skip
    return MailWorld(collection, (museum.id, farm.id), other)


def csv_file(*rows: str) -> tuple[bytes, str]:
    return ("email,name,language,unit,segment\n" + "\n".join(rows) + "\n").encode(), "contacts.csv"


def add(client: Client, settings: Settings, collection: int, upload: tuple[bytes, str], *,
        days: Sequence[int] = (3, 7), at: datetime = NOW) -> ContactList:  # fmt: skip
    async def run() -> ContactList:
        return await upload_contacts(client.app.state.engine, settings, collection, upload, days=days, now=at)

    return client.blocking_portal.call(run)


def mail_round(client: Client, settings: Settings, at: datetime, transport: Transport | None = None) -> RoundReport:
    async def run() -> RoundReport:
        return await run_mail_round(settings, at, transport=transport)

    return client.blocking_portal.call(run)


def in_loop(client: Client, function: Any, *args: Any) -> Any:
    return client.blocking_portal.call(function, *args)


def outbox(folder: Path) -> list[EmailMessage]:
    """The outbox's messages, by recipient and subject."""
    found = [email.message_from_bytes(path.read_bytes(), policy=default) for path in folder.glob("*.eml")]
    return sorted(found, key=lambda m: (str(m["To"]), str(m["Subject"])))  # type: ignore[misc]


class Killed(Exception):
    """The process sending mail died (raised out of the round)."""


class DiesAfterTheMark:
    """A transport whose process dies once the message has been marked sending, before its final dot."""

    def __init__(self, inner: Transport) -> None:
        self.inner = inner

    def send(self, message: EmailMessage, on_data: OnData | None = None) -> Outcome:
        def die() -> bool:
            assert on_data is not None, "the sender marks nothing before the final dot"
            on_data()
            raise Killed()

        return self.inner.send(message, die)

    def close(self) -> None:
        self.inner.close()
