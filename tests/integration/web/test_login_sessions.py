"""Logging in and out: cookie flags, session rotation, server-side logout, generic failures, audit."""

from __future__ import annotations

from datetime import UTC, datetime
from http.cookies import SimpleCookie

import pytest
from argon2 import PasswordHasher

from servicescore.db.tables import AuditEvent, LoginThrottle, Session, User
from servicescore.identity import Role, token_digest
from servicescore.web.auth import SESSION_COOKIE
from tests.support.web_session import PASSWORD, Client, fetch_csrf, log_in, soup, use_session_cookie

pytestmark = pytest.mark.anyio


def session_cookie(set_cookie_headers: list[str]) -> SimpleCookie:
    for header in set_cookie_headers:
        if header.startswith(f"{SESSION_COOKIE}="):
            cookie: SimpleCookie = SimpleCookie()
            cookie.load(header)
            return cookie
    raise AssertionError(f"no {SESSION_COOKIE} cookie in {set_cookie_headers}")


async def test_login_sets_a_strict_session_cookie_and_lands_on_the_entry_point(client: Client, make_user) -> None:
    await make_user("konsult", Role.consultant, display_name="Karin Konsult")
    response = await log_in(client, "Konsult")  # usernames are case-insensitive
    assert response.status_code == 303
    assert response.headers["location"] == "/console"
    morsel = session_cookie(response.headers.get_list("set-cookie"))[SESSION_COOKIE]
    assert morsel["httponly"] is True
    assert morsel["samesite"].lower() == "lax"
    assert not morsel["secure"], "local development over http keeps the cookie usable"
    assert len(morsel.value) >= 43  # 256 random bits, base64
    # Only the digest is stored, never the token itself.
    stored = await Session.select(Session.token_sha256).output(as_list=True).run()
    assert stored == [token_digest(morsel.value)]

    page = soup(await client.get("/console"))
    assert page.h1.get_text(strip=True) == "Konsolen"
    assert page.h2.get_text(strip=True) == "Hej Karin Konsult!"
    assert await AuditEvent.count().where(AuditEvent.action == "login.success").run() == 1


@pytest.mark.parametrize(
    "settings_overrides",
    [{"secure_cookies": True}, {"allowed_hosts": ["scores.example", "127.0.0.1"]}],
    ids=["configured", "non-local-host"],
)
async def test_session_cookie_is_secure_when_configured_or_not_local(client: Client, make_user, settings) -> None:
    await make_user("konsult", Role.consultant)
    if not settings.secure_cookies:
        client.headers["host"] = "scores.example"
    response = await log_in(client, "konsult")
    assert response.status_code == 303
    assert session_cookie(response.headers.get_list("set-cookie"))[SESSION_COOKIE]["secure"] is True


async def test_login_rotates_the_session_id(client: Client, make_user) -> None:
    await make_user("konsult", Role.consultant)
    await make_user("shopper", Role.shopper)
    use_session_cookie(client, "planted-by-an-attacker")
    first = await log_in(client, "konsult")
    first_token = session_cookie(first.headers.get_list("set-cookie"))[SESSION_COOKIE].value
    assert first_token != "planted-by-an-attacker"

    # Logging in again (here as someone else) replaces the session: the earlier token is deleted server-side.
    second = await log_in(client, "shopper")
    second_token = session_cookie(second.headers.get_list("set-cookie"))[SESSION_COOKIE].value
    assert second_token != first_token
    assert await Session.count().run() == 1
    use_session_cookie(client, first_token)
    assert (await client.get("/console", follow_redirects=False)).headers["location"] == "/login?next=%2Fconsole"


async def test_logout_invalidates_the_session_server_side(client: Client, make_user) -> None:
    await make_user("konsult", Role.consultant)
    token = session_cookie((await log_in(client, "konsult")).headers.get_list("set-cookie"))[SESSION_COOKIE].value
    csrf = await fetch_csrf(client, "/console")
    response = await client.post("/logout", data={"_csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    assert await Session.count().run() == 0
    # A copy of the old cookie is worth nothing now.
    use_session_cookie(client, token)
    response = await client.get("/console", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")
    assert await AuditEvent.count().where(AuditEvent.action == "logout").run() == 1


async def test_wrong_password_unknown_user_and_locked_account_answer_alike(client: Client, make_user, settings) -> None:
    await make_user("konsult", Role.consultant)
    messages = []
    for username, password in [("konsult", "wrong password"), ("nobody", PASSWORD)]:
        response = await log_in(client, username, password)
        assert response.status_code == 200
        assert SESSION_COOKIE not in response.headers.get("set-cookie", "")
        alert = soup(response).find(attrs={"role": "alert"})
        messages.append(alert.get_text(strip=True))
    assert messages[0] == messages[1]
    assert messages[0] == (
        "Fel användarnamn eller lösenord, eller så är kontot låst i 15 minuter efter för många försök."
    )
    # The typed username is kept in the form, the password never is.
    page = soup(await log_in(client, "konsult", "wrong again"))
    assert page.find("input", attrs={"name": "username"})["value"] == "konsult"
    assert page.find("input", attrs={"name": "password"}).get("value") is None
    failures = await AuditEvent.select(AuditEvent.detail).where(AuditEvent.action == "login.failure").run()
    assert len(failures) == 3


async def test_lockout_after_n_failures_and_unlock_after_the_time(client: Client, make_user, settings) -> None:
    await make_user("konsult", Role.consultant)
    for _ in range(settings.login_attempts):
        assert (await log_in(client, "konsult", "guess")).status_code == 200
    (lock,) = await LoginThrottle.select(LoginThrottle.until, LoginThrottle.failures).where(
        LoginThrottle.until.is_not_null()
    )
    assert 14 * 60 < (lock["until"] - datetime.now(UTC)).total_seconds() <= 15 * 60
    assert lock["failures"] == 0, "the count restarts once the lock is set"
    # The right password does not help while locked, and the answer is the same generic one.
    response = await log_in(client, "konsult", PASSWORD)
    assert response.status_code == 200
    assert "15 minuter" in soup(response).find(attrs={"role": "alert"}).get_text()
    assert await Session.count().run() == 0

    # Fifteen minutes later (moved by editing the lock): the account opens, and the counters reset.
    await LoginThrottle.raw("UPDATE login_throttle SET until = '2000-01-01T00:00:00+00:00' WHERE until IS NOT NULL")
    response = await log_in(client, "konsult", PASSWORD)
    assert response.status_code == 303


async def test_failures_below_the_limit_do_not_lock(client: Client, make_user, settings) -> None:
    await make_user("konsult", Role.consultant)
    for _ in range(settings.login_attempts - 1):
        await log_in(client, "konsult", "guess")
    assert (await log_in(client, "konsult")).status_code == 303


async def test_post_without_csrf_token_is_refused(client: Client, make_user) -> None:
    await make_user("konsult", Role.consultant)
    await client.get("/login")  # the CSRF cookie alone is not enough
    response = await client.post("/login", data={"username": "konsult", "password": PASSWORD}, follow_redirects=False)
    assert response.status_code == 403
    assert soup(response).h1.get_text(strip=True) == "Formuläret har gått ut"
    assert await Session.count().run() == 0
    response = await client.post("/login", data={"username": "konsult", "password": PASSWORD, "_csrf_token": "x" * 64})
    assert response.status_code == 403


async def test_logout_needs_a_csrf_token(client: Client, make_user) -> None:
    await make_user("konsult", Role.consultant)
    await log_in(client, "konsult")
    response = await client.post("/logout", data={}, follow_redirects=False)
    assert response.status_code == 403
    assert await Session.count().run() == 1


async def test_a_rehash_happens_when_parameters_changed(client: Client, make_user) -> None:
    account = await make_user("konsult", Role.consultant)
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    await User.update({User.password_hash: weak}).where(User.id == account.id).run()
    assert (await log_in(client, "konsult")).status_code == 303
    (stored,) = await User.select(User.password_hash).output(as_list=True).run()
    assert stored != weak
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
