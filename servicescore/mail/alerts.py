"""Alerts: the words of an alert from the facts of its notice (``db.alerts``), and the e-mail that carries it
(plain text with an HTML part, ``templates/mail/alert.html``)."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from servicescore.db.alerts import DueAlert, Notice
from servicescore.definitions import Instrument
from servicescore.definitions.text import Language
from servicescore.formats import when
from servicescore.mail.compose import environment, sender_address
from servicescore.texts import translate


def alert_words(notice: Notice, base_url: str) -> tuple[str, str]:
    """The subject and plain-text body of the notice's alert, in its recipient's language, ending with its link."""
    language: Language = "en" if notice.language == "en" else "sv"
    facts = dict(notice.facts)
    base = base_url.rstrip("/")
    if notice.kind in ("case", "escalation"):
        facts["due"] = when(facts["due_at"], language)
        link = f"{base}/portal/cases/{facts['case']}"
    else:
        link = f"{base}/visits/{facts['assignment']}"
    if notice.kind == "assignment":
        facts["start"], facts["end"] = when(facts["window_start"], language), when(facts["window_end"], language)
        facts["title"] = Instrument.model_validate_json(facts["definition"]).title.pick(language)
        facts["scenario"] = facts["scenario"] or "–"
    subject = translate(f"email.alert.{notice.kind}.subject", language, **facts)
    body = (
        translate(f"email.alert.{notice.kind}.body", language, **facts)
        .replace("Hej !", "Hej!")
        .replace("Hello ,", "Hello,")
    )
    return subject, f"{body}\n\n{link}\n"


def compose_alert(alert: DueAlert, *, sender: str, templates_dir: Path, now: datetime) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = alert.subject
    message["From"] = sender_address(sender)
    message["To"] = alert.recipient
    message["Date"] = format_datetime(now)
    message["Message-ID"] = alert.message_id
    message["Content-Language"] = alert.language
    message.set_content(alert.body)
    paragraphs = [part.strip() for part in alert.body.split("\n\n") if part.strip()]
    html = (
        environment(templates_dir)
        .get_template("mail/alert.html")
        .render(subject=alert.subject, language=alert.language, paragraphs=paragraphs)
    )
    message.add_alternative(html, subtype="html")
    return message
