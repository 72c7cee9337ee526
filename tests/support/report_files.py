"""Reading printed reports (PDF files) back: text, document information, fonts, raw streams, page images; and the
fixed date the report tests print for."""

from __future__ import annotations

import re
import subprocess
import zlib
from datetime import date
from pathlib import Path

TODAY = date(2026, 10, 15)


def pdf_text(pdf: Path, page: int | None = None) -> str:
    """The PDF's text in reading order (one page when ``page`` is given)."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", *pages, str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def pdf_info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines() if ":" in line)}


def pdf_fonts(pdf: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    return [line.split() for line in out.splitlines()[2:]]


def inflated(pdf: Path) -> bytes:
    """Every stream of the PDF decompressed, joined: where the catalogue's /Lang and the tags live."""
    data = pdf.read_bytes()
    parts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def page_images(pdf: Path, folder: Path, prefix: str) -> list[Path]:
    """Every page as a PNG in ``folder`` (kept after the run)."""
    for old in folder.glob(f"{prefix}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(folder / prefix)], check=True)
    return sorted(folder.glob(f"{prefix}-*.png"))
