"""Interface strings of the dashboards pages (see ``servicescore.web.texts``)."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {}
