"""Interface strings of the outbox, the contacts on a collection page and the opt-out page (see
``servicescore.web.texts``)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # The outbox (no SMTP server configured)
    "mail.outbox.title": {"sv": "Utkorg", "en": "Outbox"},
    "mail.outbox.intro": {
        "sv": "Ingen e-postserver är inställd (SERVICESCORE_SMTP_URL), så varje meddelande sparas här i stället.",
        "en": "No mail server is set (SERVICESCORE_SMTP_URL), so every message is kept here instead.",
    },
    "mail.outbox.smtp": {
        "sv": "Meddelanden skickas med e-postservern; här finns bara det som sparades innan den ställdes in.",
        "en": "Messages go through the mail server; here is only what was kept before it was set.",
    },
    "mail.outbox.empty": {"sv": "Utkorgen är tom.", "en": "The outbox is empty."},
    "mail.outbox.date": {"sv": "Skickat", "en": "Sent"},
    "mail.outbox.to": {"sv": "Till", "en": "To"},
    "mail.outbox.subject": {"sv": "Ämne", "en": "Subject"},
    "mail.outbox.text": {"sv": "Textdelen", "en": "The text part"},
    "mail.outbox.download": {"sv": "Ladda ned som .eml", "en": "Download as .eml"},
}
