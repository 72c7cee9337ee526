"""Every route of the web application, in one list that ``create_app`` mounts. Add a part's router here."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from servicescore.web import api, cases, console, dashboards, exports, reports
from servicescore.web.health import healthz
from servicescore.web.home import home
from servicescore.web.login import LoginController
from servicescore.web.opt_out import ROUTES as OPT_OUT_ROUTES
from servicescore.web.review.pages import console_pages
from servicescore.web.visits.api import api_router
from servicescore.web.visits.calibration import calibration_pages
from servicescore.web.visits.offline import service_worker
from servicescore.web.visits.pages import visits_pages


def route_handlers() -> list[ControllerRouterHandler]:
    return [
        home,
        healthz,
        LoginController,
        visits_pages,
        calibration_pages,
        service_worker,
        console_pages,
        api_router,
        *console.ROUTES,
        *dashboards.ROUTES,
        *exports.ROUTES,
        *cases.ROUTES,
        *api.ROUTES,
        *reports.ROUTES,
        *OPT_OUT_ROUTES,
    ]
