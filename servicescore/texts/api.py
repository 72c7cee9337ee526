"""Interface strings of the api pages (see ``servicescore.texts``)."""

from __future__ import annotations

from servicescore.texts.entry import Texts

TEXTS: Texts = {
    "api.tokens.title": {"sv": "API-nycklar", "en": "API tokens"},
    "api.tokens.lead": {
        "sv": "En personlig nyckel låter ett annat system läsa ServiceScores API (/api/v1) med dina rättigheter. "
        "Skicka den som ”Authorization: Bearer NYCKEL”. Dokumentationen finns på /schema.",
        "en": "A personal token lets another system read ServiceScore's API (/api/v1) with your permissions. "
        "Send it as “Authorization: Bearer TOKEN”. The documentation is at /schema.",
    },
    "api.tokens.create": {"sv": "Skapa en nyckel", "en": "Create a token"},
    "api.tokens.name": {"sv": "Namn (vad nyckeln används till)", "en": "Name (what the token is for)"},
    "api.tokens.submit": {"sv": "Skapa nyckel", "en": "Create token"},
    "api.tokens.created": {
        "sv": "Nyckeln ”{name}” är skapad. Kopiera den nu – den visas bara den här gången:",
        "en": "The token “{name}” is created. Copy it now – it is shown only this once:",
    },
    "api.tokens.list": {"sv": "Dina nycklar", "en": "Your tokens"},
    "api.tokens.none": {"sv": "Du har inga nycklar ännu.", "en": "You have no tokens yet."},
    "api.tokens.column.name": {"sv": "Namn", "en": "Name"},
    "api.tokens.column.created": {"sv": "Skapad", "en": "Created"},
    "api.tokens.column.used": {"sv": "Senast använd", "en": "Last used"},
    "api.tokens.column.state": {"sv": "Status", "en": "State"},
    "api.tokens.never": {"sv": "aldrig", "en": "never"},
    "api.tokens.live": {"sv": "aktiv", "en": "active"},
    "api.tokens.revoked": {"sv": "återkallad {at}", "en": "revoked {at}"},
    "api.tokens.revoke": {"sv": "Återkalla", "en": "Revoke"},
    "api.tokens.revoke_label": {"sv": "Återkalla nyckeln ”{name}”", "en": "Revoke the token “{name}”"},
    "api.tokens.done_revoked": {
        "sv": "Nyckeln är återkallad; anrop med den får nu svaret 401.",
        "en": "The token is revoked; calls with it now get 401.",
    },
    "api.tokens.error.name_missing": {"sv": "Ge nyckeln ett namn.", "en": "Give the token a name."},
    "api.tokens.error.name_long": {
        "sv": "Namnet får vara högst 80 tecken.",
        "en": "The name may be at most 80 characters.",
    },
    "api.tokens.error.too_many": {
        "sv": "Du har redan 50 aktiva nycklar; återkalla någon först.",
        "en": "You already have 50 active tokens; revoke one first.",
    },
    "api.tokens.error.role": {
        "sv": "API-nycklar är till för konsulter och kunder.",
        "en": "API tokens are for consultants and clients.",
    },
}
