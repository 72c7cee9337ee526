"""The web dashboard's context: the client report's blocks, sliced by unit and segment, for one wave.

Pure, like `context`: report data in, a dict out. A dashboard is the client report (``reports/client.yaml``)
without its cover, contents and methodology, so it shows the same numbers and the same SVG charts as the PDF.
A consultant sees the peers by name; a client viewer only as anonymised peers ("Jämförelse A").

Slicing (`Slice`): a unit narrows the *focus organisation's* answers to that unit, so its figures are the
unit's and the peers stay whole organisations; a segment narrows every organisation's answers, so like is
compared with like, in the instruments that record segments (the others have none to narrow by).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

import polars as pl

from servicescore.definitions.items import ChoiceItem
from servicescore.definitions.reports.brands import Brand
from servicescore.definitions.reports.report import ReportDefinition
from servicescore.formats import Lang
from servicescore.reporting.charts import STANDING_FILLS
from servicescore.reporting.context import NoData, build_context
from servicescore.reporting.data import ReportData
from servicescore.reporting.request import ReportRequest

LEFT_OUT: Final[tuple[str, ...]] = ("cover", "contents", "methodology")


def dashboard_definition(report: ReportDefinition, *, named_peers: bool) -> ReportDefinition:
    """The client report's blocks a screen shows; peers named for consultants only."""
    blocks = [block for block in report.blocks if block.type not in LEFT_OUT]
    # model_copy skips the "a client report never names peers" check on purpose: this is the consultant's view.
    update: dict[str, Any] = {"blocks": blocks, **({"peers": "named"} if named_peers else {})}
    return report.model_copy(update=update)


@dataclass(frozen=True)
class Slice:
    """Whose answers a dashboard reads: the organisation, optionally one of its units and one segment."""

    organisation: str
    unit: str | None = None
    segment: str | None = None


def slice_answers(answers: pl.LazyFrame, part: Slice, *, segmented: bool) -> pl.LazyFrame:
    """``answers`` narrowed to ``part`` (see the module docstring); ``segmented``: the instrument records segments."""
    if part.unit is not None:
        answers = answers.filter((pl.col("organisation") != part.organisation) | (pl.col("unit") == part.unit))
    if part.segment is not None and segmented:
        answers = answers.filter(pl.col("segment") == part.segment)
    return answers


@dataclass(frozen=True)
class Choices:
    """What the filters of one organisation's dashboard offer (all from the unsliced data)."""

    instrument: str  # the dashboard's main instrument
    waves: list[str]  # with answers of the organisation to the main instrument, oldest first
    units: list[tuple[str, str]]  # (slug, name) of the organisation's units with answers
    segments: list[tuple[str, str]]  # (value, label)

    def unit_name(self, unit: str | None) -> str | None:
        return dict(self.units).get(unit or "")

    def segment_label(self, segment: str | None) -> str | None:
        return dict(self.segments).get(segment or "")


def _segment_labels(data: ReportData, lang: Lang) -> dict[str, str]:
    """Segments are the answers to a choice item (the demo: first visit or returning); their choice text names them."""
    labels: dict[str, str] = {}
    for instrument in data.instruments.values():
        for _, item in instrument.items():
            if isinstance(item, ChoiceItem):
                for choice in item.choices:
                    labels.setdefault(str(choice.value), choice.text.pick(lang))
    return labels


def choices(data: ReportData, definition: ReportDefinition, organisation: str, lang: Lang) -> Choices:
    """The waves, units and segments ``organisation`` has answers in; NoData when it has none to the report's
    instruments."""
    available = data.available(organisation)
    main = next((i for i in definition.instrument if i in available), None)
    if main is None:
        raise NoData(f"{organisation} has no answers to {', '.join(definition.instrument)}")
    own = [data.own_answers(i, organisation).lazy() for i in available]
    seen = pl.concat([frame.select("instrument", "wave", "unit", "segment") for frame in own]).unique().collect()
    waves = sorted(seen.filter(pl.col("instrument") == main).get_column("wave").unique().to_list())
    units = sorted(
        (unit, data.units.get((organisation, unit), unit)) for unit in seen.get_column("unit").unique().to_list()
    )
    labels = _segment_labels(data, lang)
    segments = sorted((s, labels.get(s, s)) for s in seen.get_column("segment").drop_nulls().unique().to_list())
    return Choices(main, waves, units, segments)


class FilterRefused(LookupError):
    """A filter naming a wave, unit or segment the dashboard does not offer: ``field``, ``value`` and ``choices``."""

    def __init__(self, field: str, value: str, choices: Sequence[str]) -> None:
        super().__init__(f"{field}: no {value!r}; choose one of: {', '.join(choices)}")
        self.field, self.value, self.choices = field, value, list(choices)


@dataclass(frozen=True)
class Filters:
    """A dashboard request's filters as asked for (None: not filtered; for the wave: the latest)."""

    wave: str | None = None
    unit: str | None = None
    segment: str | None = None

    def check(self, offered: Choices) -> None:
        """FilterRefused for the first filter ``offered`` does not hold."""
        if self.wave is not None and self.wave not in offered.waves:
            raise FilterRefused("wave", self.wave, offered.waves)
        # A unit or segment is named as the form shows it and as the address takes it: "Zorns hem (hemmet)".
        if self.unit is not None and offered.unit_name(self.unit) is None:
            raise FilterRefused("unit", self.unit, [f"{name} ({key})" for key, name in offered.units])
        if self.segment is not None and offered.segment_label(self.segment) is None:
            raise FilterRefused("segment", self.segment, [f"{label} ({key})" for key, label in offered.segments])


@dataclass(frozen=True)
class DashboardRequest:
    organisation: str
    filters: Filters = field(default_factory=Filters)
    lang: Lang = "sv"
    named_peers: bool = False
    min_n: int = 5
    today: date = field(default_factory=date.today)

    @property
    def slice(self) -> Slice:
        return Slice(self.organisation, self.filters.unit, self.filters.segment)


def dashboard_context(
    data: ReportData, report: ReportDefinition, asked: DashboardRequest, brand: Brand, offered: Choices
) -> dict[str, Any]:
    """The report context (`context` module docstring) of the dashboard's blocks for ``data`` already sliced to
    ``asked.slice``, plus ``choices`` and ``filters``. Check ``asked.filters`` against ``offered`` first."""
    definition = dashboard_definition(report, named_peers=asked.named_peers)
    wave = asked.filters.wave or (offered.waves[-1] if offered.waves else None)
    request = ReportRequest(definition, (asked.organisation,), asked.lang, wave, asked.min_n, asked.today)
    context = build_context(data, request, brand)
    context["choices"] = offered
    context["filters"] = asked.filters
    # The legends' swatches draw in the charts' colours: the brand's, and the quadrant's vermillion.
    context["colours"] = {"primary": brand.colours.primary, "accent": brand.colours.accent,
                          "improve": STANDING_FILLS["improve"]}  # fmt: skip
    return context
