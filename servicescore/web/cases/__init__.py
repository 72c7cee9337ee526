"""Close the loop: follow-up cases of respondents who asked to be contacted (``/console/cases``, ``/portal/cases``).

``ROUTES`` is what ``web.routes`` mounts.
"""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from servicescore.web.cases.pages import ConsoleCases, PortalCases

ROUTES: list[ControllerRouterHandler] = [ConsoleCases, PortalCases]
