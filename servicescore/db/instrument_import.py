"""Saving an imported instrument: its YAML file in the uploaded-surveys folder of the data dir and its version in the
database, both or neither. The file is written to a temporary name, loaded back, the database synced, and only
then renamed. Uploads never go into the shipped folder, and never take the id of an instrument shipped there."""

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


class InstrumentExists(ValueError):
    """The surveys folder has this instrument already (replacing its file must be asked for), or the shipped folder
    has one with this id (which an upload never replaces)."""


def instrument_file(surveys_dir: Path, instrument_id: str) -> Path:
    return surveys_dir / f"{instrument_id}.yaml"


def _ids(folder: Path | None) -> set[str]:
    return {found.id for found in inspect_paths([folder])[0]} if folder is not None and folder.is_dir() else set()


def _write_checked(
    surveys_dir: Path, instrument_id: str, text: str, *, replace: bool, shipped_dir: Path | None
) -> tuple[Path, Instrument]:
    """The temporary file beside its final place and the instrument it loads as; nothing left behind on failure."""
    path = instrument_file(surveys_dir, instrument_id)
    if shipped_dir != surveys_dir and instrument_id in _ids(shipped_dir):
        raise InstrumentExists(f"{instrument_id}.yaml")
    # Replacing is for the file of that name; the same id in another file would make the folder ambiguous.
    if (path.exists() and not replace) or (instrument_id in _ids(surveys_dir) and not path.exists()):
        raise InstrumentExists(path.name)
    surveys_dir.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=surveys_dir, prefix=f".{path.name}.", suffix=".tmp")
    temporary = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        instrument = load_instrument(temporary)
        if instrument.id != instrument_id:
            raise DefinitionError([f"{path.name}: id: {instrument.id!r} does not match the file name"])
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary, instrument


def _discard(path: Path) -> None:
    path.unlink(missing_ok=True)


async def save_instrument_yaml(
    engine: Engine[Any],
    surveys_dir: Path,
    instrument_id: str,
    text: str,
    *,
    replace: bool = False,
    actor_id: int | None = None,
    source: str = "",
    shipped_dir: Path | None = None,
) -> Instrument:
    """Write ``surveys_dir/<id>.yaml`` and store its version; InstrumentExists (also for an id ``shipped_dir``
    holds), or DefinitionError if the text does not load back as that instrument."""
    temporary, instrument = _write_checked(surveys_dir, instrument_id, text, replace=replace, shipped_dir=shipped_dir)
    try:
        async with write_transaction(engine):
            await sync_instruments([instrument])
            detail = {"version": instrument.version, "source": source}
            await record_event("instrument.imported", actor_id=actor_id, object_type="instrument",
                               object_id=instrument.id, detail=detail)  # fmt: skip
        os.replace(temporary, instrument_file(surveys_dir, instrument_id))
    finally:
        _discard(temporary)
    return instrument
