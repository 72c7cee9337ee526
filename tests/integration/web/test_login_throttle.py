"""Login throttling by client address and by account, kept in the database: password spraying from one address is
refused, and a stranger cannot lock a user out of the address they log in from (accounts/throttle.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from litestar.types import Receive, Scope, Send

from servicescore.accounts.throttle import ACCOUNT_FACTOR, ADDRESS_ATTEMPTS
from servicescore.db.tables import LoginThrottle, Session
from servicescore.identity import Role
from servicescore.settings import Settings
from tests.support.web_session import PASSWORD, Client, in_app, log_in, soup

pytestmark = pytest.mark.anyio

ADDRESS_HEADER = "x-test-address"


class FromAddress:
    """The app as seen from the address a test names in a header (the test client always says "testclient")."""

    def __init__(self, app: Litestar) -> None:
        self.app = app

    def __getattr__(self, name: str) -> Any:
        return getattr(self.app, name)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for name, value in scope["headers"]:
                if name == ADDRESS_HEADER.encode():
                    scope["client"] = (value.decode(), 50000)
        await self.app(scope, receive, send)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=FromAddress(app), base_url="http://127.0.0.1") as test_client:  # type: ignore[arg-type]
        yield test_client


def from_address(client: Client, address: str) -> None:
    client.headers[ADDRESS_HEADER] = address
    client.cookies.clear()


async def test_password_spraying_from_one_address_is_refused(client: Client, make_user) -> None:
    await make_user("konsult", Role.consultant)
    from_address(client, "203.0.113.7")
    for number in range(ADDRESS_ATTEMPTS):
        assert (await log_in(client, f"user{number}", "Sommar2026!")).status_code == 200
    refused = await log_in(client, "konsult", PASSWORD)
    assert refused.status_code == 429
    assert 14 * 60 < int(refused.headers["retry-after"]) <= 15 * 60
    assert soup(refused).find(attrs={"role": "alert"}).get_text(strip=True) == (
        "För många misslyckade inloggningar från din adress. Försök igen om 15 minuter."
    )
    assert in_app(client, Session.count().run) == 0
    from_address(client, "198.51.100.20")
    assert (await log_in(client, "konsult", PASSWORD)).status_code == 303


async def test_a_stranger_cannot_lock_a_user_out_of_their_own_address(
    client: Client, make_user, settings: Settings
) -> None:
    await make_user("konsult", Role.consultant)
    from_address(client, "203.0.113.66")
    for _ in range(settings.login_attempts + 2):
        assert (await log_in(client, "konsult", "guess")).status_code == 200
    assert (await log_in(client, "konsult", PASSWORD)).status_code == 200, "locked for the stranger's address"
    from_address(client, "192.0.2.10")
    assert (await log_in(client, "konsult", PASSWORD)).status_code == 303


async def test_guessing_spread_over_many_addresses_closes_the_account_to_new_addresses_only(
    client: Client, make_user, settings: Settings
) -> None:
    await make_user("konsult", Role.consultant)
    from_address(client, "192.0.2.10")
    assert (await log_in(client, "konsult", PASSWORD)).status_code == 303  # the user's own address
    for number in range(settings.login_attempts * ACCOUNT_FACTOR):
        from_address(client, f"203.0.113.{number}")
        assert (await log_in(client, "konsult", "guess")).status_code == 200
    from_address(client, "198.51.100.99")
    assert (await log_in(client, "konsult", PASSWORD)).status_code == 200, "a new address is refused"
    from_address(client, "192.0.2.10")
    assert (await log_in(client, "konsult", PASSWORD)).status_code == 303, "the user's address still works"


async def test_the_counters_are_shared_by_every_app_process(app: Litestar, client: Client, make_user) -> None:
    """Another app on the same database (another process behind the load balancer) sees the same blocks."""
    await make_user("konsult", Role.consultant)
    from_address(client, "203.0.113.7")
    for number in range(ADDRESS_ATTEMPTS):
        await log_in(client, f"user{number}", "guess")
    assert in_app(client, LoginThrottle.count().where(LoginThrottle.until.is_not_null()).run) == 1
    settings: Settings = app.state.settings
    other = FromAddress(type(app)(plugins=[type(app.plugins.init[0])(settings)]))
    async with AsyncTestClient(app=other, base_url="http://127.0.0.1") as second:  # type: ignore[arg-type]
        from_address(second, "203.0.113.7")
        assert (await log_in(second, "konsult", PASSWORD)).status_code == 429
