"""The consultant's console: organisations, units, peer groups, waves,
publishing collections, assignments, XLSForm upload, background jobs (``/console/...``).

``ROUTES`` is what ``web.routes`` mounts. Every page is for consultants only (the router's guard); the start page
``/console`` and the review queue live in ``web.review``.
"""

from __future__ import annotations

from litestar import Router
from litestar.types import ControllerRouterHandler

from servicescore.web.auth import consultant_only
from servicescore.web.console import (
    assignments,
    calibration,
    collections,
    groups_and_waves,
    instruments,
    jobs,
    organisations,
    outbox,
)

console_router = Router(
    path="/console",
    guards=[consultant_only],
    route_handlers=[
        *organisations.HANDLERS,
        *groups_and_waves.HANDLERS,
        *collections.HANDLERS,
        *assignments.HANDLERS,
        *instruments.HANDLERS,
        *calibration.HANDLERS,
        *jobs.HANDLERS,
        *outbox.HANDLERS,
    ],
)

ROUTES: list[ControllerRouterHandler] = [console_router]
