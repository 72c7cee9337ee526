"""The API's errors: one JSON shape, ``{"status_code", "detail", "errors": [{"field", "message"}]}``, for every
status, naming the parameter that was wrong. Another tenant's object raises exactly what a missing one raises."""

from __future__ import annotations

import re
from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_401_UNAUTHORIZED,
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_422_UNPROCESSABLE_ENTITY,
)

from servicescore.web.api.models import ApiError, FieldProblem

MISSING_PARAMETER = re.compile(r"Missing required \w+ parameter '([^']+)'")


class ApiProblem(HTTPException):
    """A refusal that names the parameter it is about."""

    def __init__(self, status_code: int, field: str, message: str, detail: str = "") -> None:
        super().__init__(detail=detail or message, status_code=status_code)
        self.problems = [FieldProblem(field=field, message=message)]


def not_found(field: str, message: str) -> ApiProblem:
    return ApiProblem(HTTP_404_NOT_FOUND, field, message, "not found")


def _validation_problems(error: ValidationException) -> list[FieldProblem]:
    extra = error.extra if isinstance(error.extra, list) else []
    problems = [
        FieldProblem(field=str(entry.get("key", "")), message=str(entry.get("message", "")))
        for entry in extra
        if isinstance(entry, dict)
    ]
    # A missing parameter comes without details, only as "Missing required query parameter 'x' for path …".
    if not problems and (named := MISSING_PARAMETER.search(str(error.detail))):
        problems.append(FieldProblem(field=named.group(1), message="is required"))
    return problems


def api_error(_: Request[Any, Any, Any], error: HTTPException) -> Response[ApiError]:
    if isinstance(error, ApiProblem):
        problems = error.problems
    elif isinstance(error, ValidationException):
        problems = _validation_problems(error)
    else:
        problems = []
    body = ApiError(status_code=error.status_code, detail=str(error.detail), errors=problems)
    return Response(body, status_code=error.status_code, headers=error.headers)


EXCEPTION_HANDLERS = {HTTPException: api_error}

_DESCRIPTIONS = {
    HTTP_400_BAD_REQUEST: "A parameter is malformed or out of range; `errors` names it.",
    HTTP_401_UNAUTHORIZED: "No credentials, or an unknown or revoked token.",
    HTTP_403_FORBIDDEN: "The account's role may not use the API (mystery shoppers).",
    HTTP_404_NOT_FOUND: "No such object, or one of another organisation (the same answer); `errors` names the "
    "parameter.",
    HTTP_422_UNPROCESSABLE_ENTITY: "The parameters are valid but there is nothing to make from them.",
}


def error_responses(*extra: int) -> dict[int, ResponseSpec]:
    """The documented error answers of an endpoint: 400, 401, 403 and 404 always, plus ``extra``."""
    codes = (HTTP_400_BAD_REQUEST, HTTP_401_UNAUTHORIZED, HTTP_403_FORBIDDEN, HTTP_404_NOT_FOUND, *extra)
    return {code: ResponseSpec(data_container=ApiError, description=_DESCRIPTIONS[code]) for code in codes}
