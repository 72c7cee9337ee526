"""The scoring core's tables one report needs, computed once per instrument and kept for every block."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from servicescore.reporting.data import ReportData
from servicescore.results.peers import peer_answers
from servicescore.scoring import benchmark, drivers, scores


@dataclass
class InstrumentFrames:
    """Score and benchmark tables of one instrument over every wave, with organisations named by key."""

    data: ReportData
    instrument: str
    min_n: int
    min_peers: int
    _memo: dict[str, pl.DataFrame] = field(default_factory=dict, repr=False)

    def _get(self, key: str, build: Callable[[], pl.DataFrame]) -> pl.DataFrame:
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    @property
    def answers(self) -> pl.DataFrame:
        return self.data.answers(self.instrument)

    def scores(self, level: str, by: tuple[str, ...] = ("organisation",)) -> pl.DataFrame:
        """`scores(answers, catalogue, by, level, min_n)` of the scoring core, collected."""
        return self._get(
            f"scores:{level}:{by}",
            lambda: scores(self.answers.lazy(), self.data.catalogue(), by=by, level=level, min_n=self.min_n).collect(),  # type: ignore[arg-type]  # a Level
        )

    def benchmark(self, level: str) -> pl.DataFrame:
        """`benchmark(scores, organisations, min_peers, names=True)`: named; blocks anonymise what they show."""
        return self._get(
            f"benchmark:{level}",
            lambda: benchmark(
                self.scores(level), self.data.organisation_frame(), min_peers=self.min_peers, names=True
            ).collect(),
        )

    def pooled_peers(self, organisation: str, level: str) -> pl.DataFrame:
        """Scores of the other organisations of the peer group pooled into one group (`by=()`), only in waves
        where the group is large enough to stay anonymous (`results.peers.peer_answers`)."""
        return self._get(
            f"pooled:{organisation}:{level}",
            lambda: scores(
                peer_answers(
                    self.answers.lazy(), self.data.organisation_frame(), organisation, min_peers=self.min_peers
                ),
                self.data.catalogue(),
                by=(),
                level=level,  # type: ignore[arg-type]  # blocks pass a Level's name
                min_n=self.min_n,
            ).collect(),
        )

    def drivers(self, organisation: str, wave: str, outcome: str, predictors: tuple[str, ...]) -> pl.DataFrame:
        """The scoring core's `drivers` of `outcome` on `predictors` over `organisation`'s respondents in `wave`."""
        return self._get(
            f"drivers:{organisation}:{wave}:{outcome}:{predictors}",
            lambda: self.own_drivers(organisation, wave, outcome, predictors),
        )

    def own_drivers(self, organisation: str, wave: str, outcome: str, predictors: tuple[str, ...]) -> pl.DataFrame:
        answers = self.data.own_answers(self.instrument, organisation).filter(
            (pl.col("wave") == wave) & pl.col("item").is_in([outcome, *predictors])
        )
        return drivers(answers.lazy(), self.data.catalogue(), outcome, by=("organisation",), min_n=self.min_n).collect()
