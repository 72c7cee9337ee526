"""The API's score, benchmark and answer tables: the snapshot read as the CLI reads it, the scoring core's
tables, and what a client viewer may see of them. Synchronous (Polars and the snapshot's file lock): handlers
call these in a worker thread.

What a client viewer gets (the tenant rule, DESIGN.md "Numbers"):

- answers and scores of their own organisation only; another organisation answers like an unknown one (404);
- answers only from units with at least ``min_group_size`` counted responses in that wave (smaller groups could
  name their respondents, comments included), and a segment only when its group in that unit and wave is as
  large; otherwise the segment is null;
- in the benchmark, their own row and, where the peer group has at least ``MIN_PEERS`` organisations with a
  shown score, the other members of their own peer group as "Peer A", "Peer B", …; nothing of other peer groups.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import polars as pl
import polars.selectors as cs

from servicescore.scoring import anonymise_peers, benchmark, scores
from servicescore.scoring.benchmark import DEFAULT_MIN_PEERS
from servicescore.settings import Settings
from servicescore.snapshot import catalogue, load_answers, peer_groups, stored_instruments, waves
from servicescore.web.api.problems import not_found

MIN_PEERS = DEFAULT_MIN_PEERS
ScoreBy = Literal["overall", "section", "item", "unit"]
_LEVELS: dict[str, tuple[list[str], Literal["overall", "section", "item"]]] = {
    "overall": (["organisation"], "overall"),
    "section": (["organisation"], "section"),
    "item": (["organisation"], "item"),
    "unit": (["organisation", "unit"], "overall"),
}
ANSWER_COLUMNS = ("response_id", "instrument", "wave", "organisation", "unit", "segment", "section", "item",
                  "value", "na", "text", "submitted_at")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Viewer:
    """Whose eyes a table is for: ``organisation`` is the client viewer's organisation slug, None for consultants."""

    organisation: str | None
    min_group_size: int

    @property
    def is_client(self) -> bool:
        return self.organisation is not None


def rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """Row dictionaries for JSON: NaN (a statistic of too few values) becomes null like any missing number."""
    return frame.with_columns(cs.float().fill_nan(None)).to_dicts()


def _answers(settings: Settings, instrument: str, wave: str | None) -> pl.LazyFrame:
    if instrument not in stored_instruments(settings):
        raise not_found("instrument", f'no instrument "{instrument}"')
    if wave is not None and wave not in waves(settings, instrument):
        raise not_found("wave", f'no counted answers of "{instrument}" in wave "{wave}"')
    return load_answers(settings, instrument, None if wave is None else [wave])


def _own(viewer: Viewer, organisation: str | None, known: Sequence[str]) -> str | None:
    """The organisation filter in force: a client viewer's own; an unknown or foreign one is not found."""
    if organisation is not None and (
        organisation not in known or (viewer.is_client and organisation != viewer.organisation)
    ):
        raise not_found("organisation", f'no organisation "{organisation}"')
    return viewer.organisation if viewer.is_client else organisation


def _organisations(settings: Settings) -> list[str]:
    return peer_groups(settings).get_column("organisation").to_list()


def answer_page(
    settings: Settings, viewer: Viewer, *, instrument: str, wave: str | None, organisation: str | None,
    page: int, per_page: int,
) -> tuple[int, list[dict[str, Any]]]:  # fmt: skip
    """The total and one page of counted answers, ordered by submission, response and item."""
    answers = _answers(settings, instrument, wave)
    own = _own(viewer, organisation, _organisations(settings))
    if own is not None:
        answers = answers.filter(pl.col("organisation") == own)
    if viewer.is_client:
        answers = client_answers(answers, viewer.min_group_size)
    ordered = answers.select(ANSWER_COLUMNS).sort("submitted_at", "response_id", "item", nulls_last=True)
    total = ordered.select(pl.len()).collect().item()
    return int(total), rows(ordered.slice((page - 1) * per_page, per_page).collect())


def client_answers(answers: pl.LazyFrame, min_group_size: int) -> pl.LazyFrame:
    respondents = pl.col("response_id").n_unique()
    return answers.filter(respondents.over("wave", "organisation", "unit") >= min_group_size).with_columns(
        pl.when(respondents.over("wave", "organisation", "unit", "segment") >= min_group_size)
        .then(pl.col("segment"))
        .alias("segment")
    )


def score_table(
    settings: Settings, viewer: Viewer, *, instrument: str, wave: str | None, by: ScoreBy, organisation: str | None
) -> list[dict[str, Any]]:
    """The score table of DESIGN.md "Contracts" grouped by organisation (and unit, section or item)."""
    answers = _answers(settings, instrument, wave)
    own = _own(viewer, organisation, _organisations(settings))
    if own is not None:
        answers = answers.filter(pl.col("organisation") == own)
    columns, level = _LEVELS[by]
    table = scores(answers, catalogue(settings, [instrument]), columns, level, settings.min_group_size).collect()
    keys = [c for c in ("wave", "organisation", "unit", "section", "item") if c in table.columns]
    return rows(table.sort(keys))


def benchmark_table(settings: Settings, viewer: Viewer, instrument: str, wave: str | None) -> list[dict[str, Any]]:
    """Each organisation's overall index against its peer group, per wave (client viewers: see the module)."""
    answers = _answers(settings, instrument, None)
    if wave is not None and wave not in waves(settings, instrument):
        raise not_found("wave", f'no counted answers of "{instrument}" in wave "{wave}"')
    organisations = peer_groups(settings)
    table = scores(answers, catalogue(settings, [instrument]), ["organisation"], "overall", settings.min_group_size)
    result = benchmark(table, organisations, MIN_PEERS, names=True).collect()
    if wave is not None:
        result = result.filter(pl.col("wave") == wave)
    if viewer.is_client:
        result = client_benchmark(result, organisations, str(viewer.organisation))
    return rows(result.sort("wave", "index", descending=[False, True], nulls_last=True))


def client_benchmark(table: pl.DataFrame, organisations: pl.DataFrame, own: str) -> pl.DataFrame:
    group = organisations.filter(pl.col("organisation") == own).get_column("peer_group").to_list()
    mine = pl.col("organisation") == own
    peers = (pl.col("peer_group") == (group[0] if group else None)) & (pl.col("n_peers") >= MIN_PEERS)
    shown = table.filter(mine | peers.fill_null(False)).sort("wave", "index", descending=[False, True], nulls_last=True)
    return anonymise_peers(shown, focus=own).collect()
