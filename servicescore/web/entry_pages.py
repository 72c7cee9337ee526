"""Where each role's work starts. Placeholders that greet the user until the visits and console parts replace
them; each sits behind its role's guard, set once on its router. The portal's start page is the dashboards
part's (`web.dashboards.pages`)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Router, get
from litestar.response import Template

from servicescore.web.auth import consultant_only, shopper_only
from servicescore.web.pages import page


@get("/")
async def entry_page(request: Request[Any, Any, Any]) -> Template:
    return page(request, "entry.html")


visits_router = Router(path="/visits", guards=[shopper_only], route_handlers=[entry_page])
console_router = Router(path="/console", guards=[consultant_only], route_handlers=[entry_page])
