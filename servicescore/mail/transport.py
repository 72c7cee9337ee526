"""Delivering one composed message: through an SMTP server (``SERVICESCORE_SMTP_URL``) or, without one, as an
``.eml`` file in ``<data dir>/outbox/``.

Python's ``smtplib`` speaks SMTP; this module only reads the URL and sorts the server's answers into three outcomes:
sent, try again later (a 4xx reply, a server that is down or drops the line) or failed for good (a 5xx reply, with
the server's own words as the reason).
"""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType
from typing import Final, Literal, Protocol, Self
from urllib.parse import parse_qs, unquote, urlsplit

DEFAULT_PORTS: Final = {"smtp": 25, "smtps": 465}
TIMEOUT_SECONDS: Final = 30.0
_TRUE: Final = frozenset({"1", "true", "yes", "on"})


class BadSmtpUrl(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class SmtpServer:
    host: str
    port: int
    username: str = ""
    password: str = ""
    security: Literal["none", "starttls", "tls"] = "none"


def parse_smtp_url(url: str) -> SmtpServer:
    """``smtp://user:pass@host:587?starttls=true`` or ``smtps://user:pass@host`` (TLS from the first byte)."""
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS:
        raise BadSmtpUrl(f"SERVICESCORE_SMTP_URL: scheme must be smtp:// or smtps:// (got {parts.scheme!r})")
    if not parts.hostname:
        raise BadSmtpUrl("SERVICESCORE_SMTP_URL: no host (write smtp://host:587)")
    try:
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:
        raise BadSmtpUrl("SERVICESCORE_SMTP_URL: the port is not a number from 1 to 65535") from None
    query = {key: values[-1].lower() for key, values in parse_qs(parts.query).items()}
    unknown = sorted(set(query) - {"starttls"})
    if unknown:
        raise BadSmtpUrl(f"SERVICESCORE_SMTP_URL: unknown option(s) {', '.join(unknown)} (known: starttls)")
    if parts.scheme == "smtps":
        security: Literal["none", "starttls", "tls"] = "tls"
    else:
        security = "starttls" if query.get("starttls", "") in _TRUE else "none"
    return SmtpServer(parts.hostname, port, unquote(parts.username or ""), unquote(parts.password or ""), security)


@dataclass(frozen=True, slots=True)
class Outcome:
    status: Literal["sent", "retry", "failed"]
    reason: str = ""
    unreachable: bool = False  # the server could not be reached at all: the rest of a batch waits too


SENT: Final = Outcome("sent")


class Transport(Protocol):
    def send(self, message: EmailMessage) -> Outcome: ...

    def close(self) -> None: ...


def _reply(code: int, text: bytes | str) -> Outcome:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    reason = f"{code} {' '.join(words.split())}".strip()
    return Outcome("retry" if 400 <= code < 500 else "failed", reason)


class SmtpTransport:
    """One connection for a batch, opened on the first message and again after the server drops it."""

    def __init__(self, server: SmtpServer) -> None:
        self.server = server
        self._connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        server = self.server
        context = ssl.create_default_context()
        connection: smtplib.SMTP
        if server.security == "tls":
            connection = smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT_SECONDS, context=context)
        else:
            connection = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT_SECONDS)
        try:
            connection.ehlo()
            if server.security == "starttls":
                connection.starttls(context=context)
                connection.ehlo()
            if server.username:
                connection.login(server.username, server.password)
        except BaseException:
            connection.close()
            raise
        return connection

    def send(self, message: EmailMessage) -> Outcome:
        try:
            if self._connection is None:
                self._connection = self._connect()
            refused = self._connection.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            code, text = next(iter(error.recipients.values()))
            return _reply(code, text)
        except smtplib.SMTPResponseException as error:  # sender refused, data refused, login refused, 421 …
            self._drop()
            return _reply(error.smtp_code, error.smtp_error)
        except (smtplib.SMTPException, OSError) as error:  # down, refused connection, dropped line, timeout
            self._drop()
            return Outcome("retry", f"{type(error).__name__}: {error}".strip()[:500], unreachable=True)
        if refused:  # one recipient a message: refused means that one
            code, text = next(iter(refused.values()))
            return _reply(code, text)
        return SENT

    def _drop(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.quit()
            except (smtplib.SMTPException, OSError):
                self._connection.close()
            self._connection = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()


def outbox_name(message: EmailMessage) -> str:
    """The file of a message in the outbox: named by its Message-ID, so writing it again replaces, never adds."""
    message_id = str(message["Message-ID"]).strip("<>")
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in message_id) + ".eml"


class OutboxTransport:
    """Each message as an ``.eml`` file (written whole, then renamed into place) in the outbox folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: EmailMessage) -> Outcome:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / outbox_name(message)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            with temporary.open("wb") as file:
                file.write(message.as_bytes())  # lines end as on this system, as mail clients save
                file.flush()
                os.fsync(file.fileno())
            temporary.replace(path)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            return Outcome("retry", f"outbox: {error}")
        return SENT

    def close(self) -> None:
        """Nothing to close."""


def open_transport(smtp_url: str, outbox: Path) -> Transport:
    """SMTP when a URL is set, else the outbox folder; a bad URL raises ``BadSmtpUrl`` saying what is wrong."""
    return SmtpTransport(parse_smtp_url(smtp_url)) if smtp_url else OutboxTransport(outbox)
