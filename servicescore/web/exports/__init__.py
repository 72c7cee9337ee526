"""Exports of answers and scores as CSV, XLSX, Parquet and SPSS (``/console/exports``, ``/portal/exports``).

``ROUTES`` is what ``web.routes`` mounts.
"""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

ROUTES: list[ControllerRouterHandler] = []
