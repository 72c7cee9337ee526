"""Dashboards: the consultant's (``/console/dashboard``) and the client viewer's portal (``/portal``).

``ROUTES`` is what ``web.routes`` mounts.
"""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from servicescore.web.dashboards.pages import console_router, portal_router

ROUTES: list[ControllerRouterHandler] = [console_router, portal_router]
