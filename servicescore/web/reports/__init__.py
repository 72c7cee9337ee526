"""Report downloads from the web (``/console/reports``, ``/portal/reports``), rendered off the event loop and cached.

``ROUTES`` is what ``web.routes`` mounts. The rendering and the cache are `servicescore.reporting.on_demand`'s
(``await report_pdf(settings, ReportSpec(...)) -> bytes``), which the API may call as well.
"""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from servicescore.web.reports.pages import console_reports_router, portal_reports_router

ROUTES: list[ControllerRouterHandler] = [console_reports_router, portal_reports_router]
