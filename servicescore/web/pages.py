"""Rendering a page: every template gets the language, the current account and the language switch.

Controllers call ``page(request, "name.html", key=value, ...)`` instead of building ``Template`` themselves, so
the frame (``base.html``) can rely on these variables:

- ``lang``: "sv" or "en"; ``t``: the catalogue in that language (`texts.Words`): ``t(key, **values)`` any text,
  ``t.index`` a word of the report and dashboard tables, as report templates read them
- ``other_lang``, ``other_lang_name``, ``lang_switch_url``: the link to the same page in the other language
- ``user``: the logged-in ``Account`` or None; ``csrf_input``: the hidden CSRF field for forms (``|safe``)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from litestar import Request
from litestar.datastructures import Cookie
from litestar.response import Template

from servicescore.definitions.text import Language
from servicescore.settings import Settings
from servicescore.texts import Words
from servicescore.web.auth import current_account, secure_cookies
from servicescore.web.i18n import LANGUAGE_COOKIE, LANGUAGE_NAMES, negotiate, other_language, supported

LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600
LANGUAGE_STATE = "language"  # request.state key of the resolved language

AnyRequest = Request[Any, Any, Any]


def request_language(request: AnyRequest) -> Language:
    """The request's interface language, worked out once per request: handlers receive it as the ``language``
    dependency (``language: NamedDependency[Language]``), and ``page`` reads the same value."""
    known: Language | None = request.state.get(LANGUAGE_STATE)
    if known is not None:
        return known
    account = current_account(request)
    chosen = negotiate(
        query=request.query_params.get("lang"),
        cookie=request.cookies.get(LANGUAGE_COOKIE),
        account=account.language if account else None,
        accept_language=request.headers.get("accept-language"),
    )
    language: Language = "en" if chosen == "en" else "sv"
    request.state[LANGUAGE_STATE] = language
    return language


def language_switch_url(request: AnyRequest, language: str) -> str:
    """This page's path and query with ``lang`` set to the other language."""
    query = [(key, value) for key, value in request.query_params.multi_items() if key != "lang"]
    return f"{request.url.path}?{urlencode([*query, ('lang', language)])}"


def language_cookies(request: AnyRequest) -> list[Cookie]:
    """The language cookie when the language was chosen with the switch link, so the next page keeps it."""
    if not supported(request.query_params.get("lang")):
        return []
    settings: Settings = request.app.state.settings
    return [
        Cookie(
            key=LANGUAGE_COOKIE,
            value=request_language(request),
            max_age=LANGUAGE_COOKIE_SECONDS,
            path="/",
            httponly=True,
            samesite="lax",
            secure=secure_cookies(settings, request),
        )
    ]


def page(
    request: AnyRequest,
    template_name: str,
    *,
    status_code: int = 200,
    cookies: Iterable[Cookie] = (),
    **context: Any,
) -> Template:
    language = request_language(request)
    other = other_language(language)
    return Template(
        template_name=template_name,
        status_code=status_code,
        cookies=[*cookies, *language_cookies(request)],
        context={
            "lang": language,
            "t": Words(language),
            "other_lang": other,
            "other_lang_name": LANGUAGE_NAMES[other],
            "lang_switch_url": language_switch_url(request, other),
            "user": current_account(request),
            **context,
        },
    )
