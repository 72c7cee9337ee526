"""Who is asking: the session cookie, the middleware that turns it into an Account, and the guards on routers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.enums import ScopeType
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.middleware.base import DefineMiddleware
from litestar.middleware.csrf import CSRFMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from servicescore.accounts.login import account_for_token
from servicescore.db.api_tokens import mark_used, owner_of
from servicescore.identity import Account, Role
from servicescore.settings import Settings

SESSION_COOKIE = "servicescore_session"
# A real token is 43 characters; anything much longer is not worth a database round trip.
MAX_TOKEN_LENGTH = 128
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
# A bearer token is honoured only here. Litestar's CSRF middleware skips these paths (app.py); SessionAuthentication
# checks CSRF on them itself, because only it knows whether a request came with a token instead of a cookie.
API_PREFIX = "/api/"
API_CSRF_EXCLUDE = "^/api/"

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], None]


class LoginRequired(NotAuthorizedException):
    """Raised by guards for anonymous visitors; the error handler turns it into a redirect to /login."""


class InvalidBearerToken(NotAuthorizedException):
    """An ``Authorization: Bearer`` header under /api/ with an unknown or revoked token: 401, never anonymous."""

    def __init__(self) -> None:
        super().__init__("unknown or revoked API token", headers={"www-authenticate": 'Bearer error="invalid_token"'})


@dataclass(frozen=True, slots=True)
class BearerAuth:
    """``connection.auth`` of a request authenticated by a personal API token."""

    token_id: int


def bearer_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The token of an ``Authorization: Bearer …`` header, or None without one."""
    scheme, _, value = connection.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


class SessionAuthentication(AbstractAuthenticationMiddleware):
    """Sets ``connection.user`` to the Account of a live session (or, under /api/, of a bearer token), or None for
    anonymous visitors."""

    _csrf: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or not scope["path"].startswith(API_PREFIX):
            await super().__call__(scope, receive, send)
            return
        result = await self.authenticate_request(ASGIConnection(scope))
        scope["user"], scope["auth"] = result.user, result.auth
        # No cookie is involved in a bearer request, so there is nothing a forged cross-site request could ride on.
        await (self.app if isinstance(result.auth, BearerAuth) else self._csrf_checked(scope))(scope, receive, send)

    def _csrf_checked(self, scope: Scope) -> ASGIApp:
        config = scope["litestar_app"].csrf_config
        if config is None:
            return self.app
        if self._csrf is None:
            self._csrf = CSRFMiddleware(self.app, replace(config, exclude=None))
        return self._csrf

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        if connection.scope["path"].startswith(API_PREFIX) and (bearer := bearer_token(connection)) is not None:
            owner = await owner_of(bearer) if 0 < len(bearer) <= MAX_TOKEN_LENGTH else None
            if owner is None:
                raise InvalidBearerToken()
            await mark_used(owner, datetime.now(UTC))
            return AuthenticationResult(user=owner.account, auth=BearerAuth(owner.token_id))
        token = connection.cookies.get(SESSION_COOKIE)
        if not token or len(token) > MAX_TOKEN_LENGTH:
            return AuthenticationResult(user=None, auth=None)
        account = await account_for_token(token)
        return AuthenticationResult(user=account, auth=token if account else None)


def session_middleware() -> DefineMiddleware:
    # Static files and the health probe need no user; skipping them saves a query per request.
    return DefineMiddleware(SessionAuthentication, exclude=["^/static/", "^/healthz$"])


def current_account(connection: ASGIConnection[Any, Any, Any, Any]) -> Account | None:
    """The logged-in account, or None (also on paths the session middleware skips)."""
    user = connection.scope.get("user")
    return user if isinstance(user, Account) else None


def requires_role(*roles: Role) -> Guard:
    """A guard that admits only these roles: anonymous visitors are sent to log in, other roles get 403."""

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        account = current_account(connection)
        if account is None:
            raise LoginRequired()
        if account.role not in roles:
            raise PermissionDeniedException(f"this page is for {', '.join(role.value for role in roles)}")

    return guard


consultant_only = requires_role(Role.consultant)
shopper_only = requires_role(Role.shopper)
client_only = requires_role(Role.client)


def is_local_host(host: str | None) -> bool:
    return (host or "").lower() in LOCAL_HOSTS


def secure_cookies(settings: Settings, connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    """Secure unless explicitly turned off for a local development host: a production host always gets it."""
    return settings.secure_cookies or not is_local_host(connection.url.hostname)


def session_cookie(token: str, settings: Settings, connection: ASGIConnection[Any, Any, Any, Any]) -> Cookie:
    return Cookie(
        key=SESSION_COOKIE,
        value=token,
        max_age=int(timedelta(hours=settings.session_hours).total_seconds()),
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure_cookies(settings, connection),
    )
