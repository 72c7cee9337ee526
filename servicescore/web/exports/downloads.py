"""From an export to a download: the file name, the media type and the bytes as chunks made in worker threads.

Answers in CSV and Parquet are the bytes of `servicescore export answers` for the same scope, made by the same
writer (`interchange.writing.answer_chunks`) from the same ordered read, and sent as they are made: memory holds a
batch or two, however many answers. XLSX and SPSS are written to a temporary file first (removed once sent): XLSX
a batch at a time (memory: a batch and the compressor's window), SPSS from the whole table (pyreadstat writes a
wide frame: one row per response). Whatever can fail is made to fail before the first byte (`_first_made`), so
the page says what went wrong; an error after it breaks the transfer off, so a file cut short never looks whole."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import polars as pl
from anyio import to_thread

from servicescore.definitions.text import Language
from servicescore.interchange.writing import answer_chunks
from servicescore.interchange.xlsx import MAX_ROWS
from servicescore.results import FilterError
from servicescore.results.exports import AnswerExport, ExportSpec, ExportTable, Scope, check_columns
from servicescore.scoring import ANSWER_SCHEMA
from servicescore.web.exports import spss
from servicescore.web.exports.writers import (
    MEDIA_TYPES,
    csv_chunks,
    file_chunks,
    parquet_bytes,
    temporary_path,
    write_xlsx,
)

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class Download:
    filename: str
    media_type: str
    chunks: Generator[bytes, None, None]

    @property
    def disposition(self) -> str:
        # The name is plain ASCII by construction, so no filename* and no quoting problem.
        return f'attachment; filename="{self.filename}"'

    async def body(self) -> AsyncIterator[bytes]:
        """The chunks, each made in a worker thread. Litestar's own wrapper of a sync iterator would end the body
        quietly at a ValueError (pyarrow's errors are ValueErrors), sending a file cut short as if it were whole;
        here an error propagates and the server breaks the transfer off."""
        try:
            while (chunk := await to_thread.run_sync(_next_chunk, self.chunks)) is not None:
                yield chunk
        finally:
            await to_thread.run_sync(self.chunks.close)  # a download broken off leaves no writer thread or file


def _next_chunk(chunks: Iterator[bytes]) -> bytes | None:
    return next(chunks, None)


def _first_made(chunks: Iterator[bytes]) -> Generator[bytes, None, None]:
    """`chunks` with the first one made now: what fails in opening, reading or writing the first batch fails here,
    before the response starts, and is shown as a page."""
    first = next(chunks, None)
    return _sent(first, chunks)


def _sent(first: bytes | None, rest: Iterator[bytes]) -> Generator[bytes, None, None]:
    try:
        if first is not None:
            yield first
        yield from rest
    finally:
        if isinstance(rest, Generator):
            rest.close()


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
    table: ExportTable | AnswerExport,
    spec: ExportSpec,
    *,
    scope: Scope,
    language: Language,
    words: spss.Words,
    about: Sequence[tuple[str, str]],
) -> Download:
    """The download of `table` in the spec's format, its first chunk already made (blocking: call it in a thread)."""
    name, media_type = filename(spec, scope), MEDIA_TYPES[spec.file_format]
    if isinstance(table, AnswerExport):
        chunks = _answer_chunks(table, spec, language=language, words=words, about=about)
    else:
        chunks = _score_chunks(table, spec, language=language, words=words, about=about)
    return Download(name, media_type, _first_made(chunks))


def _answer_chunks(
    export: AnswerExport, spec: ExportSpec, *, language: Language, words: spss.Words, about: Sequence[tuple[str, str]]
) -> Iterator[bytes]:
    if spec.file_format in {"csv", "parquet"}:
        return answer_chunks(export.parts(), spec.file_format, export.columns)
    if spec.file_format == "xlsx":
        if export.rows >= MAX_ROWS:
            raise FilterError("xlsx_rows", rows=export.rows, limit=MAX_ROWS - 1)
        batches = (batch.select(export.columns) for part in export.parts() for batch in part)
        write = partial(write_xlsx, export.columns, batches, sheet=spec.kind, about=about)
        return file_chunks(_written(".xlsx", write))
    held = [batch for part in export.parts() for batch in part]
    frame = pl.concat(held) if held else pl.DataFrame(schema=ANSWER_SCHEMA)
    wide, labels = spss.answers_sav(frame, export.instrument, language, words)
    if spec.columns:
        wide = wide.select(check_columns(spec.columns, wide.columns))
    return _sav_chunks(wide, labels, export.instrument.title.pick(language))


def _score_chunks(
    table: ExportTable, spec: ExportSpec, *, language: Language, words: spss.Words, about: Sequence[tuple[str, str]]
) -> Iterator[bytes]:
    frame = table.frame
    if spec.file_format == "csv":
        return csv_chunks(frame)
    if spec.file_format == "parquet":
        return iter([parquet_bytes(frame)])
    if spec.file_format == "xlsx":
        if frame.height >= MAX_ROWS:
            raise FilterError("xlsx_rows", rows=frame.height, limit=MAX_ROWS - 1)
        return file_chunks(_written(".xlsx", partial(write_xlsx, frame.columns, [frame], sheet=spec.kind,
                                                     about=about)))  # fmt: skip
    wide, labels = spss.scores_sav(frame, words)
    return _sav_chunks(wide, labels, table.instrument.title.pick(language))


def _sav_chunks(wide: pl.DataFrame, labels: spss.SavLabels, title: str) -> Iterator[bytes]:
    return file_chunks(_written(".sav", partial(spss.write_sav, wide, labels, title=title)))


def _written(suffix: str, write: Callable[[Path], None]) -> Path:
    """A temporary file holding what `write` wrote; removed at once if writing fails, else once it is sent."""
    path = temporary_path(suffix)
    try:
        write(path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path
