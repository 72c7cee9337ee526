"""What a report is made from: answers per instrument, the item catalogue, organisations, units and waves.

`ReportData` is the one input of the context builder. It is built from the analytics snapshot in production
(`from_snapshot`) and from the deterministic demo generator in tests (`from_demo`), so the reporting layer
never talks to a database and a test needs no server.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import polars as pl

from servicescore.definitions import Instrument
from servicescore.scoring.agreement import CALIBRATION_ANSWER_SCHEMA
from servicescore.scoring.catalogue import items_frame
from servicescore.scoring.schema import ANSWER_SCHEMA

if TYPE_CHECKING:
    from servicescore.reporting.frames import InstrumentFrames

AnswerSource = Callable[[str], pl.LazyFrame]
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
    # Answers of calibration exercises (agreement.CALIBRATION_ANSWER_SCHEMA): the methods page prints their α.
    calibration: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=CALIBRATION_ANSWER_SCHEMA))
    label_key: bytes = field(default=b"", repr=False)  # orders tied peers' labels (`results.peers`)
    # The scoring core's tables per (instrument, min_n, min_peers), shared by every report built from this data.
    # A dashboard passes a store that outlives the request (`reporting.live`); a report keeps this plain dict.
    frames: MutableMapping[FramesKey, InstrumentFrames] = field(default_factory=dict, repr=False)
    _cache: dict[str, pl.DataFrame] = field(default_factory=dict, repr=False)

    def answers(self, instrument: str) -> pl.DataFrame:
        """The instrument's answers, read once per `ReportData` (a report asks for them in many blocks)."""
        if instrument not in self._cache:
            self._cache[instrument] = self.source(instrument).collect()
        return self._cache[instrument]

    def available(self, organisation: str) -> list[str]:
        """The instruments with answers from `organisation`."""
        return [i for i in self.instruments if self.answers(i).filter(pl.col("organisation") == organisation).height]

    def catalogue(self) -> pl.DataFrame:
        return items_frame(self.instruments.values())

    def organisation_frame(self) -> pl.DataFrame:
        return pl.DataFrame(
            [{"organisation": o.key, "peer_group": o.peer_group} for o in self.organisations.values()],
            schema={"organisation": pl.String, "peer_group": pl.String},
        )

    def find(self, name_or_key: str) -> Organisation:
        """An organisation by key (``zorngarden``) or name (``Zorngården``), case-insensitively."""
        wanted = name_or_key.casefold()
        for organisation in self.organisations.values():
            if wanted in (organisation.key.casefold(), organisation.name.casefold()):
                return organisation
        known = ", ".join(f"{o.key} ({o.name})" for o in self.organisations.values())
        raise KeyError(f"no organisation {name_or_key!r}; use a key or name of: {known}")


def from_demo(instruments: Mapping[str, Instrument]) -> ReportData:
    """The demo world as report data, straight from the seeded generator (what `servicescore demo` stores).

    Counted like the analytics snapshot counts: completed surveys and approved scorecard visits only.
    """
    # Imported here: the demo modules pull in the ORM, which production reports never need.
    from servicescore.demo import world  # noqa: PLC0415 - see above
    from servicescore.demo.responses import generate  # noqa: PLC0415 - see above

    section_of = {(i.id, item.id): section.id for i in instruments.values() for section, item in i.items()}
    rows: list[dict[str, Any]] = []
    for response in generate(instruments):
        if response.status not in ("complete", "approved"):
            continue
        for answer in response.answers:
            rows.append(
                {
                    "response_id": str(response.id),
                    "instrument": response.instrument,
                    "wave": response.wave,
                    "organisation": response.organisation,
                    "unit": response.unit,
                    "segment": response.segment,
                    "section": section_of[(response.instrument, answer.item)],
                    "item": answer.item,
                    "value": answer.value,
                    "na": answer.na,
                    "text": answer.text,
                    "submitted_at": response.submitted_at,
                    "weight": 1.0,
                }
            )
    everything = pl.DataFrame(rows, schema=ANSWER_SCHEMA)
    parts = everything.partition_by("instrument", as_dict=True)

    def source(instrument: str) -> pl.LazyFrame:
        part = parts.get((instrument,))
        return (part if part is not None else everything.clear()).lazy()

    return ReportData(
        source=source,
        instruments=instruments,
        organisations={
            o.slug: Organisation(o.slug, o.name, o.peer_group, o.brand or None) for o in world.ORGANISATIONS
        },
        units={(o.slug, u.slug): u.name for o in world.ORGANISATIONS for u in o.units},
        waves={key: (date.fromisoformat(a), date.fromisoformat(b)) for key, a, b in world.WAVES},
        peer_groups={g.slug: g.name for g in world.PEER_GROUPS},
    )
