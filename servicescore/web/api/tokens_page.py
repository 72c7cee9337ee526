"""``/account/tokens``: consultants and client viewers create, list and revoke their personal API tokens.

A new token is shown once, on the page that answers the form; only its SHA-256 is kept.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from litestar import Request, Router, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from servicescore.db.api_tokens import TokenRefused, create_token, revoke_token, tokens_of
from servicescore.identity import Account, Role
from servicescore.web.auth import requires_role
from servicescore.web.pages import page

# 256 random bits; the prefix lets secret scanners and people recognise a ServiceScore token.
TOKEN_PREFIX = "sst_"  # noqa: S105 - a public marker, not a secret
TOKEN_BYTES = 32

AnyRequest = Request[Any, Any, Any]


def new_api_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)


@get("/")
async def tokens_page(request: AnyRequest, account: NamedDependency[Account]) -> Template:
    tokens = await tokens_of(account.id)
    done = request.query_params.get("done", "")
    return page(request, "api/tokens.html", tokens=tokens, created=None, secret="", problem="",
                done=done if done == "revoked" else "")  # fmt: skip


@post("/", status_code=200)
async def create(request: AnyRequest, account: NamedDependency[Account]) -> Template:
    form = await request.form()
    secret = new_api_token()
    try:
        created = await create_token(account, str(form.get("name", "")), secret)
    except TokenRefused as refused:
        tokens = await tokens_of(account.id)
        return page(request, "api/tokens.html", status_code=400, tokens=tokens, created=None, secret="",
                    problem=refused.reason, done="")  # fmt: skip
    tokens = await tokens_of(account.id)
    return page(request, "api/tokens.html", status_code=201, tokens=tokens, created=created, secret=secret,
                problem="", done="")  # fmt: skip


@post("/{token_id:int}/revoke")
async def revoke(token_id: FromPath[int], account: NamedDependency[Account]) -> Redirect:
    # Another account's token answers like a missing one.
    if not 0 < token_id < 2**31 or not await revoke_token(account.id, token_id, datetime.now(UTC)):
        raise NotFoundException()
    return Redirect("/account/tokens?done=revoked", status_code=303)


tokens_router = Router(
    path="/account/tokens",
    guards=[requires_role(Role.consultant, Role.client)],
    route_handlers=[tokens_page, create, revoke],
    include_in_schema=False,
)
