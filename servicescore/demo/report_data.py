"""The demo world as report data, straight from the seeded generator (what `servicescore demo` stores): the
report tests and the report benchmark print from it without a database."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import polars as pl

from servicescore.definitions import Instrument
from servicescore.demo import world
from servicescore.demo.responses import generate
from servicescore.reporting.data import Organisation, ReportData
from servicescore.scoring.schema import ANSWER_SCHEMA


def from_demo(instruments: Mapping[str, Instrument]) -> ReportData:
    """The demo world as report data, straight from the seeded generator (what `servicescore demo` stores).

    Counted like the analytics snapshot counts: completed surveys and approved scorecard visits only.
    """
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
        peer_groups_en={g.slug: g.name_en for g in world.PEER_GROUPS if g.name_en},
    )
