"""Interface language: choosing Swedish or English for a request, and the catalogue of interface strings.

Pages look strings up by key (``t("login.heading")`` in templates). Every key carries both languages; a unit
test holds the catalogue to that. Add keys grouped by page, named ``page.what``.
"""

from __future__ import annotations

from typing import Final

LANGUAGES: Final = ("sv", "en")
DEFAULT_LANGUAGE: Final = "sv"
LANGUAGE_NAMES: Final = {"sv": "Svenska", "en": "English"}
LANGUAGE_COOKIE: Final = "servicescore_lang"


def supported(language: str | None) -> str | None:
    """The language if we offer it, else None; ``en-GB`` counts as ``en``."""
    if not language:
        return None
    primary = language.strip().lower().replace("_", "-").split("-")[0]
    return primary if primary in LANGUAGES else None


def parse_accept_language(header: str) -> list[str]:
    """Language tags of an Accept-Language header, best first; ``q=0`` means "not this one"."""
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag.strip() and quality > 0:
            weighted.append((-quality, position, tag.strip()))
    return [tag for _, _, tag in sorted(weighted)]


def negotiate(
    *,
    query: str | None = None,
    cookie: str | None = None,
    account: str | None = None,
    accept_language: str | None = None,
) -> str:
    """The first supported choice of: ``?lang=``, the language cookie, the account's language, Accept-Language."""
    for choice in (query, cookie, account):
        if language := supported(choice):
            return language
    for tag in parse_accept_language(accept_language or ""):
        if language := supported(tag):
            return language
    return DEFAULT_LANGUAGE


def other_language(language: str) -> str:
    return "en" if language == "sv" else "sv"


def translate(key: str, language: str, **values: object) -> str:
    """The catalogue text in the language, with ``{name}`` fields filled. An unknown key is a programming error."""
    text = CATALOGUE[key][language]
    return text.format(**values) if values else text


CATALOGUE: Final[dict[str, dict[str, str]]] = {
    # Shared frame of every page
    "site.name": {"sv": "ServiceScore", "en": "ServiceScore"},
    "site.tagline": {
        "sv": "Mäter hur kunder bemöts – och visar var ni står.",
        "en": "Measures how customers are treated – and shows where you stand.",
    },
    "nav.skip": {"sv": "Hoppa till innehållet", "en": "Skip to content"},
    "nav.home": {"sv": "ServiceScore, startsidan", "en": "ServiceScore, home page"},
    "nav.login": {"sv": "Logga in", "en": "Log in"},
    "nav.logout": {"sv": "Logga ut", "en": "Log out"},
    "nav.label": {"sv": "Språk och konto", "en": "Language and account"},
    "nav.signed_in_as": {"sv": "Inloggad som {name}", "en": "Signed in as {name}"},
    # Roles, as pages name them
    "role.consultant": {"sv": "konsult", "en": "consultant"},
    "role.shopper": {"sv": "mystery shopper", "en": "mystery shopper"},
    "role.client": {"sv": "kund", "en": "client viewer"},
    # Login page
    "login.title": {"sv": "Logga in", "en": "Log in"},
    "login.heading": {"sv": "Logga in", "en": "Log in"},
    "login.intro": {
        "sv": "För konsulter, mystery shoppers och kunder. Ska du svara på en enkät behöver du inget konto.",
        "en": "For consultants, mystery shoppers and clients. To answer a survey you need no account.",
    },
    "login.username": {"sv": "Användarnamn", "en": "Username"},
    "login.password": {"sv": "Lösenord", "en": "Password"},
    "login.submit": {"sv": "Logga in", "en": "Log in"},
    "login.failed": {
        "sv": "Fel användarnamn eller lösenord, eller så är kontot låst i {minutes} minuter efter för många försök.",
        "en": "Wrong username or password, or the account is locked for {minutes} minutes after too many attempts.",
    },
    # Home page
    "home.title": {"sv": "Välkommen", "en": "Welcome"},
    "home.heading": {"sv": "Hur bemöts era kunder?", "en": "How are your customers treated?"},
    "home.lead": {
        "sv": "ServiceScore gör bemötande mätbart: enkäter till kunder och medarbetare, mystery shopping "
        "och jämförelser med liknande verksamheter.",
        "en": "ServiceScore makes service measurable: surveys of customers and employees, mystery shopping "
        "and comparisons with similar organisations.",
    },
    "home.respondent.heading": {"sv": "Har du fått en enkät?", "en": "Were you asked to answer a survey?"},
    "home.respondent.body": {
        "sv": "Enkäten öppnas från länken eller QR-koden du fick, till exempel i ett mejl, på kvittot eller vid "
        "utgången. Du behöver inget konto, kan svara på svenska eller engelska och kan göra en paus och "
        "fortsätta senare.",
        "en": "The survey opens from the link or QR code you were given, for example in an email, on your "
        "receipt or at the exit. You need no account, can answer in Swedish or English, and can take a "
        "break and carry on later.",
    },
    "home.staff.heading": {"sv": "Arbetar du med ServiceScore?", "en": "Do you work with ServiceScore?"},
    "home.staff.body": {
        "sv": "Konsulter, mystery shoppers och kunder loggar in för att komma till sina sidor.",
        "en": "Consultants, mystery shoppers and clients log in to reach their pages.",
    },
    "home.signed_in": {"sv": "Du är inloggad som {name}, {role}.", "en": "You are signed in as {name}, {role}."},
    "home.continue.consultant": {"sv": "Till konsolen", "en": "Go to the console"},
    "home.continue.shopper": {"sv": "Till dina besök", "en": "Go to your visits"},
    "home.continue.client": {"sv": "Till kundportalen", "en": "Go to the client portal"},
    # Entry pages of each role (filled in by their own parts later)
    "entry.greeting": {"sv": "Hej {name}!", "en": "Hello {name}!"},
    "entry.heading.consultant": {"sv": "Konsolen", "en": "Console"},
    "entry.heading.shopper": {"sv": "Dina besök", "en": "Your visits"},
    "entry.heading.client": {"sv": "Kundportalen", "en": "Client portal"},
    "entry.signed_in_role": {"sv": "Du är inloggad som {role}.", "en": "You are signed in as {role}."},
    # Error pages
    "error.title": {"sv": "Fel {status}", "en": "Error {status}"},
    "error.400.heading": {"sv": "Begäran gick inte att förstå", "en": "The request could not be understood"},
    "error.400.body": {
        "sv": "Något i begäran saknades eller var felaktigt. Gå tillbaka och försök igen.",
        "en": "Something in the request was missing or wrong. Go back and try again.",
    },
    "error.403.heading": {"sv": "Du har inte tillgång till sidan", "en": "You do not have access to this page"},
    "error.403.body": {
        "sv": "Sidan hör till en annan roll än din. Börja om från startsidan.",
        "en": "This page belongs to another role than yours. Start again from the home page.",
    },
    "error.csrf.heading": {"sv": "Formuläret har gått ut", "en": "The form has expired"},
    "error.csrf.body": {
        "sv": "Av säkerhetsskäl gick formuläret inte att skicka. Ladda om sidan och försök igen.",
        "en": "For security reasons the form could not be sent. Reload the page and try again.",
    },
    "error.404.heading": {"sv": "Sidan finns inte", "en": "Page not found"},
    "error.404.body": {
        "sv": "Adressen kan vara felstavad, eller så har sidan flyttats.",
        "en": "The address may be misspelt, or the page has moved.",
    },
    "error.405.heading": {"sv": "Det går inte att göra så här", "en": "That cannot be done here"},
    "error.405.body": {
        "sv": "Sidan tar inte emot den sortens begäran.",
        "en": "This page does not accept that kind of request.",
    },
    "error.500.heading": {"sv": "Något gick fel hos oss", "en": "Something went wrong on our side"},
    "error.500.body": {
        "sv": "Felet är loggat. Försök igen om en stund.",
        "en": "The error has been logged. Please try again in a moment.",
    },
    "error.other.heading": {"sv": "Sidan kunde inte visas", "en": "The page could not be shown"},
    "error.other.body": {"sv": "Försök igen om en stund.", "en": "Please try again in a moment."},
    "error.home": {"sv": "Till startsidan", "en": "Go to the home page"},
}
