"""What a report PDF is made from, as one digest: the cache key of on-demand reports (`on_demand`).

The key covers everything that can change a byte of the PDF: the report definition's file, the brand (its
``brand.yaml``, logo and fonts), the report templates, the language, the organisations, the wave, the minimum
group size, the date printed on the cover, whether scorecards are adjusted for shopper leniency, the instrument
definitions, the names of organisations, units, waves and peer groups, and the analytics snapshot's fingerprint
of every partition (count, latest change and checksum of the counted responses). A new or approved response
changes a fingerprint, so it makes a new PDF.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path

from servicescore.definitions.reports.brands import Brand
from servicescore.reporting.data import ReportData
from servicescore.settings import Settings
from servicescore.snapshot import refresh_snapshot
from servicescore.snapshot.store import place, read_manifest

# Bump when the rendering code changes what a PDF holds for the same inputs (stale cache entries then miss).
RENDER_VERSION = "1"


@lru_cache(maxsize=512)
def _file_digest(path: Path, size: int, mtime_ns: int) -> str:
    """A file's content digest, computed once per (path, size, mtime): fonts are read once per process."""
    del size, mtime_ns  # part of the memo key only
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files_digest(files: Iterable[Path]) -> str:
    """One digest of several files' names and contents (a missing file counts as missing, not as an error)."""
    digest = hashlib.sha256()
    for path in sorted(files):
        stat = path.stat() if path.is_file() else None
        content = _file_digest(path, stat.st_size, stat.st_mtime_ns) if stat else "missing"
        digest.update(f"{path}\0{content}\n".encode())
    return digest.hexdigest()


def brand_files(brand: Brand) -> list[Path]:
    return [brand.folder / "brand.yaml", brand.logo, *brand.font_files.values()]


def template_files(settings: Settings, brand: Brand) -> list[Path]:
    folders = [settings.templates_dir / "report", brand.folder / "templates"]
    return [p for folder in folders if folder.is_dir() for p in folder.iterdir() if p.is_file()]


def data_fingerprint(settings: Settings, data: ReportData) -> str:
    """The snapshot's partition fingerprints (refreshed first, so a stored answer shows) and the names a report
    prints, as one digest."""
    refresh_snapshot(settings)
    where = place(settings)
    manifest = read_manifest(where)
    partitions = [[i, w, e.fingerprint.version, e.fingerprint.dimensions] for (i, w), e in sorted(manifest.items())]
    names = {
        "organisations": sorted(
            [o.key, o.name, o.peer_group, o.brand, hashlib.sha256((o.logo or "").encode()).hexdigest()]
            for o in data.organisations.values()
        ),
        "units": sorted([*key, name] for key, name in data.units.items()),
        "waves": sorted([k, str(a), str(b)] for k, (a, b) in data.waves.items()),
        "peer_groups": sorted(data.peer_groups.items()),
        "peer_groups_en": sorted(data.peer_groups_en.items()),
        "instruments": sorted(i.model_dump_json() for i in data.instruments.values()),
        "calibration": hashlib.sha256(data.calibration.write_csv().encode()).hexdigest(),
    }
    parts = {"database": where.database, "partitions": partitions, "names": names}
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def report_key(  # noqa: PLR0917 - the key is made of exactly these parts
    settings: Settings,
    definition_file: Path,
    brand: Brand,
    organisations: tuple[str, ...],
    wave: str,
    lang: str,
    today: date,
    data_digest: str,
    *,
    adjust_shoppers: bool = False,
) -> str:
    """The cache key of one report PDF (hex)."""
    parts = {
        "adjust_shoppers": adjust_shoppers,
        "version": RENDER_VERSION,
        "definition": files_digest([definition_file]),
        "brand": [brand.key, files_digest(brand_files(brand))],
        "templates": files_digest(template_files(settings, brand)),
        "organisations": list(organisations),
        "wave": wave,
        "lang": lang,
        "min_n": settings.min_group_size,
        "today": today.isoformat(),
        "data": data_digest,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()
