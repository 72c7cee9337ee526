"""Noticing renamed organisations, units and waves: answers carry their names, yet a rename changes no response.

A partition records, when it is built, the highest organisation, unit and wave id and a digest of the names of
every row up to those ids. It is current while the names of those rows are unchanged: organisations, units and
waves added later do not touch it (responses that use them change the response fingerprint instead).
"""

from __future__ import annotations

import hashlib
from typing import Final

import polars as pl

KINDS: Final[tuple[str, ...]] = ("organisation", "unit", "wave")


def _digest(keys: pl.DataFrame, upto: dict[str, int]) -> str:
    limit = pl.col("kind").replace_strict(upto, default=0, return_dtype=pl.Int64)
    chosen = keys.filter(pl.col("id") <= limit).sort("kind", "id")
    return hashlib.sha256(chosen.write_csv().encode("utf-8")).hexdigest()[:16]


def _format(upto: dict[str, int], digest: str) -> str:
    return ";".join(f"{kind}={upto[kind]}" for kind in KINDS) + f";{digest}"


def stamp(keys: pl.DataFrame) -> str:
    """The stamp of a partition built now, from `kind, id, name` rows of every organisation, unit and wave."""
    highest = dict(keys.group_by("kind").agg(pl.col("id").max()).iter_rows())
    upto = {kind: int(highest.get(kind) or 0) for kind in KINDS}
    return _format(upto, _digest(keys, upto))


def _parse(stamp_text: str) -> dict[str, int] | None:
    parts = stamp_text.split(";")
    if len(parts) != len(KINDS) + 1:
        return None
    try:
        pairs = dict(part.split("=", 1) for part in parts[:-1])
        return {kind: int(pairs[kind]) for kind in KINDS}
    except (KeyError, ValueError):
        return None


def unchanged(keys: pl.DataFrame, stamp_text: str) -> bool:
    """Whether the organisations, units and waves a stamp covers still have the names they had."""
    upto = _parse(stamp_text)
    return upto is not None and _format(upto, _digest(keys, upto)) == stamp_text
