"""Loading instrument files, and ``check``: every problem in every file, each pointing home."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from servicescore.definitions.conditions import Condition
from servicescore.definitions.errors import DefinitionError, format_loc, problems_of
from servicescore.definitions.follow_up import FollowUp
from servicescore.definitions.instrument import Instrument, Section
from servicescore.definitions.items import (
    Choice,
    ChoiceItem,
    DurationItem,
    EndLabels,
    NpsItem,
    NumberItem,
    PhotoItem,
    RatingItem,
    Scale,
    TextItem,
    YesNoItem,
)
from servicescore.definitions.text import Text
from servicescore.definitions.yaml_source import line_of, read_yaml_file, shown_path

SUFFIXES = (".yaml", ".yml")
_MODELS: tuple[type[BaseModel], ...] = (
    Instrument, Section, Text, Condition, FollowUp, Scale, EndLabels, Choice,
    RatingItem, NpsItem, YesNoItem, ChoiceItem, TextItem, NumberItem, DurationItem, PhotoItem,
)  # fmt: skip


def instrument_files(folder: Path) -> list[Path]:
    """The ``*.yaml`` and ``*.yml`` files directly in ``folder``, sorted by name."""
    return sorted(path for path in folder.iterdir() if path.suffix in SUFFIXES and path.is_file())


def inspect_paths(paths: Sequence[Path]) -> tuple[list[Instrument], list[str]]:
    """Every valid instrument (sorted by id) and every problem line, for files and folders of files."""
    instruments: dict[str, tuple[Instrument, str]] = {}
    lines: list[str] = []
    for path in paths:
        files = _expand(path, lines)
        for file in files:
            instrument, problems = _inspect_file(file)
            lines += problems
            if instrument is None:
                continue
            shown = shown_path(file)
            if instrument.id in instruments:
                first = instruments[instrument.id][1]
                lines.append(
                    f"{shown}: id: instrument id {instrument.id!r} is already used by {first}; "
                    "give each instrument its own id"
                )
                continue
            instruments[instrument.id] = (instrument, shown)
    return [instruments[key][0] for key in sorted(instruments)], lines


def check_paths(paths: Sequence[Path]) -> list[str]:
    """Every problem in the files (folders mean their YAML files), as ``file: path.inside.file: message``."""
    return inspect_paths(paths)[1]


def load_instrument(path: Path) -> Instrument:
    """The instrument in ``path``; DefinitionError listing every problem if it is not valid."""
    instrument, problems = _inspect_file(Path(path))
    if instrument is None or problems:
        raise DefinitionError(problems)
    return instrument


def load_instruments(*folders: Path) -> list[Instrument]:
    """Every instrument in the folders, sorted by id; DefinitionError listing every problem in any file (an id
    used in two folders is one)."""
    instruments, problems = inspect_paths([Path(folder) for folder in folders])
    if problems:
        raise DefinitionError(problems)
    return instruments


def parse_instrument(document: object, source: str = "<definition>") -> Instrument:
    """An instrument from an already parsed document (a dict); DefinitionError naming ``source`` on problems."""
    instrument, problems = _validate(document, source)
    if instrument is None:
        raise DefinitionError(problems)
    return instrument


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the instrument definition format."""
    schema = Instrument.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def _expand(path: Path, lines: list[str]) -> list[Path]:
    if path.is_dir():
        files = instrument_files(path)
        if not files:
            lines.append(f"{shown_path(path)}: (folder): no .yaml or .yml files here; add an instrument or name a file")
        return files
    return [path]


def _inspect_file(path: Path) -> tuple[Instrument | None, list[str]]:
    read = read_yaml_file(path)
    if read.problems:
        return None, list(read.problems)
    return _validate(read.document, shown_path(path), read.text)


def _validate(document: object, shown: str, text: str | None = None) -> tuple[Instrument | None, list[str]]:
    if document is None:
        return None, [f"{shown}: (top level): the file is empty; an instrument needs id, kind, title and sections"]
    if not isinstance(document, dict):
        kind = "a list" if isinstance(document, list) else f"{type(document).__name__} {document!r}"[:60]
        return None, [f"{shown}: (top level): must be a mapping with id, kind, title and sections (got {kind})"]
    try:
        return Instrument.model_validate(document), []
    except ValidationError as error:
        located = [(_line(text, loc), format_loc(loc), message) for loc, message in problems_of(error, _MODELS)]
        # In the order the author reads the file; problems without a line keep their place at the top.
        located.sort(key=lambda problem: problem[0] or 0)
        return None, [f"{shown}: {path}: {message}{_at(line)}" for line, path, message in located]


def _at(line: int | None) -> str:
    return f" (line {line})" if line else ""


def _line(text: str | None, loc: tuple[str | int, ...]) -> int | None:
    return None if text is None else line_of(text, loc)
