"""Where each role's work starts. Placeholders that greet the user until the visits, console and portal parts
replace them; each sits behind its role's guard, set once on its router."""

from __future__ import annotations

from typing import Any

from litestar import Request, Router, get
from litestar.response import Template

from servicescore.web.auth import client_only, consultant_only, shopper_only
from servicescore.web.pages import page


@get("/")
async def entry_page(request: Request[Any, Any, Any]) -> Template:
    return page(request, "entry.html")


visits_router = Router(path="/visits", guards=[shopper_only], route_handlers=[entry_page])
console_router = Router(path="/console", guards=[consultant_only], route_handlers=[entry_page])
portal_router = Router(path="/portal", guards=[client_only], route_handlers=[entry_page])
