"""Peer anonymity: what of a benchmark table the organisation reported on may see, and the peers' labels.

- Only the focus organisation's own peer group: rows of other peer groups (and of organisations without one)
  never appear.
- A peer's row appears only where it has a shown score and the peer group has at least `min_peers` shown
  organisations (`n_peers`, the focus included); otherwise the focus's row stands alone, without peer figures.
- Rows per unit show no peer: a peer's units would name it (the focus's own rows keep their peer statistics).
- The focus's own row of a group under the minimum group size carries no n, as in the client's score export.
- Labels "Peer A", "Peer B", … go to the peers in order of their overall index in the reference wave (the wave
  reported on; for a table, the latest wave in which it shows peers), highest first, compared at one decimal as
  printed; ties, and peers without a shown index in that wave, in the order of a keyed hash of their key
  (HMAC-SHA256 with a key derived from the installation's secret). Never by name and never by the order the
  database or a join returns, so the same answers give the same labels on every run, and a label says nothing a
  table does not show.
"""

from __future__ import annotations

import hashlib
import hmac
import string
from collections.abc import Iterable
from typing import Final

import polars as pl

ORDER_DECIMALS: Final[int] = 1  # indices are printed with one decimal: equal as printed, equal in the order


def peer_label(position: int) -> str:
    """ "Peer A" … "Peer Z", then "Peer AA", "Peer AB", … (position 0 is A)."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = string.ascii_uppercase[rest] + letters
    return f"Peer {letters}"


def _hash(key: bytes, organisation: str) -> str:
    return hmac.new(key, organisation.encode("utf-8"), hashlib.sha256).hexdigest()


def peer_labels(reference: pl.DataFrame, peers: Iterable[str], key: bytes, *, start: int = 0) -> dict[str, str]:
    """Label of each of `peers` (organisation keys): by `reference`'s `index` (one row per organisation, the
    reference wave's overall index), highest first at one decimal, then by keyed hash (see the module); the
    first gets the label at position `start` (0: "Peer A")."""
    shown = reference.filter(pl.col("index").is_not_null() & ~pl.col("index").is_nan())
    indices: dict[str, float] = dict(shown.select("organisation", "index").iter_rows())

    def order(organisation: str) -> tuple[bool, float, str]:
        index = indices.get(organisation)
        return index is None, -round(index or 0.0, ORDER_DECIMALS), _hash(key, organisation)

    return {organisation: peer_label(start + n) for n, organisation in enumerate(sorted(set(peers), key=order))}


def peer_group_of(organisations: pl.DataFrame, focus: str) -> str | None:
    """The focus organisation's peer group key (None without one)."""
    found = organisations.filter(pl.col("organisation") == focus).get_column("peer_group").to_list()
    return found[0] if found else None


def focus_benchmark(
    table: pl.DataFrame,
    organisations: pl.DataFrame,
    focus: str,
    *,
    min_n: int,
    min_peers: int,
    reference: pl.DataFrame,
    key: bytes,
) -> pl.DataFrame:
    """The rows of a named benchmark `table` that `focus` may see, peers labelled (see the module docstring).

    `table` is `scoring.benchmark(…, min_peers=min_peers, names=True)`; `reference` the overall scores (or
    benchmark) per organisation and wave, whose latest wave with a peer shown orders the labels.
    """
    group = peer_group_of(organisations, focus)
    mine = pl.col("organisation") == focus
    table = table.with_columns(pl.when(~mine | (pl.col("n") >= min_n)).then(pl.col("n")).alias("n"))
    if group is None or "unit" in table.columns:
        return table.filter(mine)
    peer = (
        (pl.col("peer_group") == group)
        & (pl.col("n_peers") >= min_peers)
        & pl.col("index").is_not_null()
        & ~pl.col("index").is_nan()
    )
    shown = table.filter(mine | peer.fill_null(value=False))
    peer_rows = shown.filter(~mine)
    if peer_rows.height == 0:
        return shown
    peers = peer_rows.get_column("organisation").unique().to_list()
    wave = peer_rows.get_column("wave").max()
    labels = peer_labels(reference.filter((pl.col("wave") == wave) & pl.col("organisation").is_in(peers)), peers, key)
    return shown.with_columns(pl.col("organisation").replace(labels))


def peer_answers(answers: pl.LazyFrame, organisations: pl.DataFrame, focus: str, *, min_peers: int) -> pl.LazyFrame:
    """The answers of the focus's peers, to pool into one anonymous group: none without a peer group, and only in
    waves where at least `min_peers` − 1 other organisations of the group have answers (with the focus, a group
    of `min_peers`)."""
    group = peer_group_of(organisations, focus)
    members = [] if group is None else organisations.filter(pl.col("peer_group") == group)["organisation"].to_list()
    others = [o for o in members if o != focus]
    pooled = answers.filter(pl.col("organisation").is_in(others))
    return pooled.filter(pl.col("organisation").n_unique().over("wave") >= min_peers - 1)
