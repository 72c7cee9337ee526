"""Mail tests run on SQLite and on a fresh PostgreSQL database (SERVICESCORE_DATABASE_URL; skipped locally
without it, failed in CI)."""

from __future__ import annotations

import pytest

from tests.support.mail_world import Client, MailWorld, make_mail_world


@pytest.fixture
def settings_overrides(engine_settings: dict[str, object]) -> dict[str, object]:
    return engine_settings


@pytest.fixture
def world(client: Client) -> MailWorld:
    return client.blocking_portal.call(make_mail_world)
