"""Brands: colours, logo and font of a report, in ``reports/brands/<name>/brand.yaml``.

A brand swaps CSS variables and assets, never the HTML. Anything a brand leaves out comes from the fallback
brand ``servicescore``; an organisation without a brand of its own gets the fallback brand whole.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from pydantic import BaseModel, ConfigDict, Field, field_validator

FALLBACK_BRAND: Final[str] = "servicescore"
_HEX = r"^#[0-9a-fA-F]{6}$"


class Colours(BaseModel):
    """The CSS variables a brand sets; each becomes ``--colour-<name>`` in the report's ``:root``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    primary: str = Field(pattern=_HEX)
    accent: str = Field(pattern=_HEX)
    text: str = Field(default="#1f2328", pattern=_HEX)
    muted: str = Field(default="#5b6470", pattern=_HEX)
    rule: str = Field(default="#d0d5dc", pattern=_HEX)
    tint: str = Field(default="#f3f5f7", pattern=_HEX)


class FontFiles(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    regular: str
    italic: str | None = None
    semibold: str | None = None
    bold: str | None = None


class Font(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    family: str = Field(min_length=1)
    files: FontFiles
    licence: str = Field(min_length=1)


class BrandFile(BaseModel):
    """``brand.yaml`` as written; paths are relative to the brand's folder."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    colours: Colours
    logo: str
    font: Font | None = None
    author: str | None = None

    @field_validator("logo")
    @classmethod
    def _logo_kind(cls, value: str) -> str:
        if Path(value).suffix.lower() not in (".svg", ".png"):
            raise ValueError(f"the logo must be an .svg or .png file (got {value!r})")
        return value


class Brand(BaseModel):
    """A loaded brand: every asset an absolute path inside the brands folder."""

    model_config = ConfigDict(frozen=True)

    key: str
    name: str
    colours: Colours
    logo: Path
    font_family: str
    font_files: dict[str, Path]
    author: str
    folder: Path


def brand_names(brands_dir: Path) -> list[str]:
    """Every folder of ``brands_dir`` that holds a ``brand.yaml``."""
    if not brands_dir.is_dir():
        return []
    return sorted(p.name for p in brands_dir.iterdir() if (p / "brand.yaml").is_file())
