"""What every block builder shares while one report's context is made: the request, the frames, the names."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any, Final

import polars as pl

from servicescore import formats
from servicescore.definitions.reports.brands import Brand
from servicescore.reporting.charts import SERIES_COLOURS
from servicescore.reporting.data import ReportData
from servicescore.reporting.frames import InstrumentFrames
from servicescore.reporting.request import ReportRequest, peer_namer
from servicescore.results.shoppers import Adjustment, adjusted_scores
from servicescore.scoring.schema import Level
from servicescore.scoring.standing import standing
from servicescore.texts import Words

SCALED: Final[tuple[str, ...]] = ("rating", "nps", "yes_no")


class Builder:
    def __init__(self, data: ReportData, request: ReportRequest, instrument: str, brand: Brand) -> None:
        self.data = data
        self.request = request
        self.instrument = instrument
        self.brand = brand
        self.lang = request.lang
        self.t = Words(request.lang)
        focus_waves = data.own_answers(instrument, self.focus).get_column("wave").unique().sort()
        self.wave: str = request.wave or (focus_waves[-1] if focus_waves.len() else "")
        self._standing: dict[str, pl.DataFrame] = {}
        self._adjusted: dict[tuple[str, str, tuple[str, ...]], pl.DataFrame] = {}

    @property
    def focus(self) -> str:
        return self.request.organisations[0]

    @property
    def peer_group(self) -> str | None:
        return self.data.organisations[self.focus].peer_group

    def frames(self, instrument: str) -> InstrumentFrames:
        key = (instrument, self.request.min_n, self.request.definition.min_peers)
        frames = self.data.frames.get(key)
        if frames is None:
            frames = self.data.frames[key] = InstrumentFrames(self.data, *key)
        return frames

    @cached_property
    def name(self) -> Callable[[str], str]:
        """An organisation's name as this report may print it (peers anonymised unless the report names them)."""
        return peer_namer(self.data, self.request, self.frames(self.instrument).benchmark("overall"), self.wave)

    def standing(self, instrument: str) -> pl.DataFrame:
        """The focus organisation's items in the wave with their `scoring.standing` (strength, level, improve),
        shared by the summary and the drivers quadrant: scored items that are not outcomes (overall satisfaction
        and recommendation are what the others explain), and no yes/no question of a survey (those ask for
        consent or facts, not a rating of the service)."""
        if instrument not in self._standing:
            frames = self.frames(instrument)
            here = (pl.col("organisation") == self.focus) & (pl.col("wave") == self.wave)
            survey = self.data.instruments[instrument].kind == "survey"
            items = (
                frames.scores("item")
                .filter(here & ~pl.col("suppressed"))
                .select("item", "n", "index", "index_ci_low", "index_ci_high")
                .join(
                    frames.benchmark("item").filter(here).select("item", "peer_mean", "peer_diff", "peer_significant"),
                    on="item",
                    how="left",
                )
                .join(self.data.catalogue().filter(pl.col("instrument") == instrument).select("item", "type", "role"),
                      on="item")
                .filter(pl.col("type").is_in(SCALED) & pl.col("role").is_null())
                .filter((pl.col("type") != "yes_no") | pl.lit(not survey))
                .sort("item")
            )  # fmt: skip
            self._standing[instrument] = standing(items)
        return self._standing[instrument]

    def adjustment(self, instrument: str) -> Adjustment | None:
        """The shoppers' leniency offsets on `instrument` when the report adjusts for them: a scorecard's, asked
        for, with estimates (None otherwise; the methods page says why)."""
        if not self.request.adjust_shoppers or self.data.instruments[instrument].kind != "scorecard":
            return None
        found = self.data.adjustments.get(instrument)
        return found if found is not None and found.reason is None else None

    def adjusted(self, instrument: str, level: Level, by: tuple[str, ...] = ("organisation",)) -> pl.DataFrame | None:
        """`results.shoppers.adjusted_scores` of `instrument` (the score table with `mean_adjusted` and
        `index_adjusted`), or None when the report does not adjust it."""
        adjustment = self.adjustment(instrument)
        if adjustment is None:
            return None
        key = (instrument, level, by)
        if key not in self._adjusted:
            answers = self.frames(instrument).answers.lazy()
            self._adjusted[key] = adjusted_scores(
                answers, self.data.catalogue(), adjustment, by=by, level=level, min_n=self.request.min_n
            )
        return self._adjusted[key]

    def colour(self, key: str) -> str:
        """The focus in the brand's primary colour; other organisations asked for in the Okabe–Ito series."""
        if key == self.focus:
            return self.brand.colours.primary
        position = self.request.organisations.index(key) if key in self.request.organisations else 0
        return SERIES_COLOURS[position % len(SERIES_COLOURS)] if position else self.brand.colours.primary

    def item_label(self, instrument: str, item: str) -> str:
        return self.data.instruments[instrument].item(item).text.pick(self.lang)

    def section_label(self, instrument: str, section: str) -> str:
        for candidate in self.data.instruments[instrument].sections:
            if candidate.id == section:
                return candidate.title.pick(self.lang)
        return section

    def fmt(self, value: float) -> str:
        return formats.number(value, self.lang)

    def fmt_tick(self, value: float) -> str:
        """An axis end, a whole ten or five: ``80``, never ``80,0``."""
        return formats.number(value, self.lang, 0)

    def fmt_pct(self, value: float) -> str:
        return formats.percent(value, self.lang)

    def row(self, frame: pl.DataFrame, **where: Any) -> dict[str, Any] | None:
        """The one row of ``frame`` matching ``where`` (None when there is none)."""
        for column, value in where.items():
            frame = frame.filter(pl.col(column) == value)
        return frame.row(0, named=True) if frame.height else None

    def peer_group_keys(self) -> list[str]:
        """The organisations of the focus organisation's peer group (itself included)."""
        return [o.key for o in self.data.organisations.values() if o.peer_group == self.peer_group]
