"""What a report is made from: answers per instrument, the item catalogue, organisations, units and waves.

`ReportData` is the one input of the context builder. It is built from the analytics snapshot in production
(`from_snapshot`) and from the deterministic demo generator in tests (`demo.report_data.from_demo`), so the
reporting layer never talks to a database and a test needs no server.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import polars as pl

from servicescore.definitions import Instrument
from servicescore.scoring.agreement import CALIBRATION_ANSWER_SCHEMA
from servicescore.scoring.catalogue import items_frame

if TYPE_CHECKING:
    from servicescore.reporting.frames import InstrumentFrames
    from servicescore.results.shoppers import Adjustment

AnswerSource = Callable[[str], pl.LazyFrame]
OwnSource = Callable[[str, str], pl.DataFrame]  # (instrument, organisation) → that organisation's answers
FramesKey = tuple[str, int, int]  # instrument, min_n, min_peers


@dataclass(frozen=True)
class Organisation:
    key: str
    name: str
    peer_group: str | None
    brand: str | None = None
    logo: str | None = None  # the logo uploaded in the console, as a data: URL; the cover shows it over the brand's


@dataclass
class ReportData:
    """Everything a report reads. `answers(instrument)` returns that instrument's answers in every wave."""

    source: AnswerSource
    instruments: Mapping[str, Instrument]
    organisations: Mapping[str, Organisation]
    units: Mapping[tuple[str, str], str]  # (organisation, unit) → the unit's name
    waves: Mapping[str, tuple[date | None, date | None]]  # wave → first and last day (unknown for some)
    peer_groups: Mapping[str, str] = field(default_factory=dict)  # peer group → its name
    peer_groups_en: Mapping[str, str] = field(default_factory=dict)  # peer group → its English name, where given
    # Answers of calibration exercises (agreement.CALIBRATION_ANSWER_SCHEMA): the methods page prints their α.
    calibration: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=CALIBRATION_ANSWER_SCHEMA))
    # Each scorecard's shopper leniency offsets (`results.shoppers.shopper_adjustment`), given only to a report asked
    # to adjust for them (`ReportRequest.adjust_shoppers`); a scorecard missing here has no estimates.
    adjustments: Mapping[str, Adjustment] = field(default_factory=dict, repr=False)
    label_key: bytes = field(default=b"", repr=False)  # orders tied peers' labels (`results.peers`)
    # The scoring core's tables per (instrument, min_n, min_peers), shared by every report built from this data.
    # A dashboard passes a store that outlives the request (`reporting.live`); a report keeps this plain dict.
    frames: MutableMapping[FramesKey, InstrumentFrames] = field(default_factory=dict, repr=False)
    # One organisation's answers without reading every organisation's (a dashboard's kept partitions); None: they
    # are filtered out of `answers`.
    own_source: OwnSource | None = field(default=None, repr=False)
    _cache: dict[str, pl.DataFrame] = field(default_factory=dict, repr=False)
    _own: dict[tuple[str, str], pl.DataFrame] = field(default_factory=dict, repr=False)

    def answers(self, instrument: str) -> pl.DataFrame:
        """The instrument's answers, read once per `ReportData` (a report asks for them in many blocks)."""
        if instrument not in self._cache:
            self._cache[instrument] = self.source(instrument).collect()
        return self._cache[instrument]

    def own_answers(self, instrument: str, organisation: str) -> pl.DataFrame:
        """The instrument's answers from `organisation` (what the blocks that read answers themselves read)."""
        key = (instrument, organisation)
        if key not in self._own:
            if self.own_source is not None:
                self._own[key] = self.own_source(instrument, organisation)
            else:
                self._own[key] = self.answers(instrument).filter(pl.col("organisation") == organisation)
        return self._own[key]

    def available(self, organisation: str) -> list[str]:
        """The instruments with answers from `organisation`."""
        return [i for i in self.instruments if self.own_answers(i, organisation).height]

    def catalogue(self) -> pl.DataFrame:
        return items_frame(self.instruments.values())

    def organisation_frame(self) -> pl.DataFrame:
        return pl.DataFrame(
            [{"organisation": o.key, "peer_group": o.peer_group} for o in self.organisations.values()],
            schema={"organisation": pl.String, "peer_group": pl.String},
        )

    def peer_group_name(self, peer_group: str, lang: str) -> str:
        """A peer group's name in a report in `lang`: the English name in English where one is given, else the
        (Swedish) name; the key when the group is unknown."""
        english = self.peer_groups_en.get(peer_group) if lang == "en" else None
        return english or self.peer_groups.get(peer_group, peer_group)

    def find(self, name_or_key: str) -> Organisation:
        """An organisation by key (``zorngarden``) or name (``Zorngården``), case-insensitively."""
        wanted = name_or_key.casefold()
        for organisation in self.organisations.values():
            if wanted in (organisation.key.casefold(), organisation.name.casefold()):
                return organisation
        known = ", ".join(f"{o.key} ({o.name})" for o in self.organisations.values())
        raise KeyError(f"no organisation {name_or_key!r}; use a key or name of: {known}")
