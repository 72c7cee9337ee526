"""Every route of the web application, in one list that ``create_app`` mounts. Add a part's router here."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from servicescore.web.entry_pages import console_router, portal_router, visits_router
from servicescore.web.health import healthz
from servicescore.web.home import home
from servicescore.web.login import LoginController


def route_handlers() -> list[ControllerRouterHandler]:
    return [home, healthz, LoginController, visits_router, console_router, portal_router]
