"""CSRF tokens bound to the session of a logged-in visitor.

Litestar's CSRF check is a double submit: the form's token must equal the token in the CSRF cookie. On its own
that accepts any pair that belongs together, so a cookie and token minted for another visitor and planted in a
victim's browser (from a sibling subdomain, or over plain HTTP) would let forged posts through. OWASP's CSRF
Prevention Cheat Sheet asks for a token tied to the user's session: while a session cookie is present, the only
CSRF cookie accepted here is an HMAC of that session's token with the secret key, and every page is rendered with
it. Visitors without a session (respondents, the login form) keep the plain double submit.

This runs before the session is looked up and before anything reads the cookies, so Litestar's own CSRF check,
further in, sees the bound cookie and renders and compares the bound token as usual.
"""

from __future__ import annotations

import hashlib
import hmac
from http.cookies import CookieError, SimpleCookie

from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.exceptions import PermissionDeniedException
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from servicescore.web.auth import MAX_TOKEN_LENGTH, SESSION_COOKIE

CSRF_COOKIE = "servicescore_csrf"
CSRF_FAILURE = "CSRF token verification failed"  # Litestar's own wording, which the error pages recognise
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _hmac_hex(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def session_csrf_token(secret: str, session_token: str) -> str:
    """The CSRF token of one session, in Litestar's format (64 hex characters, then their HMAC with the secret) so
    that its double-submit check accepts it; nobody without the secret key can make it from the session id."""
    bound = _hmac_hex(secret, f"servicescore-csrf:{session_token}")
    return bound + _hmac_hex(secret, bound)


def _cookies(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for name, value in scope["headers"]:
        if name == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except CookieError:
                continue
    return {key: morsel.value for key, morsel in jar.items()}


def _with_cookie(scope: Scope, cookies: dict[str, str]) -> None:
    """Replace the request's cookie headers by one carrying ``cookies``, as if the browser had sent them."""
    header = "; ".join(f"{key}={value}" for key, value in cookies.items()).encode("latin-1")
    scope["headers"] = [(name, value) for name, value in scope["headers"] if name != b"cookie"] + [(b"cookie", header)]


# Static files and the health probe render no form.
UNGUARDED_PREFIXES = ("/static/", "/healthz")


class SessionBoundCsrf:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["path"].startswith(UNGUARDED_PREFIXES):
            await self.app(scope, receive, send)
            return
        config = scope["litestar_app"].csrf_config
        cookies = _cookies(scope)
        session = cookies.get(SESSION_COOKIE)
        if config is None or not session or len(session) > MAX_TOKEN_LENGTH:
            await self.app(scope, receive, send)
            return
        bound = session_csrf_token(config.secret, session)
        if cookies.get(CSRF_COOKIE) == bound:
            await self.app(scope, receive, send)
            return
        if scope["method"] not in SAFE_METHODS:
            raise PermissionDeniedException(CSRF_FAILURE)
        # A page for this session: render it with the bound token and hand the browser the bound cookie.
        _with_cookie(scope, {**cookies, CSRF_COOKIE: bound})
        cookie = Cookie(
            key=CSRF_COOKIE,
            value=bound,
            path=config.cookie_path,
            secure=config.cookie_secure,
            httponly=config.cookie_httponly,
            samesite=config.cookie_samesite,
            domain=config.cookie_domain,
        )

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableScopeHeaders.from_message(message).add("set-cookie", cookie.to_header(header=""))
            await send(message)

        await self.app(scope, receive, send_with_cookie)
