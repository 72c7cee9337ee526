"""What a caller asks for: a definition, organisations, a wave, a language; and the peer names it may show."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from servicescore.definitions.reports.report import ReportDefinition
from servicescore.formats import Lang
from servicescore.reporting.data import ReportData
from servicescore.results import peer_labels
from servicescore.texts import translate


@dataclass(frozen=True)
class ReportRequest:
    definition: ReportDefinition
    organisations: tuple[str, ...]  # keys; the first is the focus (the client, or the industry's peer group)
    lang: Lang = "sv"
    wave: str | None = None  # None: the latest wave with answers
    min_n: int = 5
    today: date = field(default_factory=date.today)
    # Scorecard indices adjusted for shopper leniency beside the unadjusted ones (a consultant's choice; off).
    adjust_shoppers: bool = False


def scorecards(data: ReportData, definition: ReportDefinition) -> list[str]:
    """The scorecards a report may read (its own instruments and its blocks'): those that can be adjusted for
    shopper leniency."""
    named = [*definition.instrument, *(block.instrument for block in definition.blocks if block.instrument)]
    return [i for i in dict.fromkeys(named) if i in data.instruments and data.instruments[i].kind == "scorecard"]


def report_brand(data: ReportData, definition: ReportDefinition, organisations: tuple[str, ...]) -> str | None:
    """The brand a report wears: a client report the organisation's own; a report that covers several
    organisations (a comparison, an industry ranking) the consultancy's neutral brand (None: the fallback,
    ServiceScore), so that no one of them appears to author or endorse what is said about the others."""
    if definition.kind == "client" and organisations:
        return data.organisations[organisations[0]].brand
    return None


def peer_namer(
    data: ReportData, request: ReportRequest, overall_benchmark: pl.DataFrame, wave: str
) -> Callable[[str], str]:
    """How an organisation is named in this report: by name when it is asked for or peers are named, else as
    "Peer A" / "Jämförelse A", the peer group's members lettered as `results.peers` letters every output (by
    overall index in the report's wave, the best peer first; ties and the rest by keyed hash)."""
    shown = set(request.organisations)
    if request.definition.peers == "named":
        return lambda key: data.organisations[key].name if key in data.organisations else key
    group = data.organisations[request.organisations[0]].peer_group
    members = [k for k, o in data.organisations.items() if k not in shown and group and o.peer_group == group]
    labels = peer_labels(overall_benchmark.filter(pl.col("wave") == wave), members, data.label_key)
    # Organisations outside the peer group never appear in a client's report; should one be named, it gets a
    # letter after the group's, in keyed-hash order.
    outside = [k for k in data.organisations if k not in shown and k not in labels]
    labels |= peer_labels(overall_benchmark.clear(), outside, data.label_key, start=len(labels))
    word = translate("label.peer", request.lang)

    def name(key: str) -> str:
        if key in shown:
            return data.organisations[key].name
        return labels.get(key, key).replace("Peer", word, 1)

    return name
