"""Composing a survey e-mail: HTML with a plain-text part, in the contact's language, branded with the
organisation's logo (an inline attachment) and colour, with the personal survey link and an opt-out link.

The words are ``email.*`` in ``servicescore.texts``; the layout is ``templates/mail/survey.html`` and
``survey.txt`` (a client's own templates folder may replace them by name).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address, BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.policy import default
from email.utils import format_datetime, make_msgid, parseaddr
from functools import cache
from pathlib import Path
from typing import Literal

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from servicescore.colours import accessible_accent
from servicescore.formats import long_date
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
    domain = parseaddr(sender)[1].rpartition("@")[2] or "servicescore.invalid"
    return make_msgid(domain=domain)


def sender_address(sender: str) -> Address:
    name, address = parseaddr(sender)
    user, _, domain = address.partition("@")
    return Address(display_name=name, username=user, domain=domain)


def compose(mail: SurveyMail, *, sender: str, templates_dir: Path, now: datetime) -> EmailMessage:
    language = mail.language
    kind = "invitation" if mail.step == 0 else "reminder"
    subject = translate(f"email.subject.{kind}", language, organisation=mail.organisation)
    context = {
        "mail": mail,
        "kind": kind,
        "subject": subject,
        "closes": long_date(mail.closes_at, language),
        "accent": accessible_accent(mail.colour),
        "has_logo": mail.logo is not None,
        "t": Words(language),
    }
    templates = environment(templates_dir)
    message = EmailMessage(policy=POLICY)
    message["Subject"] = subject
    message["From"] = sender_address(sender)
    message["To"] = Address(display_name=mail.name, addr_spec=mail.to)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = mail.message_id
    # RFC 8058 one-click unsubscribe would need a POST without a form; the link opens the opt-out page instead.
    message["List-Unsubscribe"] = f"<{mail.opt_out_url}>"
    message.set_content(templates.get_template("mail/survey.txt").render(context))
    message.add_alternative(templates.get_template("mail/survey.html").render(context), subtype="html")
    if mail.logo is not None:
        data, media = mail.logo
        main, _, sub = media.partition("/")
        html = message.get_body(("html",))
        assert html is not None
        html.add_related(data, maintype=main, subtype=sub, cid="<logo>", disposition="inline", filename="logo")
    message["Content-Language"] = language  # after the body: setting content clears every Content-* header
    return message
