"""Instruments and their content versions in the database."""

from __future__ import annotations

from collections.abc import Iterable

from servicescore.db.keys import row_id
from servicescore.db.tables import Instrument as InstrumentRow
from servicescore.db.tables import InstrumentVersion
from servicescore.definitions import Instrument


async def sync_instruments(instruments: Iterable[Instrument]) -> dict[str, int]:
    """Store each definition's current content version (new versions are added, old ones kept, since responses
    point at the version they were given with); returns instrument id → id of its current version row."""
    current: dict[str, int] = {}
    for instrument in instruments:
        row = await InstrumentRow.objects().get(InstrumentRow.key == instrument.id)
        if row is None:
            row = InstrumentRow(key=instrument.id, kind=instrument.kind, current_version=instrument.version)
            await row.save()
        elif row.current_version != instrument.version:
            row.current_version = instrument.version
            await row.save([InstrumentRow.current_version])
        version = await InstrumentVersion.objects().get(
            (InstrumentVersion.instrument == row_id(row)) & (InstrumentVersion.version == instrument.version)
        )
        if version is None:
            version = InstrumentVersion(
                instrument=row_id(row),
                version=instrument.version,
                definition=instrument.model_dump_json(by_alias=True, exclude_none=True),
            )
            await version.save()
        current[instrument.id] = row_id(version)
    return current


async def definition_of(version_id: int) -> Instrument:
    """The definition a response was given with, whatever the files say today."""
    row = (
        await InstrumentVersion.select(InstrumentVersion.definition)
        .where(InstrumentVersion._meta.primary_key == version_id)
        .first()
    )
    if row is None:
        raise LookupError(f"no instrument version {version_id}")
    return Instrument.model_validate_json(row["definition"])
