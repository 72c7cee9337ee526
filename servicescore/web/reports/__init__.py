"""Report downloads from the web (``/console/reports``, ``/portal/reports``), rendered off the event loop and cached.

``ROUTES`` is what ``web.routes`` mounts.
"""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

ROUTES: list[ControllerRouterHandler] = []
