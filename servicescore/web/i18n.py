"""Interface language: choosing Swedish or English for a request. The words themselves are in
``servicescore.texts``, the one catalogue of pages, reports and e-mails."""

from __future__ import annotations

from typing import Final

from servicescore.texts import LANGUAGES

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
