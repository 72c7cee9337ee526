"""The secret key: from the environment, else made once and kept in the database, so processes with separate data
dirs on one database agree, and an installation's key from its data dir survives the upgrade."""

from __future__ import annotations

import hashlib
import stat
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from litestar.middleware.csrf import generate_csrf_token
from litestar.testing import AsyncTestClient

from servicescore.app import create_app
from servicescore.db import secret_key
from servicescore.db.lifecycle import database
from servicescore.db.secret_key import resolve_secret_key
from servicescore.db.tables import InstallationSecret
from servicescore.results.viewer import Viewer
from servicescore.settings import Settings
from servicescore.web.csrf import CSRF_COOKIE

pytestmark = pytest.mark.anyio

OLD_KEY = "an-installations-key-from-its-data-dir-0123456789"


def new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """What another process knows of the key before it opens the database: nothing."""
    monkeypatch.setattr(secret_key, "_LOADED", {})


async def test_processes_with_separate_data_dirs_share_one_key(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Settings(data_dir=tmp_path / "first", database_url=database_url)
    second = Settings(data_dir=tmp_path / "second", database_url=database_url)
    async with database(first, apply_migrations=True):
        key = resolve_secret_key(first)
    assert len(key) >= 43
    new_process(monkeypatch)
    async with database(second, apply_migrations=True):
        assert resolve_secret_key(second) == key
        assert await InstallationSecret.count().run() == 1
    # A process that never opened the database (a spawned report worker) reads the same key.
    new_process(monkeypatch)
    assert resolve_secret_key(Settings(data_dir=tmp_path / "third", database_url=database_url)) == key
    assert not (tmp_path / "first" / "secret_key").exists()
    assert not (tmp_path / "second" / "secret_key").exists()


async def test_the_data_dirs_key_of_an_installation_from_before_is_adopted(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    upgraded = Settings(data_dir=tmp_path / "data", database_url=database_url)
    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / "data" / "secret_key").write_text(OLD_KEY + "\n", encoding="utf-8")
    async with database(upgraded, apply_migrations=True):
        assert resolve_secret_key(upgraded) == OLD_KEY
        # Client pseudonyms are derived as before the upgrade, so an export's pseudonyms do not change.
        pseudonyms = Viewer.of(upgraded, None).pseudonym_key
        assert pseudonyms == hashlib.sha256(b"servicescore export pseudonyms\0" + OLD_KEY.encode()).digest()
    # Another machine, whose data dir is empty or holds another key, gets the stored one: the first writer won.
    new_process(monkeypatch)
    other = Settings(data_dir=tmp_path / "other", database_url=database_url)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "secret_key").write_text("x" * 64, encoding="utf-8")
    async with database(other, apply_migrations=True):
        assert resolve_secret_key(other) == OLD_KEY


async def test_a_form_opened_before_the_upgrade_is_still_accepted(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The double-submit pair a page handed out under the data dir's key is accepted after the upgrade; a pair made
    with any other key is refused (403)."""
    (tmp_path / "data").mkdir(exist_ok=True)
    (tmp_path / "data" / "secret_key").write_text(OLD_KEY, encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url)
    async with database(settings, apply_migrations=True):
        pass
    new_process(monkeypatch)
    async with AsyncTestClient(app=create_app(settings), base_url="http://127.0.0.1") as client:
        statuses = {}
        for name, key in (("old", OLD_KEY), ("other", "y" * 64)):
            token = generate_csrf_token(secret=key)
            client.cookies.set(CSRF_COOKIE, token)
            form = {"username": "nobody", "password": "wrong", "_csrf_token": token}
            statuses[name] = (await client.post("/login", data=form)).status_code
    assert statuses["other"] == 403
    assert statuses["old"] != 403


async def test_the_environment_wins_and_nothing_is_written(database_url: str, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url, secret_key="k" * 40)
    async with database(settings, apply_migrations=True):
        assert resolve_secret_key(settings) == "k" * 40
        assert await InstallationSecret.count().run() == 0
    assert not (tmp_path / "data" / "secret_key").exists()


async def test_an_unusable_key_file_is_named(database_url: str, tmp_path: Path) -> None:
    (tmp_path / "data").mkdir(exist_ok=True)
    path = tmp_path / "data" / "secret_key"
    path.write_text("short", encoding="utf-8")
    path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    with pytest.raises(secret_key.SecretKeyUnreadable, match="holds no usable key"):
        async with database(Settings(data_dir=tmp_path / "data", database_url=database_url), apply_migrations=True):
            pass


async def test_processes_storing_at_once_agree_on_the_first_writers_key(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Eight processes whose data dirs hold eight different keys of installations from before store at once on a
    database without a key: one insert wins and all eight read its key."""
    async with database(
        Settings(data_dir=tmp_path / "migrate", database_url=database_url, secret_key="e" * 40), apply_migrations=True
    ):
        pass  # migrated; a key from the environment is never stored
    processes = []
    for n in range(8):
        (tmp_path / f"p{n}").mkdir()
        (tmp_path / f"p{n}" / "secret_key").write_text(f"{n}" * 40, encoding="utf-8")
        processes.append(Settings(data_dir=tmp_path / f"p{n}", database_url=database_url))
    new_process(monkeypatch)
    start = threading.Barrier(len(processes))

    def open_and_read(settings: Settings) -> str:
        start.wait()
        return secret_key._stored_key(settings)

    with ThreadPoolExecutor(len(processes)) as pool:
        keys = list(pool.map(open_and_read, processes))
    assert len(set(keys)) == 1
    assert keys[0] in {f"{n}" * 40 for n in range(8)}
