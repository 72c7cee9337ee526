"""Refusing requests for host names this installation does not serve (Host header poisoning, DNS rebinding).

Litestar's own AllowedHostsConfig compares the whole Host header, port included, since 2.22 (litestar#4869), so
``Host: 127.0.0.1:8000`` would be refused for an allowed ``127.0.0.1``. This check compares the name only.
"""

from __future__ import annotations

from collections.abc import Sequence

from litestar.middleware.base import DefineMiddleware
from litestar.response.base import ASGIResponse
from litestar.status_codes import HTTP_400_BAD_REQUEST
from litestar.types import ASGIApp, Receive, Scope, Send


def host_name(header: str) -> str:
    """The name part of a Host header: ``example.org:8000`` → ``example.org``, ``[::1]:8000`` → ``::1``."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].partition("]")[0]
    return header.rpartition(":")[0] if header.count(":") == 1 else header


def is_allowed(name: str, allowed: Sequence[str]) -> bool:
    for allowed_host in allowed:
        pattern = allowed_host.lower()
        if pattern in {"*", name} or (pattern.startswith("*.") and name.endswith(pattern[1:])):
            return True
    return False


class AllowedHosts:
    def __init__(self, app: ASGIApp, hosts: Sequence[str]) -> None:
        self.app = app
        self.hosts = tuple(hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in {"http", "websocket"}:
            header = next((value for key, value in scope["headers"] if key == b"host"), b"")
            name = host_name(header.decode("latin-1"))
            if not name or not is_allowed(name, self.hosts):
                response = ASGIResponse(
                    body=b"invalid host header", status_code=HTTP_400_BAD_REQUEST, media_type="text/plain"
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def allowed_hosts_middleware(hosts: Sequence[str]) -> DefineMiddleware:
    return DefineMiddleware(AllowedHosts, hosts=hosts)
