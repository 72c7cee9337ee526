"""Numbers on a dashboard, formatted exactly as the PDF report prints them (`reporting.numbers`).

The report's Jinja filters (``num``, ``ci``, …) live in the report renderer's environment; a page gets the same
functions as methods of `Figures`, bound to the page's language: ``f.num(r.index)``, ``f.ci(low, high)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from servicescore.reporting import numbers
from servicescore.reporting.numbers import Lang


@dataclass(frozen=True)
class Figures:
    lang: Lang

    def num(self, value: float | None, decimals: int = 1) -> str:
        return numbers.number(value, self.lang, decimals)

    def signed(self, value: float | None, decimals: int = 1) -> str:
        return numbers.signed(value, self.lang, decimals)

    def pct(self, value: float | None, decimals: int = 0) -> str:
        return numbers.percent(value, self.lang, decimals)

    def ci(self, low: float | None, high: float | None, decimals: int = 1) -> str:
        return numbers.interval(low, high, self.lang, decimals)

    def int(self, value: float | None) -> str:
        return numbers.integer(value, self.lang)

    def dur(self, seconds: float | None) -> str:
        return numbers.duration(seconds)

    def fact(self, value: float | None, kind: str) -> str:
        """A mystery-call fact: a duration (m:ss), a share or a number."""
        if kind == "duration":
            return self.dur(value)
        return self.pct(value) if kind == "pct" else self.num(value)
