"""Saving an imported instrument: its YAML file among the uploaded instruments of the storage (``surveys/<id>.yaml``,
`servicescore.instrument_folders`) and its version in the database, both or neither. The text is written to a
temporary file, loaded back, the database synced, and only then stored. Uploads never go into the shipped folder,
and never take the id of an instrument shipped there."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from piccolo.engine.base import Engine

from servicescore.db.audit import record_event
from servicescore.db.engine import write_transaction
from servicescore.db.instruments import sync_instruments
from servicescore.definitions import DefinitionError, Instrument, inspect_paths, load_instrument
from servicescore.instrument_folders import uploaded_key
from servicescore.storage import Storage


class InstrumentExists(ValueError):
    """The uploaded instruments have this one already (replacing its file must be asked for), or the shipped folder
    has one with this id (which an upload never replaces)."""


def _ids(folder: Path | None) -> set[str]:
    return {found.id for found in inspect_paths([folder])[0]} if folder is not None and folder.is_dir() else set()


def _checked(
    storage: Storage, uploaded: Path, instrument_id: str, text: str, *, replace: bool, shipped_dir: Path | None
) -> Instrument:
    """The instrument ``text`` loads as, from a temporary file; nothing left behind on failure."""
    name = f"{instrument_id}.yaml"
    if shipped_dir != uploaded and instrument_id in _ids(shipped_dir):
        raise InstrumentExists(name)
    # Replacing is for the file of that name; the same id in another file would make the folder ambiguous.
    exists = storage.exists(uploaded_key(instrument_id))
    if (exists and not replace) or (instrument_id in _ids(uploaded) and not exists):
        raise InstrumentExists(name)
    with tempfile.TemporaryDirectory(prefix="servicescore-import-") as folder:
        temporary = Path(folder) / name
        with temporary.open("w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        instrument = load_instrument(temporary)
    if instrument.id != instrument_id:
        raise DefinitionError([f"{name}: id: {instrument.id!r} does not match the file name"])
    return instrument


async def save_instrument_yaml(
    engine: Engine[Any],
    storage: Storage,
    uploaded: Path,
    instrument_id: str,
    text: str,
    *,
    replace: bool = False,
    actor_id: int | None = None,
    source: str = "",
    shipped_dir: Path | None = None,
) -> Instrument:
    """Store ``surveys/<id>.yaml`` and its version; InstrumentExists (also for an id ``shipped_dir`` holds), or
    DefinitionError if the text does not load back as that instrument. ``uploaded`` is the local folder of the
    uploaded instruments as of now (`instrument_folders.uploaded_folder`)."""
    instrument = _checked(storage, uploaded, instrument_id, text, replace=replace, shipped_dir=shipped_dir)
    async with write_transaction(engine):
        await sync_instruments([instrument])
        detail = {"version": instrument.version, "source": source}
        await record_event("instrument.imported", actor_id=actor_id, object_type="instrument",
                           object_id=instrument.id, detail=detail)  # fmt: skip
    storage.put(uploaded_key(instrument_id), text.encode("utf-8"))
    return instrument
