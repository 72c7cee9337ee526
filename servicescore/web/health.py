"""``/healthz`` for load balancers and the demo: the database, the job queue and the storage answer (`health`)."""

from __future__ import annotations

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.status_codes import HTTP_200_OK, HTTP_503_SERVICE_UNAVAILABLE

from servicescore import health
from servicescore.settings import Settings


@get("/healthz", exclude_from_auth=True, exclude_from_csrf=True, cache_control=None)
async def healthz(settings: NamedDependency[Settings]) -> Response[dict[str, object]]:
    answer = await health.check(settings)
    return Response(answer, status_code=HTTP_503_SERVICE_UNAVAILABLE if answer["down"] else HTTP_200_OK)
