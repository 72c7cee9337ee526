"""The login form, logging in and logging out."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlsplit

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import QueryParameter, URLEncodedBody
from litestar.response import Redirect, Template

from servicescore.accounts.login import LoginPolicy, log_in, log_out
from servicescore.accounts.throttle import TooManyAttempts
from servicescore.identity import Role
from servicescore.settings import Settings
from servicescore.web.auth import SESSION_COOKIE, current_account, session_cookie
from servicescore.web.pages import page

MAX_NEXT_LENGTH = 2000

AnyRequest = Request[Any, Any, Any]


@dataclass
class LoginForm:
    username: str = ""
    password: str = ""
    next: str = ""


def safe_next(target: str | None) -> str | None:
    """A local path to return to after login, or None. Refuses anything a browser could read as another site:
    ``//evil.example``, ``/\\evil.example``, ``https://…``, control characters."""
    if not target or len(target) > MAX_NEXT_LENGTH or not target.startswith("/"):
        return None
    if target.startswith("//") or "\\" in target or any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


class LoginController(Controller):
    @get("/login")
    async def form(
        self, request: AnyRequest, next_path: Annotated[str | None, QueryParameter(name="next")] = None
    ) -> Template:
        return page(request, "login.html", next=safe_next(next_path) or "", failed=False, username="")

    @post("/login")
    async def submit(
        self,
        request: AnyRequest,
        data: URLEncodedBody[LoginForm],
        settings: NamedDependency[Settings],
    ) -> Response[Any]:
        try:
            logged_in = await log_in(
                data.username,
                data.password,
                LoginPolicy.from_settings(settings),
                # Behind a proxy, uvicorn takes the address from X-Forwarded-For of FORWARDED_ALLOW_IPS only.
                address=request.client.host if request.client else "",
                replaces_token=request.cookies.get(SESSION_COOKIE),
            )
        except TooManyAttempts as blocked:
            seconds = max(1, math.ceil((blocked.until - datetime.now(UTC)).total_seconds()))
            response = page(request, "login.html", status_code=429, next=safe_next(data.next) or "", failed=True,
                            throttled=True, username=data.username[:80], minutes=math.ceil(seconds / 60))  # fmt: skip
            response.headers["retry-after"] = str(seconds)
            return response
        if logged_in is None:
            return page(
                request,
                "login.html",
                next=safe_next(data.next) or "",
                failed=True,
                username=data.username[:80],
                minutes=settings.login_lockout_minutes,
            )
        target = safe_next(data.next) or logged_in.account.entry_point
        return Redirect(target, status_code=303, cookies=[session_cookie(logged_in.token, settings, request)])

    @post("/logout")
    async def logout(self, request: AnyRequest) -> Redirect:
        account = current_account(request)
        if account and account.role is Role.shopper and (await request.form()).get("phone_checked") != "1":
            return Redirect("/visits/logout", status_code=303)  # the phone's copy is checked and cleared there first
        if token := request.cookies.get(SESSION_COOKIE):
            await log_out(token)
        response = Redirect("/", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response
