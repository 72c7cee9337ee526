"""Composing a survey e-mail: HTML with a plain-text part, in the contact's language, branded with the
organisation's logo (an inline attachment) and colour, with the personal survey link and an opt-out link.

The words are ``email.*`` in ``servicescore.texts``; the layout is ``templates/mail/survey.html`` and
``survey.txt`` (a client's own templates folder may replace them by name).
"""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address, BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.policy import default
from email.utils import format_datetime, make_msgid, parseaddr
from functools import cache
from pathlib import Path
from typing import Final, Literal

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from servicescore.colours import accessible_accent
from servicescore.formats import local_day
from servicescore.mail.transport import Flat
from servicescore.texts import Words, translate


class _HeaderClasses(HeaderRegistry):
    """The standard header registry, with each header's class made once: the stock registry builds a new class
    every time a header is set or read, which was about 40 % of the time composing a message took."""

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[str, type[BaseHeader]] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        key = name.lower()
        if key not in self._made:
            self._made[key] = super().__getitem__(name)
        return self._made[key]


POLICY = default.clone(header_factory=_HeaderClasses())  # the default policy (RFC 5322, UTF-8 aware), faster


@dataclass(frozen=True, slots=True)
class SurveyMail:
    to: str
    name: str
    language: Literal["sv", "en"]
    step: int  # 0: the invitation; n: the n-th reminder
    organisation: str
    unit: str
    title: str
    closes_at: datetime
    survey_url: str
    opt_out_url: str
    colour: str  # the organisation's brand colour, "" for ServiceScore's
    logo: tuple[bytes, str] | None  # the organisation's logo and its media type
    message_id: str  # <…@…>, made when the message was planned and kept through every retry


@cache
def environment(templates_dir: Path) -> Environment:
    return Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def new_message_id(sender: str) -> str:
    """A Message-ID in the sender's domain, made once per (contact, step)."""
    return make_msgid(domain=_domain(sender))


@cache
def _domain(sender: str) -> str:
    """The sender's domain: a round makes thousands of Message-IDs from one sender, and parsing it is slow."""
    return parseaddr(sender)[1].rpartition("@")[2] or "servicescore.invalid"


def sender_address(sender: str) -> Address:
    name, address = parseaddr(sender)
    user, _, domain = address.partition("@")
    return Address(display_name=name, username=user, domain=domain)


_SLOTS: Final = ("servicescore-text-slot\n", "servicescore-html-slot\n")  # where each message's bodies go
_PLAIN_NAME: Final = re.compile(r"[A-Za-z0-9]+(?: [A-Za-z0-9]+)*|")  # words of letters and digits, or none
_PLAIN_ADDRESS: Final = re.compile(r"[\w%+-]+(?:\.[\w%+-]+)*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*", re.ASCII)
_WIRE: Final = POLICY.clone(linesep="\r\n")
_WIRE_UTF8: Final = _WIRE.clone(utf8=True)  # a non-ASCII address (SMTPUTF8) is written as it is


def _body(text: str) -> bytes:
    """A body as quoted-printable (7-bit lines of at most 76 characters, whatever the text and the server), CRLF
    lines ending in CRLF, as the email package writes a part with ``cte="quoted-printable"``."""
    lines = text.encode("utf-8").splitlines()
    return binascii.b2a_qp(b"\n".join(lines) + b"\n", istext=True).replace(b"\n", b"\r\n")


def _to(name: str, address: str) -> bytes:
    """The To header: a plain name and address as they are, anything else by the email package."""
    if _PLAIN_ADDRESS.fullmatch(address) and _PLAIN_NAME.fullmatch(name):
        return f"To: {name} <{address}>\r\n".encode("ascii") if name else f"To: {address}\r\n".encode("ascii")
    # By its parts: Address(addr_spec=…) refuses a non-ASCII local part ('åsa@exempel.se'), which SMTPUTF8 carries.
    user, _, domain = address.rpartition("@")
    return _line("To", Address(display_name=name, username=user, domain=domain))


def _line(name: str, value: str | Address) -> bytes:
    """One header as written on the wire; the simple case (ASCII, no line breaks, short) without the header parser."""
    if isinstance(value, str) and value.isascii() and len(value) < 900 and not any(c in value for c in "\r\n"):
        return f"{name}: {value}\r\n".encode("ascii")
    utf8 = isinstance(value, Address) and not value.addr_spec.isascii()
    policy = _WIRE_UTF8 if utf8 else _WIRE
    folded: str = policy.header_factory(name, value).fold(policy=policy)
    return folded.encode("utf-8" if utf8 else "ascii")


class _Stencil:
    """The part that survey messages with one subject, language and logo share, flattened once: the headers but the
    contact's own, the MIME structure, the logo; a message is its own headers and two bodies filled in."""

    def __init__(self, *, subject: str, sender: str, language: str, logo: tuple[bytes, str] | None, now: datetime):
        message = EmailMessage(policy=POLICY)
        message["Subject"] = subject
        message["From"] = sender_address(sender)
        message["Date"] = format_datetime(now)
        message.set_content(_SLOTS[0], cte="quoted-printable")
        message.add_alternative(_SLOTS[1], subtype="html", cte="quoted-printable")
        if logo is not None:
            data, media = logo
            main, _, sub = media.partition("/")
            html = message.get_body(("html",))
            assert html is not None
            html.add_related(data, maintype=main, subtype=sub, cid="<logo>", disposition="inline", filename="logo")
        message["Content-Language"] = language  # after the body: setting content clears every Content-* header
        self.sender = str(sender_address(sender).addr_spec)
        flat = message.as_bytes(policy=_WIRE)
        head, rest = flat.split(_SLOTS[0].replace("\n", "\r\n").encode("ascii"))
        self.pieces = (head, *rest.split(_SLOTS[1].replace("\n", "\r\n").encode("ascii")))
        assert len(self.pieces) == 3, "one slot for each body"

    def fill(self, mail: SurveyMail, text: str, html: str) -> Flat:
        head, between, tail = self.pieces
        # RFC 8058 one-click unsubscribe would need a POST without a form; the link opens the opt-out page instead.
        own = (_to(mail.name, mail.to) + _line("Message-ID", mail.message_id)
               + _line("List-Unsubscribe", f"<{mail.opt_out_url}>"))  # fmt: skip
        data = b"".join((own, head, _body(text), between, _body(html), tail))
        return Flat(self.sender, mail.to, mail.message_id, data)


class SurveyComposer:
    """Survey messages from one sender at one time: each message's texts are rendered from the templates, and its
    MIME structure is built once for every message with the same subject, language and logo (the email package's
    header parsing and folding was most of what composing a message cost)."""

    def __init__(self, *, sender: str, templates_dir: Path, now: datetime) -> None:
        self.sender, self.now = sender, now
        templates = environment(templates_dir)
        self.text, self.html = templates.get_template("mail/survey.txt"), templates.get_template("mail/survey.html")
        self._stencils: dict[tuple[str, str, tuple[bytes, str] | None], _Stencil] = {}

    def compose(self, mail: SurveyMail) -> Flat:
        language = mail.language
        kind = "invitation" if mail.step == 0 else "reminder"
        subject = translate(f"email.subject.{kind}", language, organisation=mail.organisation)
        context = {
            "mail": mail,
            "kind": kind,
            "subject": subject,
            "closes": local_day(mail.closes_at, language),
            "accent": accessible_accent(mail.colour),
            "has_logo": mail.logo is not None,
            "t": Words(language),
        }
        text, html = self.text.render(context), self.html.render(context)
        key = (subject, language, mail.logo)
        if key not in self._stencils:
            self._stencils[key] = _Stencil(subject=subject, sender=self.sender, language=language, logo=mail.logo,
                                           now=self.now)  # fmt: skip
        return self._stencils[key].fill(mail, text, html)
