"""Security headers on every answer the application sends: pages, static files, redirects and every refusal.

They are added as the answer leaves (a ``before_send`` hook of the app), not as handler response headers, so
answers made outside a route handler carry them too: static files, a 404 of an unknown path, a 405, a 401 from the
API's authentication. A header a handler set itself (the sandboxing CSP of an uploaded logo) is kept.
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import BeforeMessageSendHookHandler, Message, Scope

# Pages carry personal data and CSRF tokens: no framing, no sniffing. Nothing is loaded from other hosts.
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "content-security-policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'",
}
# With secure cookies the installation is served over HTTPS only: browsers are told to never try plain HTTP for a
# year (OWASP HTTP Strict Transport Security Cheat Sheet).
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


def security_headers(*, https_only: bool) -> BeforeMessageSendHookHandler:
    headers = dict(SECURITY_HEADERS)
    if https_only:
        headers["strict-transport-security"] = STRICT_TRANSPORT_SECURITY

    def add_headers(message: Message, _: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        present = MutableScopeHeaders.from_message(message)
        for name, value in headers.items():
            if name not in present:
                present[name] = value

    return add_headers
