"""Reading an export's query string into an `ExportSpec`, refusing anything it does not know.

Every refusal is a `FilterError` carrying a text key and the offending value, so the page can say in the user's
language what was wrong and where (``exports.error.*`` in ``texts/exports.py``). Checks that need data
(instrument, wave, unit, column names) happen where the data is, with the same error type.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, get_args

from servicescore.results.errors import FilterError
from servicescore.results.exports import ExportSpec, Kind
from servicescore.scoring.schema import GROUPABLE, Level

KINDS: Final[tuple[str, ...]] = get_args(Kind)
FORMATS: Final[tuple[str, ...]] = ("csv", "xlsx", "parquet", "sav")
LEVELS: Final[tuple[str, ...]] = get_args(Level)
# Parameters every export takes; `lang` is the page's language switch, not a filter.
_COMMON: Final[frozenset[str]] = frozenset({"format", "instrument", "wave", "organisation", "unit", "columns", "lang"})
_ONLY_FOR: Final[dict[str, frozenset[str]]] = {"answers": frozenset(), "scores": frozenset({"by", "level"})}
# A query string is typed by a person or a script; a few hundred values is already more than any form sends.
MAX_VALUES: Final[int] = 200


def _listed(values: Iterable[str]) -> list[str]:
    """Repeated parameters and comma lists alike: `wave=a&wave=b` or `wave=a,b`; blanks dropped."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _one(query: dict[str, list[str]], name: str) -> str | None:
    values = [v.strip() for v in query.get(name, []) if v.strip()]
    if len(values) > 1:
        raise FilterError("twice", name=name)
    return values[0] if values else None


def _identifier(query: dict[str, list[str]], name: str) -> int | None:
    value = _one(query, name)
    if value is None:
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise FilterError("not_an_id", name=name, value=value)
    return int(value)


def parse_query(kind: Kind, query: dict[str, list[str]]) -> ExportSpec:
    """The export `kind` asks for, with every parameter checked for its form (not yet against the data)."""
    allowed = _COMMON | _ONLY_FOR[kind]
    unknown = sorted(name for name in query if name not in allowed)
    if unknown:
        raise FilterError("unknown_filter", name=unknown[0], known=", ".join(sorted(allowed - {"lang"})))
    if sum(len(values) for values in query.values()) > MAX_VALUES:
        raise FilterError("too_many", limit=MAX_VALUES)
    file_format = (_one(query, "format") or "csv").lower()
    if file_format not in FORMATS:
        raise FilterError("format", value=file_format, known=", ".join(FORMATS))
    instrument = _one(query, "instrument")
    if instrument is None:
        raise FilterError("no_instrument")
    by = tuple(dict.fromkeys(_listed(query.get("by", [])))) or ("organisation",)
    unknown_by = [c for c in by if c not in GROUPABLE]
    if unknown_by:
        raise FilterError("by", value=unknown_by[0], known=", ".join(GROUPABLE))
    level = _one(query, "level") or "item"
    if level not in LEVELS:
        raise FilterError("level", value=level, known=", ".join(LEVELS))
    return ExportSpec(
        kind=kind,
        file_format=file_format,
        instrument=instrument,
        waves=tuple(dict.fromkeys(_listed(query.get("wave", [])))),
        organisation_id=_identifier(query, "organisation"),
        unit_id=_identifier(query, "unit"),
        columns=tuple(dict.fromkeys(_listed(query.get("columns", [])))),
        by=by,
        level=level,  # type: ignore[arg-type]  # checked against LEVELS above
        echo={name: list(values) for name, values in query.items() if name != "lang"},
    )
