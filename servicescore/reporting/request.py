"""What a caller asks for: a definition, organisations, a wave, a language; and the peer names it may show."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from servicescore.reporting.data import ReportData
from servicescore.reporting.definitions import ReportDefinition
from servicescore.reporting.numbers import Lang
from servicescore.scoring import anonymise_peers


@dataclass(frozen=True)
class ReportRequest:
    definition: ReportDefinition
    organisations: tuple[str, ...]  # keys; the first is the focus (the client, or the industry's peer group)
    lang: Lang = "sv"
    wave: str | None = None  # None: the latest wave with answers
    min_n: int = 5
    today: date = field(default_factory=date.today)


def peer_namer(
    data: ReportData, request: ReportRequest, overall_benchmark: pl.DataFrame, wave: str
) -> Callable[[str], str]:
    """How an organisation is named in this report: by name when it is asked for or peers are named, else as
    "Peer A" / "Jämförelse A", lettered by index in the report's wave (the best peer is A)."""
    shown = set(request.organisations)
    if request.definition.peers == "named":
        return lambda key: data.organisations[key].name if key in data.organisations else key
    ordered = overall_benchmark.filter(pl.col("wave") == wave).sort("index", descending=True, nulls_last=True)
    keys = [k for k in ordered.get_column("organisation").to_list() if k not in shown]
    others = sorted(set(data.organisations) - shown - set(keys))
    labelled = anonymise_peers(pl.DataFrame({"organisation": keys + others}), focus=request.organisations[0])
    word = "Jämförelse" if request.lang == "sv" else "Peer"
    labels = dict(zip(keys + others, labelled.collect().get_column("organisation").to_list(), strict=True))

    def name(key: str) -> str:
        if key in shown:
            return data.organisations[key].name
        return labels.get(key, key).replace("Peer", word, 1)

    return name
