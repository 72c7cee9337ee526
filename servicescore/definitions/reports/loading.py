"""Loading report definitions and brands from YAML, every problem as ``file: path.inside.file: message``.

Reuses the instrument loader's YAML reader and error wording, so a report author meets the same messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from servicescore.definitions.errors import DefinitionError, format_loc, problems_of
from servicescore.definitions.reports.brands import (
    FALLBACK_BRAND,
    Brand,
    BrandFile,
    Colours,
    Font,
    FontFiles,
)
from servicescore.definitions.reports.report import Block, ReportDefinition
from servicescore.definitions.text import Text
from servicescore.definitions.yaml_source import line_of, read_yaml_file, shown_path

SUFFIXES = (".yaml", ".yml")
M = TypeVar("M", bound=BaseModel)
_REPORT_MODELS: tuple[type[BaseModel], ...] = (ReportDefinition, Block, Text)
_BRAND_MODELS: tuple[type[BaseModel], ...] = (BrandFile, Colours, Font, FontFiles)


def _inspect(path: Path, model: type[M], models: tuple[type[BaseModel], ...]) -> tuple[M | None, list[str]]:
    shown = shown_path(path)
    read = read_yaml_file(path)
    if read.problems:
        return None, list(read.problems)
    document, text = read.document, read.text
    if not isinstance(document, dict):
        got = "nothing" if document is None else type(document).__name__
        return None, [f"{shown}: (top level): must be a mapping of fields (key: value) (got {got})"]
    try:
        return model.model_validate(document), []
    except ValidationError as error:
        lines = []
        for loc, message in problems_of(error, models):
            line = line_of(text, loc)
            lines.append((line or 0, f"{shown}: {format_loc(loc)}: {message}" + (f" (line {line})" if line else "")))
        return None, [entry for _, entry in sorted(lines, key=lambda pair: pair[0])]


def report_files(folder: Path) -> list[Path]:
    """The report definition files directly in ``folder`` (brands live in a subfolder and are not listed)."""
    return sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES and p.is_file())


def check_reports(paths: Sequence[Path], instruments: Sequence[str] | None = None) -> list[str]:
    """Every problem in the report files (folders mean their YAML files); with ``instruments``, also every
    instrument a definition names that does not exist."""
    lines: list[str] = []
    seen: dict[str, str] = {}
    for path in paths:
        files = report_files(path) if path.is_dir() else [path]
        for file in files:
            definition, problems = _inspect(file, ReportDefinition, _REPORT_MODELS)
            lines += problems
            if definition is None:
                continue
            shown = shown_path(file)
            if definition.id in seen:
                lines.append(f"{shown}: id: report id {definition.id!r} is already used by {seen[definition.id]}")
            seen.setdefault(definition.id, shown)
            lines += _unknown_instruments(definition, shown, instruments)
    return lines


def _unknown_instruments(definition: ReportDefinition, shown: str, instruments: Sequence[str] | None) -> list[str]:
    if instruments is None:
        return []
    known = ", ".join(sorted(instruments))
    lines = [
        f"{shown}: instrument[{i}]: no instrument {name!r} in surveys/; use one of: {known}"
        for i, name in enumerate(definition.instrument)
        if name not in instruments
    ]
    for i, block in enumerate(definition.blocks):
        for field in ("instrument", "employee_instrument"):
            name = getattr(block, field)
            if name is not None and name not in instruments:
                lines.append(f"{shown}: blocks[{i}].{field}: no instrument {name!r} in surveys/; use one of: {known}")
    return lines


def load_report(reports_dir: Path, report: str) -> ReportDefinition:
    """The definition ``reports_dir/<report>.yaml`` (or a path to a file); DefinitionError on any problem."""
    path = Path(report)
    if path.suffix not in SUFFIXES:
        path = reports_dir / f"{report}.yaml"
    definition, problems = _inspect(path, ReportDefinition, _REPORT_MODELS)
    if definition is None:
        raise DefinitionError(problems)
    return definition


def _asset(folder: Path, relative: str, field: str, shown: str) -> Path:
    path = (folder / relative).resolve()
    if not path.is_relative_to(folder.resolve()) or not path.is_file():
        raise DefinitionError([f"{shown}: {field}: {relative!r} is not a file inside the brand's folder"])
    return path


def load_brand(brands_dir: Path, name: str | None) -> Brand:
    """The brand ``name`` with the fallback brand filling what it leaves out; the fallback for no or unknown name."""
    fallback = _load_brand_file(brands_dir, FALLBACK_BRAND, None)
    if not name or name == FALLBACK_BRAND or not (brands_dir / name / "brand.yaml").is_file():
        return fallback
    return _load_brand_file(brands_dir, name, fallback)


def _load_brand_file(brands_dir: Path, key: str, fallback: Brand | None) -> Brand:
    folder = brands_dir / key
    file = folder / "brand.yaml"
    spec, problems = _inspect(file, BrandFile, _BRAND_MODELS)
    if spec is None:
        raise DefinitionError(problems)
    shown = shown_path(file)
    logo = _asset(folder, spec.logo, "logo", shown)
    if spec.font is not None:
        files = {
            weight: _asset(folder, relative, f"font.files.{weight}", shown)
            for weight, relative in spec.font.files.model_dump().items()
            if relative is not None
        }
        family = spec.font.family
    elif fallback is not None:
        files, family = fallback.font_files, fallback.font_family
    else:
        raise DefinitionError([f"{shown}: font: the fallback brand must ship a font"])
    return Brand(
        key=key,
        name=spec.name,
        colours=spec.colours,
        logo=logo,
        font_family=family,
        font_files=files,
        author=spec.author or (fallback.author if fallback else spec.name),
        folder=folder.resolve(),
    )
