"""The console's and the portal's answer downloads of the demo world, streamed from the snapshot stored in export
order through the writer of `servicescore export answers`: the same bytes as the command (and as the downloads
gave before they streamed), a client viewer's file as thinned as before, batches of bounded size on the way, and
an error either before the first byte (a page) or breaking the transfer off (never a file that looks whole)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import polars as pl
import pytest
from bs4 import BeautifulSoup
from litestar.exceptions import LitestarException
from pydantic import SecretStr

from servicescore.identity import Role
from servicescore.interchange.writing import answer_chunks
from servicescore.settings import Settings
from servicescore.snapshot import refresh, store
from servicescore.web.exports import downloads
from tests.integration.conftest import MakeUser
from tests.support.batch_sizes import BatchSizes
from tests.support.cli_runs import invoke
from tests.support.demo_world import DATABASE, copy_demo_world
from tests.support.export_world import Client, log_in

pytestmark = pytest.mark.anyio

CONSOLE = "/console/exports/answers?instrument=visitor-survey"
PORTAL = "/portal/exports/answers?instrument=visitor-survey"
VISITOR_ANSWERS = 40_984
# Digests of the downloads before they streamed (each read whole, sorted in memory, written slice by slice).
BEFORE_SHA256 = {
    "&format=csv": "be1d29af7e71aa08639bbed5713adde448f42d5c19bcfbf8c6afa12adc5355ca",
    "&format=csv&wave=2026-Q2": "34010433501e9bcd57fba5a5f623ba86c058623b303ea161fff2fc88386e83d1",
    "&format=csv&organisation=1": "292ad3f2cca001da8a51f2dafc3edc3f8ceab39578d8b61f354b28f327885e98",
}
CLIENT_CSV_BEFORE_SHA256 = "ffab018dd7f28fffbfb42d769e05ae4bbc0175d09642d1c1576d9dbdf3d8996f"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def settings(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, isolated_environment: None) -> Settings:
    """The demo world, with a fixed secret key so that a client's pseudonyms are the same on every run."""
    folder = copy_demo_world(tmp_path_factory, tmp_path / "data")
    return Settings(
        data_dir=folder, database_url=f"sqlite:///{folder / DATABASE}", secret_key=SecretStr("streamed-downloads" * 3)
    )


@pytest.fixture
async def users(client: Client, make_user: MakeUser) -> None:
    await make_user("konsult", Role.consultant)
    await make_user("kund", Role.client, organisation="zorngarden")


async def _command(tmp_path: Path, file_format: str, *options: str) -> bytes:
    output = tmp_path / f"command-{len(options)}.{file_format}"
    result = await invoke("export", "answers", "--instrument", "visitor-survey", *options, "-o", str(output))
    assert result.exit_code == 0, result.output
    return output.read_bytes()


async def test_a_consultants_download_is_the_commands_file(client: Client, users: None, tmp_path: Path) -> None:
    await log_in(client, "konsult")
    downloaded = {}
    for query, digest in BEFORE_SHA256.items():
        response = await client.get(CONSOLE + query)
        assert response.status_code == 200, response.text[:400]
        assert _sha256(response.content) == digest, query
        downloaded[query] = response.content
    assert downloaded["&format=csv"] == await _command(tmp_path, "csv")
    assert downloaded["&format=csv&wave=2026-Q2"] == await _command(tmp_path, "csv", "--wave", "2026-Q2")
    parquet = await client.get(CONSOLE + "&format=parquet")
    assert parquet.content == await _command(tmp_path, "parquet")
    assert pl.read_parquet(io.BytesIO(parquet.content)).height == VISITOR_ANSWERS


async def test_a_client_viewers_download_is_thinned_as_before(client: Client, users: None) -> None:
    await log_in(client, "konsult")
    stored = set(pl.read_csv(io.BytesIO((await client.get(CONSOLE)).content)).get_column("response_id"))
    await log_in(client, "kund")
    response = await client.get(PORTAL + "&format=csv")
    assert response.status_code == 200
    assert _sha256(response.content) == CLIENT_CSV_BEFORE_SHA256
    frame = pl.read_csv(io.BytesIO(response.content), infer_schema=False)
    assert set(frame.get_column("organisation")) == {"zorngarden"}
    assert not stored & set(frame.get_column("response_id"))
    assert frame.get_column("submitted_at").str.contains(r"^\d{4}-\d\d-\d\d$").all()
    parquet = pl.read_parquet(io.BytesIO((await client.get(PORTAL + "&format=parquet")).content))
    assert parquet.schema["submitted_at"] == pl.Date
    assert (
        parquet.with_columns(pl.all().cast(pl.String))
        .select(frame.columns)
        .equals(frame.with_columns(pl.col("value").cast(pl.Float64).cast(pl.String), pl.col("na").str.to_lowercase()))
    )


async def test_the_download_reaches_the_writer_in_bounded_batches(
    client: Client, users: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files read 1,000 rows at a time reach the writer as batches of at most that (each partition of the freshly
    built demo snapshot is one file), one part per wave, never an instrument's answers whole."""
    monkeypatch.setattr(store, "READ_BATCH", 1000)
    sizes = BatchSizes()

    def spy(parts: Iterable[Iterable[pl.DataFrame]], file_format: str, columns: Sequence[str]) -> Iterator[bytes]:
        return answer_chunks((sizes.counted(part) for part in parts), file_format, columns)

    monkeypatch.setattr(downloads, "answer_chunks", spy)
    await log_in(client, "konsult")
    response = await client.get(CONSOLE + "&format=csv")
    assert _sha256(response.content) == BEFORE_SHA256["&format=csv"]
    assert sum(sum(part) for part in sizes) == VISITOR_ANSWERS
    assert len(sizes) == 4  # waves
    assert max(size for part in sizes for size in part) <= 1000


def _failing(after: int, error: Exception) -> object:
    """A stand-in for the snapshot's ordered read that yields `after` batches of the real one, then fails."""
    real = refresh.ordered_answers

    def read(where: store.Place, key: tuple[str, str], keep: pl.Expr | None = None) -> Iterator[pl.DataFrame]:
        for number, batch in enumerate(real(where, key, keep)):
            if number == after:
                raise error
            yield batch

    return read


async def test_an_error_before_the_first_byte_is_a_page(
    client: Client, users: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    await log_in(client, "konsult")
    monkeypatch.setattr(refresh, "ordered_answers", _failing(0, OSError("the disk went away")))
    response = await client.get(CONSOLE + "&format=csv")
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert BeautifulSoup(response.text, "html.parser").find("h1") is not None


def _raised(error: BaseException) -> list[BaseException]:
    """What the app raised, out of the middlewares' wrappers and the streaming response's task group."""
    while error.__cause__ is not None:
        error = error.__cause__
    return list(error.exceptions) if isinstance(error, BaseExceptionGroup) else [error]


async def test_an_error_after_the_first_byte_breaks_the_download_off(
    client: Client, users: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ValueError (as pyarrow raises) half-way must not end the body as if the file were whole: the transfer
    breaks off (the test client raises what the server raised after the response started)."""
    monkeypatch.setattr(store, "READ_BATCH", 1000)
    await log_in(client, "konsult")
    monkeypatch.setattr(refresh, "ordered_answers", _failing(3, ValueError("a broken row group")))
    with pytest.raises(LitestarException, match="after response started") as broken:
        await client.get(CONSOLE + "&format=csv")
    assert [str(error) for error in _raised(broken.value)] == ["a broken row group"]
