"""The names a command accepts beside the slugs: organisations, units and stored instruments, read column-wise
through `snapshot_reads.read_frame` (the embedded database with the process's own SQLite library)."""

from __future__ import annotations

import json

from servicescore.db.snapshot_reads import read_frame


def organisation_names(url: str) -> dict[str, list[str]]:
    """Organisation slug → its name."""
    rows = read_frame(url, "SELECT slug, name FROM organisation ORDER BY slug").iter_rows()
    return {str(slug): [str(name)] for slug, name in rows}


def unit_names(url: str) -> dict[str, dict[str, list[str]]]:
    """Organisation slug → unit slug → the unit's name."""
    query = (
        "SELECT o.slug AS organisation, u.slug AS unit, u.name AS name FROM unit u "
        "JOIN organisation o ON o.id = u.organisation ORDER BY o.slug, u.slug"
    )
    units: dict[str, dict[str, list[str]]] = {}
    for organisation, slug, name in read_frame(url, query).iter_rows():
        units.setdefault(str(organisation), {})[str(slug)] = [str(name)]
    return units


def instrument_names(url: str) -> dict[str, list[str]]:
    """Stored instrument id → the English and Swedish titles of its current version."""
    query = (
        "SELECT i.key AS key, CAST(v.definition AS TEXT) AS definition FROM instrument i "
        "JOIN instrument_version v ON v.instrument = i.id AND v.version = i.current_version ORDER BY i.key"
    )
    titles: dict[str, list[str]] = {}
    for key, definition in read_frame(url, query).iter_rows():
        title = json.loads(definition).get("title", {})
        titles[str(key)] = [str(title[language]) for language in ("en", "sv") if title.get(language)]
    return titles
