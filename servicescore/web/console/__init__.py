"""The consultant's console: organisations, units, peer groups, waves,
publishing collections, assignments, XLSForm upload (``/console/...``).

``ROUTES`` is what ``web.routes`` mounts.
"""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

ROUTES: list[ControllerRouterHandler] = []
