"""Survey messages as a send job composes them (`mail.compose.SurveyComposer`): the MIME structure is built once per
subject, language and logo and each contact's headers and bodies are filled in, so what arrives must be exactly
what the templates render for that contact, whatever the name, address or language."""

from __future__ import annotations

import email
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import default

import pytest

from servicescore.colours import accessible_accent
from servicescore.formats import long_date
from servicescore.mail.compose import SurveyComposer, SurveyMail
from servicescore.mail.transport import _data
from servicescore.settings import CHECKOUT_DIR
from servicescore.texts import Words, translate

NOW = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)
LOGO = (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "image/png")


def _mail(to: str, name: str, language: str, step: int, n: int) -> SurveyMail:
    return SurveyMail(
        to=to, name=name, language="en" if language == "en" else "sv", step=step, organisation="Zorngården",
        unit="Gammelgården", title="Besöket", closes_at=NOW, survey_url=f"https://enkat.example.se/i/token{n}?lang=sv",
        opt_out_url=f"https://enkat.example.se/o/{n}-abc?lang=sv", colour="#8a1538", logo=LOGO,
        message_id=f"<{n}.stencil@example.se>",
    )  # fmt: skip


def _arrived(data: bytes) -> EmailMessage:
    parsed = email.message_from_string(data.replace(b"\r\n", b"\n").decode("utf-8"), policy=default)  # SMTPUTF8
    assert isinstance(parsed, EmailMessage)
    return parsed


@pytest.mark.parametrize(
    ("to", "name"),
    [
        ("anna@example.org", "Anna Berg"),
        ("bo@example.org", ""),
        ("asa@example.org", "Åsa Öberg"),
        ("c.d@example.org", 'Berg, "Bo" Jr.'),
        ("dot@example.org", ". starts a line"),
        ("anna@exempel.åland", "Åsa"),  # an address that needs SMTPUTF8
        ("åsa@exempel.se", "Åsa"),  # a local part that needs SMTPUTF8: composing it raised and failed its batch
        ("long@example.org", "Anna-Karin Margareta Elisabet Östergren-Lindqvist af Ekebyhov Storgården"),
    ],
)
def test_each_message_is_what_its_templates_render(to: str, name: str) -> None:
    composer = SurveyComposer(sender="Enkäter <enkat@example.se>", templates_dir=CHECKOUT_DIR / "templates", now=NOW)
    for n, (language, step) in enumerate([("sv", 0), ("en", 0), ("sv", 1), ("sv", 0)]):  # the last one reuses
        mail = _mail(to, name, language, step, n)
        flat = composer.compose(mail)
        arrived = _arrived(_data(flat, not to.isascii()).replace(b"\r\n..", b"\r\n."))
        assert (flat.sender, flat.recipient, flat.message_id) == ("enkat@example.se", to, mail.message_id)
        assert arrived["To"].addresses[0].display_name == name
        assert arrived["To"].addresses[0].addr_spec == to
        assert arrived["From"].addresses[0].display_name == "Enkäter"
        assert arrived["Message-ID"] == mail.message_id
        assert arrived["List-Unsubscribe"] == f"<{mail.opt_out_url}>"
        assert arrived["Content-Language"] == language
        assert "Zorngården" in arrived["Subject"]
        context_text = composer.text.render(_context(composer, mail))
        context_html = composer.html.render(_context(composer, mail))
        plain, html = arrived.get_body(("plain",)), arrived.get_body(("html",))
        assert plain is not None
        assert html is not None
        assert plain.get_content() == context_text.rstrip("\n") + "\n"
        assert html.get_content() == context_html.rstrip("\n") + "\n"
        if name and language == "sv" and step == 0:
            assert plain.get_content().startswith(f"Hej {name}!\n")
        assert mail.survey_url in plain.get_content()
        assert f'href="{mail.opt_out_url}"' in html.get_content()
        images = [part for part in arrived.walk() if part.get_content_type() == "image/png"]
        assert [image.get_content() for image in images] == [LOGO[0]]
        assert images[0]["Content-ID"] == "<logo>"
        if to.isascii():
            assert flat.data.isascii()
            assert max(len(line) for line in flat.data.split(b"\r\n")) <= 78


def _context(composer: SurveyComposer, mail: SurveyMail) -> dict[str, object]:
    """The templates' context, as `SurveyComposer.compose` makes it."""
    kind = "invitation" if mail.step == 0 else "reminder"
    return {
        "mail": mail, "kind": kind, "subject": translate(f"email.subject.{kind}", mail.language,
                                                         organisation=mail.organisation),
        "closes": long_date(mail.closes_at, mail.language), "accent": accessible_accent(mail.colour),
        "has_logo": mail.logo is not None, "t": Words(mail.language),
    }  # fmt: skip
