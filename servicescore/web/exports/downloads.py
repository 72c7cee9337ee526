"""From a finished `ExportTable` to a download: the file name, the media type and the bytes as an iterator."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from servicescore.definitions.text import Language
from servicescore.results import FilterError
from servicescore.results.exports import ExportSpec, ExportTable, Scope, check_columns
from servicescore.web.exports import spss
from servicescore.web.exports.writers import (
    MEDIA_TYPES,
    csv_chunks,
    file_chunks,
    parquet_bytes,
    temporary_path,
    write_xlsx,
)
from servicescore.web.exports.xlsx import MAX_ROWS

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Download:
    filename: str
    media_type: str
    chunks: Iterator[bytes]

    @property
    def disposition(self) -> str:
        # The name is plain ASCII by construction, so no filename* and no quoting problem.
        return f'attachment; filename="{self.filename}"'


def filename(spec: ExportSpec, scope: Scope) -> str:
    """`servicescore-answers-guided-tour-zorngarden-2026-Q1.csv`: slugs and keys only, reduced to [A-Za-z0-9._-]."""
    parts = ["servicescore", spec.kind, spec.instrument]
    if scope.organisation is not None:
        parts.append(scope.organisation.slug)
    if scope.unit is not None:
        parts.append(scope.unit.slug)
    parts.extend(spec.waves[:3])
    stem = "-".join(_UNSAFE.sub("_", part).strip("._-") for part in parts if part)
    return f"{stem[:150]}.{spec.file_format}"


def download(
    table: ExportTable,
    spec: ExportSpec,
    *,
    scope: Scope,
    language: Language,
    words: spss.Words,
    about: Sequence[tuple[str, str]],
) -> Download:
    """Write `table` in the spec's format. CSV streams from the table; the others are written (XLSX and SPSS to a
    temporary file that is removed once sent) before the first byte goes out."""
    name, media_type, frame = filename(spec, scope), MEDIA_TYPES[spec.file_format], table.frame
    if spec.file_format == "csv":
        return Download(name, media_type, csv_chunks(frame))
    if spec.file_format == "parquet":
        return Download(name, media_type, iter([parquet_bytes(frame)]))
    if spec.file_format == "xlsx":
        if frame.height >= MAX_ROWS:
            raise FilterError("xlsx_rows", rows=frame.height, limit=MAX_ROWS - 1)
        return Download(name, media_type, file_chunks(_written(".xlsx", partial(write_xlsx, frame, sheet=spec.kind,
                                                                              about=about))))  # fmt: skip
    if spec.kind == "answers":
        wide, labels = spss.answers_sav(frame, table.instrument, language, words)
    else:
        wide, labels = spss.scores_sav(frame, words)
    if spec.columns and spec.kind == "answers":
        wide = wide.select(check_columns(spec.columns, wide.columns))
    title = table.instrument.title.pick(language)
    return Download(name, media_type, file_chunks(_written(".sav", partial(spss.write_sav, wide, labels, title=title))))


def _written(suffix: str, write: Callable[[Path], None]) -> Path:
    """A temporary file holding what `write` wrote; removed at once if writing fails, else once it is sent."""
    path = temporary_path(suffix)
    try:
        write(path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path
