"""How far a respondent has come: the furthest page sent, kept in a cookie beside the response.

Answers alone cannot tell an optional page the respondent passed without answering from one never reached, so
without this a resumed response showed the skipped page again. The cookie names its response, so a cookie of an
earlier response (a public link answered again) counts for nothing; a tampered value can only move where the
respondent resumes, never past a page lacking a required answer (``collections.pages.resume_page``).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from litestar import Request
from litestar.datastructures import Cookie

PROGRESS_COOKIE = "servicescore_progress"
PROGRESS_DAYS = 30
MAX_PAGE = 1000


def pages_sent(request: Request[Any, Any, Any], response_id: uuid.UUID) -> int:
    """The furthest page (index) this response's respondent sent forward, or -1."""
    owner, _, page = request.cookies.get(PROGRESS_COOKIE, "").partition(":")
    if owner != str(response_id) or not page.isdigit() or len(page) > len(str(MAX_PAGE)):
        return -1
    return min(int(page), MAX_PAGE)


def progress_cookie(base: str, response_id: uuid.UUID, page: int, *, secure: bool) -> Cookie:
    return Cookie(
        key=PROGRESS_COOKIE,
        value=f"{response_id}:{page}",
        path=base,
        max_age=int(timedelta(days=PROGRESS_DAYS).total_seconds()),
        httponly=True,
        samesite="lax",
        secure=secure,
    )
