"""The home page: explains how respondents reach a survey and leads each logged-in user to where their work is."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template

from servicescore.web.pages import page


@get("/")
async def home(request: Request[Any, Any, Any]) -> Template:
    return page(request, "home.html")
