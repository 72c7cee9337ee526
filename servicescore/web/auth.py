"""Who is asking: the session cookie, the middleware that turns it into an Account, and the guards on routers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.middleware.base import DefineMiddleware

from servicescore.accounts.account import Account, Role
from servicescore.accounts.login import account_for_token
from servicescore.settings import Settings

SESSION_COOKIE = "servicescore_session"
# A real token is 43 characters; anything much longer is not worth a database round trip.
MAX_TOKEN_LENGTH = 128
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})

Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], None]


class LoginRequired(NotAuthorizedException):
    """Raised by guards for anonymous visitors; the error handler turns it into a redirect to /login."""


class SessionAuthentication(AbstractAuthenticationMiddleware):
    """Sets ``connection.user`` to the Account of a live session, or None for anonymous visitors."""

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
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


def requires_login(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    if current_account(connection) is None:
        raise LoginRequired()


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
