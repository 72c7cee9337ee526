"""The accessible names of the report and dashboard charts (``reporting.charts``): a chart's ``aria-label``, which
becomes its alt text in the tagged PDF, so it is in the report's language like every other word."""

from __future__ import annotations

from servicescore.texts.entry import Texts

TEXTS: Texts = {
    "chart.index_bar": {
        "sv": "Index med 95 % intervall och jämförelsegruppens medel",
        "en": "Index with its 95% interval and the peer mean",
    },
    "chart.distribution": {"sv": "Fördelningen av svaren 1–5", "en": "Distribution of the answers 1–5"},
    "chart.trend": {"sv": "Indexutveckling per mätperiod", "en": "Index trend by wave"},
    "chart.quadrant": {"sv": "Betydelse och resultat per fråga", "en": "Importance and performance by question"},
    "chart.mirror": {"sv": "Medarbetarnas och kundernas index per enhet", "en": "Employee and customer index by unit"},
}
