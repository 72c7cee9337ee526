"""A form refused for its errors, kept in a short-lived sealed cookie for the page the browser is sent to.

A page answered to a POST is one the browser can only show again by posting again: Back or reload then asks to
"confirm form resubmission" (Chromium's ERR_CACHE_MISS), which loses a respondent on a phone. So a form sent with
errors is answered with a redirect (303) to its page, and what was sent travels in a cookie of that page's path:
sealed (Fernet: AES-CBC with an HMAC, under a key derived from the installation's secret key), so that the browser
can neither read it nor make one up, valid for `LIFETIME`, and read again on every GET of the page until the form is
sent again. Nothing of it is stored on the server, so it works with any number of app processes. What does not fit
in one cookie (`MAX_COOKIE`: a browser keeps about 4 KB) is not kept: the caller then answers with the page itself.
"""

from __future__ import annotations

import base64
import json
import zlib
from datetime import timedelta
from functools import cache
from typing import Any, Final

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from litestar import Request
from litestar.datastructures import Cookie

from servicescore.db.secret_key import resolve_secret_key
from servicescore.web.auth import secure_cookies

AnyRequest = Request[Any, Any, Any]
REFUSED_COOKIE: Final = "servicescore_refused"
LIFETIME: Final = timedelta(hours=1)
MAX_COOKIE: Final = 3800  # characters of the sealed value; with the name and attributes under a browser's 4096


@cache
def _fernet(secret: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"servicescore refused form", info=b"sealing").derive(
        secret.encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(key))


def refused_cookie(request: AnyRequest, path: str, kept: Any) -> Cookie | None:
    """A cookie of ``path`` holding ``kept`` (JSON), or None when it would be too large for a browser to keep."""
    settings = request.app.state.settings
    packed = zlib.compress(json.dumps(kept, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    sealed = _fernet(resolve_secret_key(settings)).encrypt(packed).decode("ascii")
    if len(sealed) > MAX_COOKIE:
        return None
    return Cookie(
        key=REFUSED_COOKIE, value=sealed, path=path, max_age=int(LIFETIME.total_seconds()), httponly=True,
        samesite="lax", secure=secure_cookies(settings, request),
    )  # fmt: skip


def forget_refused(request: AnyRequest, path: str) -> list[Cookie]:
    """The cookie that deletes what `refused_cookie` kept for ``path``, when the browser sent one."""
    if REFUSED_COOKIE not in request.cookies:
        return []
    return [Cookie(key=REFUSED_COOKIE, value="", path=path, max_age=0, httponly=True, samesite="lax")]


def refused_form(request: AnyRequest) -> Any:
    """What `refused_cookie` kept for this page, or None: no cookie, one sealed with another key, or too old."""
    sealed = request.cookies.get(REFUSED_COOKIE, "")
    if not sealed or len(sealed) > MAX_COOKIE:
        return None
    fernet = _fernet(resolve_secret_key(request.app.state.settings))
    try:
        return json.loads(zlib.decompress(fernet.decrypt(sealed.encode("ascii"), ttl=int(LIFETIME.total_seconds()))))
    except (InvalidToken, zlib.error, ValueError, UnicodeError):
        return None
