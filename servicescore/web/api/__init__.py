"""The JSON API for integrations under ``/api/v1`` and the personal API tokens page (``/account/tokens``).

``ROUTES`` is what ``web.routes`` mounts; ``openapi_config()`` documents the API with its bearer security scheme.
"""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from servicescore.web.api.openapi import openapi_config
from servicescore.web.api.router import read_api
from servicescore.web.api.tokens_page import tokens_router

ROUTES: list[ControllerRouterHandler] = [read_api, tokens_router]

__all__ = ["ROUTES", "openapi_config"]
