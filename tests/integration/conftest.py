"""An application around a temporary SQLite database, an HTTP client for it, and helpers to log in.

``client`` starts the app on a copy of a database migrated once per test session (so a test does not pay for the
migrations); create accounts with ``make_user`` after it.
"""

from __future__ import annotations

import secrets
import shutil
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import asyncpg
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from piccolo.apps.migrations.tables import Migration

from servicescore.accounts import passwords
from servicescore.accounts.users import create_account
from servicescore.app import create_app
from servicescore.db import piccolo_conf
from servicescore.db.engine import sqlite_path
from servicescore.db.lifecycle import database
from servicescore.db.tables import TABLES, Organisation
from servicescore.identity import Account, Role
from servicescore.settings import Settings
from tests.support.postgres import POSTGRES_URL, run_apart, scratch_database, url_of
from tests.support.remembered_passwords import HASHER

BASE_URL = "http://127.0.0.1"
PASSWORD = "correct horse battery"  # the same in tests/support/web_session.py

Client = AsyncTestClient[Litestar]
MakeUser = Callable[..., Awaitable[Account]]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(autouse=True)
def remembered_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each password hashed and verified once per process with the real argon2id parameters (see
    tests/support/remembered_passwords.py): 0.25 s of CPU per account and per login otherwise."""
    monkeypatch.setattr(passwords, "_hasher", HASHER)


@pytest.fixture
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Commands and settings read inside a test use the test's data dir, never a developer's or CI's database."""
    monkeypatch.delenv("SERVICESCORE_DATABASE_URL", raising=False)
    monkeypatch.delenv("SERVICESCORE_SECRET_KEY", raising=False)
    monkeypatch.delenv("SERVICESCORE_QUEUE_URL", raising=False)
    monkeypatch.setenv("SERVICESCORE_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    """Override in a test module (or parametrize) to change settings for that module's app."""
    return {}


@pytest.fixture
def settings(tmp_path: Path, settings_overrides: dict[str, object], isolated_environment: None) -> Settings:
    values: dict[str, object] = {
        "data_dir": tmp_path / "data",
        "database_url": f"sqlite:///{tmp_path / 'data' / 'servicescore.sqlite3'}",
        "login_attempts": 3,
        "login_lockout_minutes": 15,
    }
    return Settings(**{**values, **settings_overrides})  # type: ignore[arg-type]


def _migrate(settings: Settings) -> None:
    """Apply every migration to the settings' database. Opening a database binds Piccolo's configuration and every
    table to it: put them back afterwards."""
    tables = (*TABLES, Migration)
    bound, configured = [table._meta.db for table in tables], piccolo_conf.DB

    async def migrate() -> None:
        async with database(settings, apply_migrations=True):
            pass

    run_apart(migrate())
    piccolo_conf.DB = configured
    for table, engine in zip(tables, bound, strict=True):
        table._meta.db = engine


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite database with every migration applied, made once per test session (per xdist worker)."""
    folder = tmp_path_factory.mktemp("migrated")
    _migrate(Settings(data_dir=folder, database_url=f"sqlite:///{folder / 'template.sqlite3'}"))
    with sqlite3.connect(folder / "template.sqlite3") as template:
        template.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the one file that is copied
    return folder / "template.sqlite3"


@pytest.fixture
def app(settings: Settings, migrated_sqlite: Path) -> Litestar:
    """The app; on SQLite its empty database is a copy of ``migrated_sqlite``, so starting it migrates nothing."""
    if settings.is_sqlite and not (path := sqlite_path(settings.database)).exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(migrated_sqlite, path)
    return create_app(settings)


@pytest.fixture
async def client(app: Litestar, settings: Settings) -> AsyncIterator[Client]:
    # Secure cookies travel only over https, so a test of them talks https.
    base_url = BASE_URL.replace("http:", "https:") if settings.secure_cookies else BASE_URL
    async with AsyncTestClient(app=app, base_url=base_url) as test_client:
        yield test_client


@pytest.fixture
def make_user(client: Client) -> MakeUser:
    """``await make_user("kund", Role.client, organisation="zorngarden")``; the organisation is made if missing."""

    async def create(username: str, role: Role, organisation: str | None, options: dict[str, str]) -> Account:
        if organisation and not await Organisation.exists().where(Organisation.slug == organisation).run():
            await Organisation.insert(Organisation(slug=organisation, name=organisation.title())).run()
        return await create_account(username, PASSWORD, role, organisation=organisation, **options)

    async def make(username: str, role: Role, *, organisation: str | None = None, **options: str) -> Account:
        # In the app's event loop: PostgreSQL pool connections belong to it (see web_session.in_app).
        return client.blocking_portal.call(create, username, role, organisation, options)

    return make


# Read before ``isolated_environment`` hides it from the code under test.


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, requires: Callable[..., None]
) -> AsyncIterator[str]:
    """An empty database of each engine: the SQLite file in the test's data dir, or a fresh database on the
    PostgreSQL server of SERVICESCORE_DATABASE_URL, dropped afterwards (skipped locally without one, failed in CI)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'data' / 'servicescore.sqlite3'}"
        return
    requires("PostgreSQL (SERVICESCORE_DATABASE_URL=postgresql://…)", available=POSTGRES_URL.startswith("postgres"))
    name = f"servicescore_test_{secrets.token_hex(6)}"
    admin = await asyncpg.connect(POSTGRES_URL)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield url_of(name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture
async def engine_settings(database_url: str, request: pytest.FixtureRequest) -> dict[str, object]:
    """Use as ``settings_overrides`` to run a module on SQLite and on a fresh, migrated PostgreSQL database."""
    if database_url.startswith("sqlite:"):
        return {}
    # The empty database becomes a copy of a migrated one (0.3 s instead of 1.1 s for the migrations).
    template, name = request.getfixturevalue("migrated_postgres"), database_url.rsplit("/", 1)[1]
    admin = await asyncpg.connect(POSTGRES_URL)
    try:
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    finally:
        await admin.close()
    return {"database_url": database_url}


@pytest.fixture(scope="session")
def migrated_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The name of a database with every migration applied on the PostgreSQL server of SERVICESCORE_DATABASE_URL,
    made once per test session (per xdist worker) when a test first needs it, dropped at the end."""
    with scratch_database("servicescore_template") as name:
        _migrate(Settings(data_dir=tmp_path_factory.mktemp("migrated-postgres"), database_url=url_of(name)))
        yield name


@pytest.fixture
def postgres_url(requires: Callable[..., None]) -> Iterator[str]:
    """A new, empty PostgreSQL database of its own (dropped afterwards), for tests that need PostgreSQL itself."""
    requires("PostgreSQL (SERVICESCORE_DATABASE_URL=postgresql://…)", available=POSTGRES_URL.startswith("postgres"))
    with scratch_database("servicescore_test") as name:
        yield url_of(name)
