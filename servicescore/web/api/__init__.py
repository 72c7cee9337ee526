"""The JSON API for integrations under ``/api/v1`` and the personal API tokens page (``/account/tokens``).

``ROUTES`` is what ``web.routes`` mounts.
"""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

ROUTES: list[ControllerRouterHandler] = []
