"""What a client viewer's export leaves out (the rules are in the package docstring). Pure: frames in, frames out.

No Litestar, no database: the same functions serve any other way of handing data to a client.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Final

import polars as pl

from servicescore.scoring.schema import SCORE_STATISTICS

# A client's answer file is thinned per measured group: one instrument, one wave, one unit.
ANSWER_GROUP: Final[tuple[str, ...]] = ("instrument", "wave", "unit")
# Benchmark columns a client gets beside their own scores: statistics of the peers, never a peer's row.
PEER_COLUMNS: Final[tuple[str, ...]] = ("rank", "percentile", "peer_mean", "peer_best", "gap_to_best", "n_peers")


def _respondents(*over: str) -> pl.Expr:
    return pl.col("response_id").n_unique().over(*over)


def pseudonyms(response_ids: pl.Series, key: bytes) -> pl.Series:
    """A keyed hash of each id, shaped like a UUID: stable from one export to the next, useless for finding the
    response (or its follow-up case) without the server's key. One hash per distinct response, not per row."""
    digests = [hmac.new(key, rid.encode("utf-8"), hashlib.sha256).hexdigest()[:32] for rid in response_ids]
    return pl.Series(
        response_ids.name, [f"{d[:8]}-{d[8:12]}-{d[12:16]}-{d[16:20]}-{d[20:]}" for d in digests], pl.String
    )


def client_answers(answers: pl.DataFrame, min_n: int, key: bytes) -> tuple[pl.DataFrame, int]:
    """A client viewer's copy of their own organisation's answers, and how many responses were withheld.

    Groups (instrument × wave × unit) under `min_n` respondents are left out whole; a segment that would
    single out fewer than `min_n` respondents of a group is blanked; `submitted_at` keeps only the date;
    `response_id` becomes a pseudonym.
    """
    kept = answers.filter(_respondents(*ANSWER_GROUP) >= min_n)
    withheld = answers.get_column("response_id").n_unique() - kept.get_column("response_id").n_unique()
    ids = kept.get_column("response_id").unique()
    mapping = pl.DataFrame({"response_id": ids, "_pseudonym": pseudonyms(ids, key)})
    thinned = (
        kept.with_columns(
            segment=pl.when(_respondents(*ANSWER_GROUP, "segment") >= min_n).then(pl.col("segment")),
            submitted_at=pl.col("submitted_at").dt.date(),
        )
        .join(mapping, on="response_id", how="left", maintain_order="left")
        .with_columns(response_id=pl.col("_pseudonym"))
        .drop("_pseudonym")
    )
    return thinned, withheld


def client_scores(table: pl.DataFrame, organisation: str, peers: pl.DataFrame | None) -> pl.DataFrame:
    """The organisation's own rows of a score table: a suppressed row carries no figure at all (not even n),
    and `peers`, a benchmark table anonymised for this organisation, adds only `PEER_COLUMNS`."""
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
