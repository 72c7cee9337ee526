"""Noticing renamed organisations, units and waves: answers carry their names, yet a rename changes no response.

A partition records, when it is built, the highest organisation, unit and wave id and a digest of the names of
every row up to those ids. It is current while the names of those rows are unchanged: organisations, units and
waves added later do not touch it (responses that use them change the response fingerprint instead).

The names are a few hundred `kind, id, name` tuples, read with the partitions' versions before every read: they are
digested in plain Python (a Polars frame per check cost 2–4 ms of a 5 ms budget), as the CSV text Polars wrote for
them before (`kind,id,name` and a line per row, sorted by kind and id), so stamps already in a manifest still match.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Final

KINDS: Final[tuple[str, ...]] = ("organisation", "unit", "wave")
# A name is quoted (its quotes doubled) when it is empty or holds a separator, a quote or a line break, as Polars did.
_QUOTED: Final[frozenset[str]] = frozenset(',"\n\r')

Names = Iterable[tuple[str, int, str]]  # `kind, id, name` of every organisation, unit and wave


def _field(name: str) -> str:
    if name and _QUOTED.isdisjoint(name):
        return name
    return '"' + name.replace('"', '""') + '"'


def _digest(keys: Names, upto: dict[str, int]) -> str:
    chosen = sorted((kind, number, name) for kind, number, name in keys if number <= upto.get(kind, 0))
    text = "kind,id,name\n" + "".join(f"{kind},{number},{_field(name)}\n" for kind, number, name in chosen)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _format(upto: dict[str, int], digest: str) -> str:
    return ";".join(f"{kind}={upto[kind]}" for kind in KINDS) + f";{digest}"


def stamp(keys: Names) -> str:
    """The stamp of a partition built now, from `kind, id, name` rows of every organisation, unit and wave."""
    keys = tuple(keys)
    upto = {kind: max((number for found, number, _ in keys if found == kind), default=0) for kind in KINDS}
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


def unchanged(keys: Names, stamp_text: str) -> bool:
    """Whether the organisations, units and waves a stamp covers still have the names they had."""
    upto = _parse(stamp_text)
    return upto is not None and _format(upto, _digest(keys, upto)) == stamp_text
