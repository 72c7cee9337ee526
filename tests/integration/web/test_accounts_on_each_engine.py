"""The account flow on both engines: the session join, time comparisons and counters must agree on SQLite and
PostgreSQL. Database calls go through ``in_app`` so they run in the app's event loop."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from servicescore.db.tables import AuditEvent, LoginThrottle, Session, User
from servicescore.identity import Role
from tests.support.web_session import PASSWORD, Client, fetch_csrf, in_app, log_in

pytestmark = pytest.mark.anyio


@pytest.fixture
def settings_overrides(engine_settings: dict[str, object]) -> dict[str, object]:
    return engine_settings


async def test_login_lockout_logout_and_expiry(client: Client, make_user, settings) -> None:
    account = await make_user("kund", Role.client, organisation="zorngarden", display_name="Kim")
    assert account.organisation_id is not None

    for _ in range(settings.login_attempts):
        assert (await log_in(client, "kund", "wrong")).status_code == 200
    assert (await log_in(client, "kund")).status_code == 200, "locked"
    an_instant_ago = datetime.now(UTC) - timedelta(seconds=1)
    unlock = LoginThrottle.update({LoginThrottle.until: an_instant_ago}).where(LoginThrottle.until.is_not_null())
    in_app(client, unlock.run)
    response = await log_in(client, "kund", PASSWORD)
    assert response.headers["location"] == "/portal"
    assert (await client.get("/portal")).status_code == 200

    # An expired session is no session; the next login also clears expired rows away.
    a_minute_ago = datetime.now(UTC) - timedelta(minutes=1)
    in_app(client, Session.update({Session.expires_at: a_minute_ago}).where(Session.account == account.id).run)
    assert (await client.get("/portal", follow_redirects=False)).headers["location"] == "/login?next=%2Fportal"
    assert (await log_in(client, "kund")).status_code == 303
    assert in_app(client, Session.count().run) == 1

    csrf = await fetch_csrf(client, "/portal")
    assert (await client.post("/logout", data={"_csrf_token": csrf}, follow_redirects=False)).status_code == 303
    assert in_app(client, Session.count().run) == 0
    actions = in_app(client, AuditEvent.select(AuditEvent.action).order_by(AuditEvent.id).output(as_list=True).run)
    assert actions == [
        "user.created",
        *["login.failure"] * (settings.login_attempts + 1),
        "login.success",
        "login.success",
        "logout",
    ]


async def test_inactive_accounts_cannot_log_in_or_keep_sessions(client: Client, make_user) -> None:
    await make_user("shopper", Role.shopper)
    assert (await log_in(client, "shopper")).status_code == 303
    in_app(client, User.update({User.active: False}).where(User.username == "shopper").run)
    assert (await client.get("/visits", follow_redirects=False)).status_code == 303
    assert (await log_in(client, "shopper")).status_code == 200
