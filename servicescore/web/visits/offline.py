"""The service worker, served from ``/visits/sw.js`` so that it may control the shopper's pages under /visits."""

from __future__ import annotations

from litestar import Response, get

from servicescore.settings import PACKAGE_DIR

WORKER = PACKAGE_DIR / "static" / "shopper" / "sw.js"


@get("/visits/sw.js", exclude_from_auth=True, cache_control=None)
async def service_worker() -> Response[bytes]:
    # no-cache: browsers must check for a new worker on every visit, or a fix would wait for days
    return Response(
        WORKER.read_bytes(),
        media_type="text/javascript",
        headers={"cache-control": "no-cache", "service-worker-allowed": "/visits"},
    )
