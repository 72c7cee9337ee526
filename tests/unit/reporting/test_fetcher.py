"""The report's URL fetcher serves files under the allowed folders and data: URLs, and refuses everything else."""

from __future__ import annotations

from pathlib import Path

import pytest

from servicescore.reporting.fetcher import RefusedURL, SafeFetcher


@pytest.fixture
def folders(tmp_path: Path) -> tuple[SafeFetcher, Path, Path]:
    allowed = tmp_path / "brands"
    allowed.mkdir()
    (allowed / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    outside = tmp_path / "secret.txt"
    outside.write_text("password")
    return SafeFetcher([allowed]), allowed, outside


def test_serves_a_file_inside_an_allowed_folder(folders: tuple[SafeFetcher, Path, Path]) -> None:
    fetcher, allowed, _ = folders
    response = fetcher.fetch((allowed / "logo.svg").as_uri())
    assert response.read().startswith(b"<svg")
    assert response.content_type == "image/svg+xml"
    assert fetcher.refused == []


def test_serves_data_urls(folders: tuple[SafeFetcher, Path, Path]) -> None:
    fetcher, _, _ = folders
    assert fetcher.fetch("data:text/plain;base64,aGVq").read() == b"hej"


@pytest.mark.parametrize(
    "url",
    [
        "http://example.invalid/tracker.png",
        "https://example.invalid/style.css",
        "ftp://example.invalid/file",
        "file://otherhost/etc/passwd",
        "file:///etc/passwd",
    ],
)
def test_refuses_the_network_and_other_files(folders: tuple[SafeFetcher, Path, Path], url: str) -> None:
    fetcher, _, _ = folders
    with pytest.raises(ValueError, match=r"refused|disallowed"):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_refuses_a_file_outside_and_a_path_that_climbs_out(folders: tuple[SafeFetcher, Path, Path]) -> None:
    fetcher, allowed, outside = folders
    with pytest.raises(RefusedURL):
        fetcher.fetch(outside.as_uri())
    with pytest.raises(RefusedURL):
        fetcher.fetch(allowed.as_uri() + "/../secret.txt")
    assert len(fetcher.refused) == 2


def test_refuses_a_symlink_that_escapes(folders: tuple[SafeFetcher, Path, Path]) -> None:
    fetcher, allowed, outside = folders
    (allowed / "innocent.svg").symlink_to(outside)
    with pytest.raises(RefusedURL, match="outside"):
        fetcher.fetch((allowed / "innocent.svg").as_uri())
