"""`SERVICESCORE_STORAGE_URL`: the same put/get/exists/list/delete on the data dir, a file:// folder and an S3 bucket
(moto's server); a URL it cannot use is refused with the setting's name; `/healthz` checks the configured storage."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from servicescore.app import create_app
from servicescore.settings import Settings
from servicescore.storage import LocalStorage, ObjectStorage, Storage, StorageError, local_folder, open_storage

pytestmark = pytest.mark.anyio


def _exercise(storage: Storage) -> None:
    assert storage.get("logos/nothing") is None
    assert not storage.exists("logos/nothing")
    assert storage.put_once("logos/abc", b"first")
    assert not storage.put_once("logos/abc", b"second")  # content-addressed: the copy there is kept
    assert storage.get("logos/abc") == b"first"
    storage.put("surveys/a.yaml", b"id: a\n")
    storage.put("surveys/a.yaml", b"id: a # replaced\n")
    storage.put("surveys/sub/b.yaml", b"id: b\n")
    assert storage.get("surveys/a.yaml") == b"id: a # replaced\n"
    assert [(f.key, f.size) for f in storage.list("surveys")] == [("surveys/a.yaml", 17), ("surveys/sub/b.yaml", 6)]
    assert storage.list("nothing") == []
    storage.delete("surveys/sub/b.yaml")
    storage.delete("surveys/sub/b.yaml")  # a second delete is no error: another process may have been first
    assert [f.key for f in storage.list("surveys")] == ["surveys/a.yaml"]
    for key in ("../outside", "/etc/passwd", "logos//x", "logos/./x", ""):
        with pytest.raises(StorageError, match="not a storage key"):
            storage.get(key)


def test_the_data_dir_and_a_file_url_keep_files_where_they_were(tmp_path: Path) -> None:
    storage = open_storage("", tmp_path / "data")
    assert isinstance(storage, LocalStorage)
    _exercise(storage)
    assert (tmp_path / "data" / "logos" / "abc").read_bytes() == b"first"  # the data dir's layout, as before
    assert not [p for p in (tmp_path / "data").rglob(".*") if p.is_file()]  # no temporary file left
    elsewhere = open_storage(f"file://{tmp_path / 'shared'}", tmp_path / "data")
    elsewhere.put("logos/x", b"x")
    assert (tmp_path / "shared" / "logos" / "x").read_bytes() == b"x"
    assert local_folder(elsewhere, "logos", tmp_path / "copy") == tmp_path / "shared" / "logos"


def test_a_bucket_keeps_them_for_every_process(storage_url: str, tmp_path: Path) -> None:
    storage = open_storage(storage_url, tmp_path / "data")
    assert isinstance(storage, ObjectStorage)
    _exercise(storage)
    assert not (tmp_path / "data").exists()
    assert storage.table_uri("snapshot/answers") == f"{storage_url}/snapshot/answers"
    assert storage.table_options()["AWS_ALLOW_HTTP"] == "true"

    # Readers that take a folder get this machine's copy, brought up to date each time.
    copy = tmp_path / "copy"
    assert local_folder(storage, "surveys", copy) == copy
    assert sorted(p.name for p in copy.iterdir()) == ["a.yaml"]
    storage.put("surveys/c.yaml", b"id: c\n")
    storage.delete("surveys/a.yaml")
    local_folder(storage, "surveys", copy)
    assert {p.name: p.read_bytes() for p in copy.iterdir()} == {"c.yaml": b"id: c\n"}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://host/folder", "use s3://bucket/prefix or file:///abs/path"),
        ("file://relative/path", "a file URL names an absolute path"),
        ("s3://", "use s3://bucket/prefix"),
    ],
)
def test_a_url_it_cannot_use_is_named(url: str, message: str, tmp_path: Path) -> None:
    with pytest.raises(StorageError, match=f"SERVICESCORE_STORAGE_URL='{url}': {message}"):
        open_storage(url, tmp_path)


async def test_healthz_checks_the_bucket_not_the_data_dir(
    storage_url: str, tmp_path: Path, isolated_environment: None
) -> None:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    for url, expected in ((storage_url, "ok"), (storage_url.replace("s3://", "s3://missing-"), "down")):
        settings = Settings(
            data_dir=tmp_path / "a-file" / "data",  # takes no file: the bucket is what is checked
            database_url=f"sqlite:///{tmp_path / 'db' / 'servicescore.sqlite3'}",
            queue_url=f"sqlite:///{tmp_path / 'queue' / 'queue.sqlite3'}",
            storage_url=url,
        )
        async with AsyncTestClient(app=create_app(settings), base_url="http://127.0.0.1") as client:
            answer = (await client.get("/healthz")).json()
        assert answer["storage"] == expected, answer
        assert os.environ["AWS_ENDPOINT_URL"] not in str(answer)
