"""The names a report prints, read column-wise: organisations with brand, logo and peer group; units; waves with
their dates; peer groups. Read through `snapshot_reads.read_frame`, so the embedded database is read with the
process's own SQLite library."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from servicescore.db.snapshot_reads import read_frame


@dataclass(frozen=True)
class ReportNames:
    organisations: pl.DataFrame  # key, name, brand, logo (sha256 or empty), peer_group
    units: pl.DataFrame  # organisation, unit, name
    waves: pl.DataFrame  # key, starts_on, ends_on (text; empty for a wave without dates)
    peer_groups: pl.DataFrame  # slug, name, name_en (empty when not given)


def report_names(url: str) -> ReportNames:
    return ReportNames(
        organisations=read_frame(
            url,
            "SELECT o.slug AS key, o.name AS name, o.brand AS brand, o.logo_sha256 AS logo, p.slug AS peer_group "
            "FROM organisation o LEFT JOIN peer_group p ON p.id = o.peer_group",
        ),
        units=read_frame(
            url,
            "SELECT o.slug AS organisation, u.slug AS unit, u.name AS name FROM unit u "
            "JOIN organisation o ON o.id = u.organisation",
        ),
        # As text, because a wave opened by `collections open --wave` has no dates: a column of nulls has no type.
        waves=read_frame(
            url,
            "SELECT key, COALESCE(CAST(starts_on AS TEXT), '') AS starts_on, "
            "COALESCE(CAST(ends_on AS TEXT), '') AS ends_on FROM wave",
        ),
        peer_groups=read_frame(url, "SELECT slug, name, name_en FROM peer_group"),
    )


def calibration_answers(url: str) -> pl.DataFrame:
    """Every submitted calibration answer: `instrument, wave, exercise, shopper, item, value, na` (0/1), `text`."""
    return read_frame(
        url,
        "SELECT i.key AS instrument, w.key AS wave, CAST(e.id AS TEXT) AS exercise, u.username AS shopper, "
        "a.item AS item, a.value AS value, CASE WHEN a.na THEN 1 ELSE 0 END AS na, a.text AS text "
        "FROM calibration_answer a JOIN calibration_shopper s ON s.id = a.entry "
        "JOIN calibration_exercise e ON e.id = s.exercise JOIN instrument_version v ON v.id = e.instrument_version "
        "JOIN instrument i ON i.id = v.instrument JOIN wave w ON w.id = e.wave JOIN app_user u ON u.id = s.shopper "
        "WHERE s.submitted_at IS NOT NULL ORDER BY e.id, u.username, a.item",
    )
