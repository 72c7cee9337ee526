"""Score, benchmark and answer tables for a viewer: the snapshot read as the CLI reads it, the scoring core's
tables, and what a client viewer may see of them (`privacy`, `peers`). Synchronous (Polars and the snapshot's
file lock): web handlers call these in a worker thread.

What a client viewer gets:

- answers and scores of their own organisation only; another organisation is refused like an unknown one;
- answers as `privacy.client_answers` thins them (the same rows, pseudonyms and dates as their exports);
- in the benchmark, their own row and their peer group's other members as `peers.focus_benchmark` shows them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import polars as pl
import polars.selectors as cs

from servicescore.results.errors import FilterError
from servicescore.results.peers import focus_benchmark
from servicescore.results.privacy import client_answers, client_scores
from servicescore.results.viewer import Viewer
from servicescore.scoring import benchmark, scores
from servicescore.scoring.schema import MIN_PEERS
from servicescore.settings import Settings
from servicescore.snapshot import catalogue, load_answers, peer_groups, stored_instruments, waves

ScoreBy = Literal["overall", "section", "item", "unit"]
_LEVELS: dict[str, tuple[list[str], Literal["overall", "section", "item"]]] = {
    "overall": (["organisation"], "overall"),
    "section": (["organisation"], "section"),
    "item": (["organisation"], "item"),
    "unit": (["organisation", "unit"], "overall"),
}
ANSWER_COLUMNS = ("response_id", "instrument", "wave", "organisation", "unit", "segment", "section", "item",
                  "value", "na", "text", "submitted_at")  # fmt: skip


def rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """Row dictionaries for JSON: NaN (a statistic of too few values) becomes null like any missing number."""
    return frame.with_columns(cs.float().fill_nan(None)).to_dicts()


def _answers(settings: Settings, instrument: str, wave: str | None) -> pl.LazyFrame:
    if instrument not in stored_instruments(settings):
        raise FilterError("instrument", value=instrument)
    if wave is not None and wave not in waves(settings, instrument):
        raise FilterError("wave", value=wave, instrument=instrument)
    return load_answers(settings, instrument, None if wave is None else [wave])


def _own(viewer: Viewer, organisation: str | None, known: Sequence[str]) -> str | None:
    """The organisation filter in force: a client viewer's own; an unknown or foreign one is refused alike."""
    if organisation is not None and (
        organisation not in known or (viewer.is_client and organisation != viewer.organisation)
    ):
        raise FilterError("organisation", value=organisation)
    return viewer.organisation if viewer.is_client else organisation


def _organisations(settings: Settings) -> list[str]:
    return peer_groups(settings).get_column("organisation").to_list()


def answer_page(
    settings: Settings, viewer: Viewer, *, instrument: str, wave: str | None, organisation: str | None,
    page: int, per_page: int,
) -> tuple[int, list[dict[str, Any]]]:  # fmt: skip
    """The total and one page of counted answers, ordered by submission, response and item (for a client viewer
    by date, pseudonym and item)."""
    answers = _answers(settings, instrument, wave)
    own = _own(viewer, organisation, _organisations(settings))
    if own is not None:
        answers = answers.filter(pl.col("organisation") == own)
    if viewer.is_client:
        ordered = client_answers(answers, viewer.min_group_size, viewer.pseudonym_key)[0].lazy()
    else:
        ordered = answers.sort("submitted_at", "response_id", "item", nulls_last=True)
    ordered = ordered.select(ANSWER_COLUMNS)
    total = ordered.select(pl.len()).collect().item()
    return int(total), rows(ordered.slice((page - 1) * per_page, per_page).collect())


def score_table(
    settings: Settings, viewer: Viewer, *, instrument: str, wave: str | None, by: ScoreBy, organisation: str | None
) -> list[dict[str, Any]]:
    """The score table of `servicescore scores` grouped by organisation (and unit, section or item); for a client
    viewer their own rows as their score export has them (a suppressed group without any figure, not even n)."""
    answers = _answers(settings, instrument, wave)
    own = _own(viewer, organisation, _organisations(settings))
    if own is not None:
        answers = answers.filter(pl.col("organisation") == own)
    columns, level = _LEVELS[by]
    table = scores(answers, catalogue(settings, [instrument]), columns, level, viewer.min_group_size).collect()
    if viewer.is_client:
        table = client_scores(table, str(viewer.organisation), None)
    keys = [c for c in ("wave", "organisation", "unit", "section", "item") if c in table.columns]
    return rows(table.sort(keys))


def benchmark_table(settings: Settings, viewer: Viewer, instrument: str, wave: str | None) -> list[dict[str, Any]]:
    """Each organisation's overall index against its peer group, per wave (client viewers: see the module)."""
    answers = _answers(settings, instrument, None)
    if wave is not None and wave not in waves(settings, instrument):
        raise FilterError("wave", value=wave, instrument=instrument)
    organisations = peer_groups(settings)
    table = scores(answers, catalogue(settings, [instrument]), ["organisation"], "overall", viewer.min_group_size)
    result = benchmark(table, organisations, MIN_PEERS, names=True).collect()
    if wave is not None:
        result = result.filter(pl.col("wave") == wave)
    if viewer.is_client:
        focus = str(viewer.organisation)
        result = focus_benchmark(
            result,
            organisations,
            focus,
            min_n=viewer.min_group_size,
            min_peers=MIN_PEERS,
            reference=result,
            key=viewer.label_key,
        )
    return rows(result.sort("wave", "index", "organisation", descending=[False, True, False], nulls_last=True))
