"""Where instruments are read from: the configured (shipped) folder, then the ones uploaded in the console.

Uploads live in the storage under ``surveys/<id>.yaml`` (`servicescore.storage`), so an instrument uploaded through
one app process is read by every other; from a bucket each process reads this machine's copy of them in
``<data dir>/surveys``, brought up to date (one listing) each time the folders are asked for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from servicescore.settings import Settings
from servicescore.storage import local_folder, storage_for

UPLOADED: Final[str] = "surveys"  # the storage's prefix of uploaded instruments


def uploaded_key(instrument_id: str) -> str:
    return f"{UPLOADED}/{instrument_id}.yaml"


def uploaded_folder(settings: Settings) -> Path:
    """A local folder holding every uploaded instrument, as of now (it may not exist when there is none)."""
    return local_folder(storage_for(settings), UPLOADED, settings.uploaded_surveys_dir)


def instrument_folders(settings: Settings) -> list[Path]:
    """The shipped folder, then the uploaded instruments' folder when there is one."""
    uploaded = uploaded_folder(settings)
    return [settings.surveys_dir, *([uploaded] if uploaded.is_dir() and uploaded != settings.surveys_dir else [])]
