"""What a client viewer may see of answers and score tables. Pure: frames in, frames out.

One rule for every way answers reach a client (the API's `/responses`, the portal's exports):

- a measured group (instrument × wave × organisation × unit) with fewer than the minimum group size of
  respondents is left out whole, ratings, comments and all: a handful of raw answers gives away the mean the
  dashboards suppress and may let staff recognise who wrote a comment;
- a segment that would single out fewer than the minimum within a kept group is blanked;
- `response_id` becomes a keyed pseudonym (stable between reads, not the stored id): the real id is what a
  follow-up case carries, and the case names the person who asked to be contacted, so the real id would tie
  every answer of that person to their name after the case is closed;
- `submitted_at` keeps only the date, because a time of day can point at one visitor; rows are ordered by date,
  pseudonym and item, so their order says nothing about the time of day either.

Score tables: only the client's own rows; a group under the minimum keeps its row but no figure, not even n.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Final

import polars as pl

from servicescore.scoring.schema import SCORE_STATISTICS

# A client's answers are thinned per measured group: one instrument, one wave, one unit of one organisation.
ANSWER_GROUP: Final[tuple[str, ...]] = ("instrument", "wave", "organisation", "unit")
# Benchmark columns a client gets beside their own scores: statistics of the peers, never a peer's row.
PEER_COLUMNS: Final[tuple[str, ...]] = ("rank", "percentile", "peer_mean", "peer_best", "gap_to_best", "n_peers")
CLIENT_ORDER: Final[tuple[str, ...]] = ("submitted_at", "response_id", "item")


def _respondents(*over: str) -> pl.Expr:
    return pl.col("response_id").n_unique().over(*over)


def pseudonyms(response_ids: pl.Series, key: bytes) -> pl.Series:
    """A keyed hash of each id, shaped like a UUID: stable from one read to the next, useless for finding the
    response (or its follow-up case) without the server's key."""
    digests = [hmac.new(key, rid.encode("utf-8"), hashlib.sha256).hexdigest()[:32] for rid in response_ids]
    return pl.Series(
        response_ids.name, [f"{d[:8]}-{d[8:12]}-{d[12:16]}-{d[16:20]}-{d[20:]}" for d in digests], pl.String
    )


def client_answers(answers: pl.LazyFrame | pl.DataFrame, min_n: int, key: bytes) -> tuple[pl.DataFrame, int]:
    """A client viewer's copy of `answers` (see the module docstring), and how many responses were withheld.
    Rows come ordered by date, pseudonym and item."""
    answers = answers.lazy().collect()
    kept = answers.filter(_respondents(*ANSWER_GROUP) >= min_n)
    withheld = answers.get_column("response_id").n_unique() - kept.get_column("response_id").n_unique()
    ids = kept.get_column("response_id").unique().sort()
    mapping = pl.DataFrame({"response_id": ids, "_pseudonym": pseudonyms(ids, key)})
    thinned = (
        kept.with_columns(
            segment=pl.when(_respondents(*ANSWER_GROUP, "segment") >= min_n).then(pl.col("segment")),
            submitted_at=pl.col("submitted_at").dt.date(),
        )
        .join(mapping, on="response_id", how="left", maintain_order="left")
        .with_columns(response_id=pl.col("_pseudonym"))
        .drop("_pseudonym")
        .sort(CLIENT_ORDER, nulls_last=True, maintain_order=True)
    )
    return thinned, withheld


def client_scores(table: pl.DataFrame, organisation: str, peers: pl.DataFrame | None) -> pl.DataFrame:
    """The organisation's own rows of a score table: a suppressed row carries no figure at all (not even n),
    and `peers`, a benchmark table, adds only `PEER_COLUMNS` of the organisation's own rows."""
    own = table.filter(pl.col("organisation") == organisation)
    figures = [c for c in SCORE_STATISTICS if c not in {"suppressed", "uncertain"}]
    own = own.with_columns(pl.when(~pl.col("suppressed")).then(pl.col(c)).alias(c) for c in figures)
    if peers is None:
        return own
    keys = [c for c in peers.columns if c in own.columns and c not in SCORE_STATISTICS]
    peer_rows = peers.filter(pl.col("organisation") == organisation).select(*keys, *PEER_COLUMNS)
    joined = own.join(peer_rows, on=keys, how="left", maintain_order="left", nulls_equal=True)
    # A suppressed group has no place among its peers either.
    return joined.with_columns(pl.when(~pl.col("suppressed")).then(pl.col(c)).alias(c) for c in PEER_COLUMNS)
