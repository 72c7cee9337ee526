"""Delivering one composed message: through an SMTP server (``SERVICESCORE_SMTP_URL``) or, without one, as an
``.eml`` file in ``<data dir>/outbox/``.

Python's ``smtplib`` speaks SMTP; this module only reads the URL and sorts the server's answers into three outcomes:
sent, try again later (a 4xx reply, a server that is down or drops the line) or failed for good (a 5xx reply, with
the server's own words as the reason).

A sender that must know whether a message may have reached the server passes ``on_data``: it is called once the
server has accepted the recipient and holds the whole message but the final ``.`` (which makes the server take it)
has not been sent, and the message goes only when it returns True. Before that call the server has nothing (a line
that drops mid-message is a message the server throws away, RFC 5321 §4.1.1.4); after it, the server has it unless
it refuses with its reply, which ``send`` returns.
"""

from __future__ import annotations

import os
import re
import smtplib
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email.generator import BytesGenerator
from email.headerregistry import AddressHeader
from email.message import EmailMessage
from email.policy import SMTP, SMTPUTF8
from io import BytesIO
from pathlib import Path
from types import TracebackType
from typing import Final, Literal, Protocol, Self
from urllib.parse import parse_qs, unquote, urlsplit

DEFAULT_PORTS: Final = {"smtp": 25, "smtps": 465}
TIMEOUT_SECONDS: Final = 30.0
_TRUE: Final = frozenset({"1", "true", "yes", "on"})
_LEADING_DOT: Final = re.compile(rb"(?m)^\.")  # RFC 5321 §4.5.2: a line that starts with "." gets another
OnData = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class Flat:
    """A message already flattened to the bytes DATA carries (CRLF lines, leading dots not yet doubled), with its
    envelope: what a batch of survey messages sends (`compose.SurveyComposer`), whose MIME structure is built once."""

    sender: str  # the envelope's addresses (addr-spec)
    recipient: str
    message_id: str
    data: bytes


Sendable = EmailMessage | Flat


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
    status: Literal["sent", "retry", "failed", "taken"]  # taken: ``on_data`` said no, nothing was sent
    reason: str = ""
    unreachable: bool = False  # the server could not be reached at all: the rest of a batch waits too


SENT: Final = Outcome("sent")
TAKEN: Final = Outcome("taken", "another run is sending it")


class Transport(Protocol):
    def send(self, message: Sendable, on_data: OnData | None = None) -> Outcome: ...

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
            # The final dot goes in a write of its own after the mark (`OnData`): without this, Nagle's algorithm
            # holds it until the server's delayed ACK of the body, 40 ms a message on Linux.
            if connection.sock is not None:  # connected by the constructor (a host was given)
                connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
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

    def send(self, message: Sendable, on_data: OnData | None = None) -> Outcome:
        try:
            if self._connection is None:
                self._connection = self._connect()
            return self._transaction(self._connection, message, on_data)
        except smtplib.SMTPResponseException as error:  # sender refused, data refused, login refused, 421 …
            self._drop()
            return _reply(error.smtp_code, error.smtp_error)
        except (smtplib.SMTPException, OSError) as error:  # down, refused connection, dropped line, timeout
            self._drop()
            return Outcome("retry", f"{type(error).__name__}: {error}".strip()[:500], unreachable=True)

    def _transaction(self, connection: smtplib.SMTP, message: Sendable, on_data: OnData | None) -> Outcome:
        """MAIL, RCPT and DATA by smtplib's public commands, so that ``on_data`` comes just before the final dot."""
        if isinstance(message, Flat):
            sender, recipient = message.sender, message.recipient
        else:
            sender, recipient = _address(message, "From"), _address(message, "To")
        international = not (sender.isascii() and recipient.isascii())
        options = ["SMTPUTF8", "BODY=8BITMIME"] if international else []
        if international and not connection.has_extn("smtputf8"):
            return Outcome("failed", "the server does not take non-ASCII addresses (SMTPUTF8)")
        code, text = connection.mail(sender, options)
        if code == 250:
            code, text = connection.rcpt(recipient)
        if code in (250, 251):
            code, text = connection.docmd("DATA")
        if code != 354:
            return self._refused(connection, code, text)
        connection.send(_data(message, international))
        if on_data is not None and not on_data():
            self._drop()  # the line ends mid-message: the server throws it away
            return TAKEN
        connection.send(b".\r\n")
        code, text = connection.getreply()
        return SENT if code == 250 else self._refused(connection, code, text, data_sent=True)

    def _refused(self, connection: smtplib.SMTP, code: int, text: bytes, *, data_sent: bool = False) -> Outcome:
        """The server's refusal as an outcome; the connection is reset for the next message, or dropped when the
        server is closing it (421)."""
        if code == 421:
            self._drop()
        elif not data_sent:
            connection.rset()
        return _reply(code, text)

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


def _address(message: EmailMessage, header: str) -> str:
    field = message[header]
    assert isinstance(field, AddressHeader), f"{header}: an address header (the default policy's)"
    return str(field.addresses[0].addr_spec)


def _data(message: Sendable, international: bool) -> bytes:
    """The message as DATA carries it: CRLF lines, leading dots doubled, ending in CRLF (the final dot apart)."""
    if isinstance(message, Flat):
        flat = message.data
    else:
        buffer = BytesIO()
        BytesGenerator(buffer, policy=SMTPUTF8 if international else SMTP).flatten(message)
        flat = buffer.getvalue()
    data = _LEADING_DOT.sub(b"..", flat)
    return data if data.endswith(b"\r\n") else data + b"\r\n"


def outbox_name(message: Sendable) -> str:
    """The file of a message in the outbox: named by its Message-ID, so writing it again replaces, never adds."""
    message_id = (message.message_id if isinstance(message, Flat) else str(message["Message-ID"])).strip("<>")
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in message_id) + ".eml"


class OutboxTransport:
    """Each message as an ``.eml`` file (written whole, then renamed into place) in the outbox folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: Sendable, on_data: OnData | None = None) -> Outcome:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / outbox_name(message)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        # lines end as on this system, as mail clients save
        content = message.data.replace(b"\r\n", b"\n") if isinstance(message, Flat) else message.as_bytes()
        try:
            with temporary.open("wb") as file:
                file.write(content)
                file.flush()
                os.fsync(file.fileno())
            if on_data is not None and not on_data():
                temporary.unlink()
                return TAKEN
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
