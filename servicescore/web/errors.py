"""Error responses: friendly HTML pages for people, JSON for the API, a redirect to log in, never a traceback."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotAuthorizedException
from litestar.response import Redirect
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR, HTTP_503_SERVICE_UNAVAILABLE
from litestar.types import ExceptionHandlersMap

from servicescore.db.engine import lost_database
from servicescore.web.auth import SESSION_COOKIE
from servicescore.web.csrf import CSRF_FAILURE
from servicescore.web.pages import page

logger = logging.getLogger("servicescore.web")

PAGES_WITH_OWN_TEXT = frozenset({400, 403, 404, 405, 500})
RETRY_SECONDS = 30  # a database away: ask browsers and clients to come back after this
DATABASE_DOWN = "the database cannot be reached"

AnyRequest = Request[Any, Any, Any]


def wants_json(request: AnyRequest) -> bool:
    return request.url.path.startswith("/api/")


def login_redirect(request: AnyRequest) -> Redirect:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return Redirect(path=f"/login?next={quote(target, safe='')}", status_code=303)


def error_page(request: AnyRequest, status_code: int, *, csrf: bool = False, key: str = "") -> Response[Any]:
    key = key or ("csrf" if csrf else (str(status_code) if status_code in PAGES_WITH_OWN_TEXT else "other"))
    # An unknown path is refused before the session middleware runs, so who is asking is not known here; a
    # visitor with a session cookie must not be offered "log in" as if they were signed out.
    session_unknown = "user" not in request.scope and SESSION_COOKIE in request.cookies
    return page(
        request, "error.html", status_code=status_code, status=status_code, key=key, session_unknown=session_unknown
    )


def http_error(request: AnyRequest, error: HTTPException) -> Response[Any]:
    # The exception's own headers stay: ``Allow`` of a 405, ``WWW-Authenticate`` of an API 401.
    if wants_json(request):
        body = {"status_code": error.status_code, "detail": error.detail}
        return Response(body, status_code=error.status_code, headers=error.headers)
    if isinstance(error, NotAuthorizedException):
        return login_redirect(request)
    response = error_page(request, error.status_code, csrf=error.detail == CSRF_FAILURE)
    response.headers.update(error.headers or {})
    return response


def database_unavailable(request: AnyRequest, error: Exception) -> Response[Any]:
    """The database server is away (the process keeps serving what needs none): 503, nothing lost, come back."""
    logger.warning("%s %s: %s: %s", request.method, request.url.path, DATABASE_DOWN, str(error) or type(error).__name__)
    headers = {"retry-after": str(RETRY_SECONDS)}
    if wants_json(request):
        body = {"status_code": HTTP_503_SERVICE_UNAVAILABLE, "detail": DATABASE_DOWN}
        return Response(body, status_code=HTTP_503_SERVICE_UNAVAILABLE, media_type=MediaType.JSON, headers=headers)
    response = error_page(request, HTTP_503_SERVICE_UNAVAILABLE, key="database")
    response.headers.update(headers)
    return response


def server_error(request: AnyRequest, error: Exception) -> Response[Any]:
    if lost_database(error):
        return database_unavailable(request, error)
    logger.error("%s %s failed", request.method, request.url.path, exc_info=error)
    if wants_json(request):
        return Response(
            {"status_code": 500, "detail": "Internal Server Error"},
            status_code=HTTP_500_INTERNAL_SERVER_ERROR,
            media_type=MediaType.JSON,
        )
    return error_page(request, HTTP_500_INTERNAL_SERVER_ERROR)


EXCEPTION_HANDLERS: ExceptionHandlersMap = {HTTPException: http_error, Exception: server_error}
