"""A form refused for its errors, kept in a short-lived sealed cookie for the page the browser is sent to.

A page answered to a POST is one the browser can only show again by posting again: Back or reload then asks to
"confirm form resubmission" (Chromium's ERR_CACHE_MISS), which loses a respondent on a phone. So a form sent with
errors is answered with a redirect (303) to its page, and what was sent travels in a cookie of that page's path:
sealed (Fernet: AES-CBC with an HMAC, under a key derived from the installation's secret key), so that the browser
can neither read it nor make one up, valid for `LIFETIME`, and read again on every GET of the page until the form is
sent again. Nothing of it is stored on the server, so it works with any number of app processes. What does not fit
in one cookie (`MAX_COOKIE`: a browser keeps about 4 KB) is not kept: the caller then answers with the page itself.

What is kept is bound to what the form was sent from (a response's page and version, a visit's revision, a
shopper): the page shows it again only when the address says it was sent back (`SENT`) and the binding is the same,
so a page whose answers changed meanwhile shows what is stored.
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Sequence
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
SENT: Final = "sent=1"  # the query of the page a refused form is sent back to
_SENT_NAME, _SENT_VALUE = SENT.split("=")


@cache
def _fernet(secret: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"servicescore refused form", info=b"sealing").derive(
        secret.encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(key))


def _binding(bound: Sequence[object]) -> list[str]:
    return [str(part) for part in bound]


def refused_cookie(request: AnyRequest, path: str, bound: Sequence[object], kept: Any) -> Cookie | None:
    """A cookie of ``path`` holding ``kept`` (JSON) for a form sent from ``bound``, or None when it would be too
    large for a browser to keep."""
    settings = request.app.state.settings
    content = {"bound": _binding(bound), "kept": kept}
    packed = zlib.compress(json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
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


def refused_form(request: AnyRequest, bound: Sequence[object]) -> Any:
    """What `refused_cookie` kept for this page when the address says it was sent back (`SENT`) from ``bound``, or
    None: not sent back, no cookie, one sealed with another key, too old, or sent from something else."""
    sealed = request.cookies.get(REFUSED_COOKIE, "")
    if request.query_params.get(_SENT_NAME) != _SENT_VALUE or not sealed or len(sealed) > MAX_COOKIE:
        return None
    fernet = _fernet(resolve_secret_key(request.app.state.settings))
    try:
        content = json.loads(zlib.decompress(fernet.decrypt(sealed.encode("ascii"), ttl=int(LIFETIME.total_seconds()))))
    except (InvalidToken, zlib.error, ValueError, UnicodeError):
        return None
    if not isinstance(content, dict) or content.get("bound") != _binding(bound):
        return None
    return content.get("kept")
