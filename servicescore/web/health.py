"""``/healthz`` for load balancers and the demo: the process answers and so does its database."""

from __future__ import annotations

import logging

from litestar import Response, get
from litestar.status_codes import HTTP_503_SERVICE_UNAVAILABLE

from servicescore.db.health import ping

logger = logging.getLogger("servicescore.web")


@get("/healthz", exclude_from_auth=True, exclude_from_csrf=True, cache_control=None)
async def healthz() -> Response[dict[str, str]]:
    try:
        await ping()
    except Exception:  # any failure means "not ready"; the log has the cause
        logger.exception("health check: the database did not answer")
        return Response({"status": "error", "database": "unreachable"}, status_code=HTTP_503_SERVICE_UNAVAILABLE)
    return Response({"status": "ok", "database": "ok"})
