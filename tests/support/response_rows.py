"""The rows a stored response belongs to, for database tests that write responses themselves."""

from __future__ import annotations

from dataclasses import dataclass

from servicescore.db.tables import Instrument, InstrumentVersion, Organisation, Unit, Wave


@dataclass(frozen=True)
class ResponseRows:
    """The rows a response belongs to, saved: Zorngården, its unit, the visitor survey's version and a wave."""

    organisation: Organisation
    unit: Unit
    version: InstrumentVersion
    wave: Wave


async def response_rows() -> ResponseRows:
    """Save the rows a response needs, on the database that is open (tables as the migrations so far made them)."""
    # Only the columns every migration had: a later migration's column (e.g. m0009's case_owner_email) may not exist.
    (row,) = await Organisation.raw(
        "INSERT INTO organisation (slug, name) VALUES ({}, {}) RETURNING id", "zorngarden", "Zorngården"
    )
    org = Organisation(id=row["id"], slug="zorngarden", name="Zorngården")
    unit = Unit(organisation=org.id, slug="hemmet", name="Zorns hem")
    await unit.save()
    instrument = Instrument(key="visitor-survey", kind="survey", current_version="abc")
    await instrument.save()
    version = InstrumentVersion(instrument=instrument.id, version="abc", definition="{}")
    await version.save()
    wave = Wave(key="2026-Q3")
    await wave.save()
    return ResponseRows(org, unit, version, wave)
