"""Many invitations for the worker tests and the mail benchmark: a data dir with the mail world and N contacts, the
periodic round that hands their invitations to send jobs, `servicescore worker` processes, and an SMTP server
(aiosmtpd) that keeps each message it accepts as it came, to be parsed at the end.
"""

from __future__ import annotations

import asyncio
import email
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from servicescore.db.lifecycle import database
from servicescore.mail.contacts import upload_contacts
from servicescore.mail.sending import RoundReport
from servicescore.settings import Settings
from tests.support.mail_world import NOW, csv_file, make_mail_world
from tests.support.smtp_server import free_port

CHECKOUT = Path(__file__).resolve().parents[2]


async def _seed(settings: Settings, contacts: int) -> None:
    async with database(settings, apply_migrations=True) as engine:
        world = await make_mail_world()
        rows = [f"person{n}@example.org,Person {n},{'en' if n % 2 else 'sv'},museet," for n in range(contacts)]
        listed = await upload_contacts(engine, settings, world.collection, csv_file(*rows), days=(3, 7), now=NOW)
        assert len(listed.contacts) == contacts, listed.problems[:3]


def seed(settings: Settings, contacts: int) -> None:
    """The mail world with ``contacts`` contacts in its collection, invited from NOW (half in English)."""
    asyncio.run(_seed(settings, contacts))


async def _round(settings: Settings, now: datetime) -> RoundReport:
    from servicescore.jobs.mail import mail_round  # registers the send job kind in this process

    async with database(settings):
        return await mail_round(settings, now)


def queue_round(settings: Settings, now: datetime = NOW) -> RoundReport:
    """The periodic round, as a worker's scheduler runs it: plan, and queue the send jobs."""
    return asyncio.run(_round(settings, now))


@dataclass
class Received:
    """Every message the server accepted, as bytes; ``delay`` seconds before each is accepted (a slower server)."""

    delay: float = 0.0
    raw: list[bytes] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    thread: int | None = None  # the server's thread, known from its first message

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.thread = threading.get_ident()
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            self.raw.append(envelope.original_content or b"")
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self.lock:
            return len(self.raw)

    def cpu_seconds(self) -> float:
        """CPU seconds the server's thread has used (user + system), 0 before its first message."""
        return 0.0 if self.thread is None else time.clock_gettime(time.pthread_getcpuclockid(self.thread))

    def messages(self) -> list[EmailMessage]:
        with self.lock:
            raw = list(self.raw)
        parsed = [email.message_from_bytes(content.replace(b"\r\n", b"\n"), policy=default) for content in raw]
        return [message for message in parsed if isinstance(message, EmailMessage)]


@contextmanager
def receiving(delay: float = 0.0) -> Iterator[tuple[str, Received]]:
    """``with receiving() as (url, received):`` an SMTP server on a free local port."""
    received = Received(delay)
    port = free_port()
    controller = Controller(received, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}", received
    finally:
        controller.stop()


def environment(data_dir: Path, smtp_url: str, queue_url: str = "", **extra: str) -> dict[str, str]:
    values = {key: value for key, value in os.environ.items() if not key.startswith("SERVICESCORE_")}
    return values | {
        "SERVICESCORE_DATA_DIR": str(data_dir), "SERVICESCORE_SMTP_URL": smtp_url,
        "SERVICESCORE_QUEUE_URL": queue_url, "PYTHONPATH": str(CHECKOUT), **extra,
    }  # fmt: skip


def start_worker(env: dict[str, str], log: Path, workers: int = 1) -> subprocess.Popen[bytes]:
    """A `servicescore worker` process writing to ``log``, returned once it has started its runner."""
    with log.open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "servicescore", "worker", "--workers", str(workers)], cwd=CHECKOUT, env=env,
            stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    started = f"worker {socket.gethostname()}:{process.pid}"

    def running() -> bool:
        assert process.poll() is None, log.read_text(errors="replace")
        return started in log.read_text(errors="replace")

    wait_until(running, 60, poll=0.05)
    return process


def wait_until(done: Callable[[], bool], seconds: float, poll: float = 0.01) -> None:
    """Call ``done()`` until it is true, at most ``seconds``."""
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(poll)
