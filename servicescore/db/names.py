"""The names a command accepts beside the slugs: organisations, units and stored instruments, read column-wise
through `snapshot_reads.read_frame` (the embedded database with the process's own SQLite library)."""

from __future__ import annotations

import json

from servicescore.db.snapshot_reads import COUNTED_STATUSES, read_frame


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


def instrument_titles(url: str) -> dict[str, dict[str, str]]:
    """Stored instrument id → the title of its current version by language (``sv``, ``en``), by id."""
    query = (
        "SELECT i.key AS key, CAST(v.definition AS TEXT) AS definition FROM instrument i "
        "JOIN instrument_version v ON v.instrument = i.id AND v.version = i.current_version ORDER BY i.key"
    )
    titles: dict[str, dict[str, str]] = {}
    for key, definition in read_frame(url, query).iter_rows():
        title = json.loads(definition).get("title", {})
        titles[str(key)] = {language: str(title.get(language) or key) for language in ("sv", "en")}
    return titles


def instrument_names(url: str) -> dict[str, list[str]]:
    """Stored instrument id → its English and Swedish titles."""
    return {key: [title["en"], title["sv"]] for key, title in instrument_titles(url).items()}


def answered_instruments(url: str) -> dict[str, set[str]]:
    """Organisation slug → the ids of the instruments it has counted answers to (complete surveys, approved
    visits)."""
    query = """
        SELECT DISTINCT o.slug AS organisation, i.key AS instrument FROM response r
        JOIN organisation o ON o.id = r.organisation JOIN instrument_version v ON v.id = r.instrument_version
        JOIN instrument i ON i.id = v.instrument WHERE r.status IN (?, ?)
    """  # one placeholder per counted status: a status added to COUNTED_STATUSES fails here loudly, never silently
    answered: dict[str, set[str]] = {}
    for organisation, instrument in read_frame(url, query, COUNTED_STATUSES).iter_rows():
        answered.setdefault(str(organisation), set()).add(str(instrument))
    return answered
