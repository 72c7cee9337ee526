"""Personal API tokens: the page (create once-shown, list, revoke, CSRF), bearer authentication under /api/ only,
and CSRF exactly where cookies are involved."""

from __future__ import annotations

import hashlib
import re

import pytest
from bs4 import BeautifulSoup

from servicescore.db.tables import ApiToken, User
from tests.support.api_calls import Client, bearer, csrf_field, in_app, log_in, token_for
from tests.support.api_world import ApiWorld


async def stored_tokens() -> list[dict[str, object]]:
    return await ApiToken.select(
        ApiToken._meta.primary_key.as_alias("id"), ApiToken.name, ApiToken.token_sha256, ApiToken.last_used_at,
        ApiToken.revoked_at,
    ).run()  # fmt: skip


pytestmark = pytest.mark.anyio


async def create_on_page(client: Client, name: str) -> tuple[int, str]:
    page = await client.get("/account/tokens")
    answer = await client.post("/account/tokens", data={"name": name, "_csrf_token": csrf_field(page.text)})
    shown = BeautifulSoup(answer.text, "html.parser").find(id="new-token")
    return answer.status_code, shown.get_text() if shown else ""


async def test_a_token_is_shown_once_stored_as_its_digest_and_works_until_revoked(
    client: Client, world: ApiWorld
) -> None:
    await log_in(client, "konsult")
    status, token = await create_on_page(client, "  Power BI  ")
    assert status == 201
    assert re.fullmatch(r"sst_[A-Za-z0-9_-]{43}", token)  # 32 bytes from secrets: 256 bits
    (row,) = await in_app(client, stored_tokens)
    assert (row["name"], row["token_sha256"]) == ("Power BI", hashlib.sha256(token.encode()).hexdigest())
    assert row["last_used_at"] is None
    listing = await client.get("/account/tokens")
    assert token not in listing.text  # never shown again
    assert "Power BI" in listing.text
    client.cookies.clear()  # the integration has no session, only the token

    answer = await client.get("/api/v1/organisations", headers=bearer(token))
    assert answer.status_code == 200
    assert len(answer.json()) == 6
    (used,) = await in_app(client, stored_tokens)
    assert used["last_used_at"] is not None

    await log_in(client, "konsult")
    page = await client.get("/account/tokens")
    token_id = BeautifulSoup(page.text, "html.parser").find("tr", attrs={"data-token": True})["data-token"]
    revoked = await client.post(
        f"/account/tokens/{token_id}/revoke", data={"_csrf_token": csrf_field(page.text)}, follow_redirects=False
    )
    assert revoked.status_code == 303
    client.cookies.clear()
    refused = await client.get("/api/v1/organisations", headers=bearer(token))
    assert refused.status_code == 401
    assert refused.json()["detail"] == "unknown or revoked API token"
    assert refused.headers["www-authenticate"].startswith("Bearer")


async def test_the_name_field_is_a_text_field_as_every_forms(client: Client, world: ApiWorld) -> None:
    # Without a type it missed the text fields' style: a 21 px high box beside 44 px fields everywhere else.
    await log_in(client, "konsult")
    field = BeautifulSoup((await client.get("/account/tokens")).text, "html.parser").find(id="token-name")
    assert field is not None
    assert field.get("type") == "text"


async def test_unknown_token_is_401_json_even_with_a_valid_session(client: Client, world: ApiWorld) -> None:
    await log_in(client, "konsult")
    answer = await client.get("/api/v1/organisations", headers=bearer("sst_" + "x" * 43))
    assert answer.status_code == 401
    assert answer.json() == {"status_code": 401, "detail": "unknown or revoked API token", "errors": []}
    assert (await client.get("/api/v1/organisations", headers=bearer(""))).status_code == 401
    assert (await client.get("/api/v1/organisations", headers=bearer("y" * 500))).status_code == 401


async def test_without_credentials_the_api_answers_401_json(client: Client, world: ApiWorld) -> None:
    answer = await client.get("/api/v1/organisations")
    assert answer.status_code == 401
    assert answer.headers["content-type"].startswith("application/json")


async def test_a_bearer_header_is_ignored_outside_the_api(client: Client, world: ApiWorld) -> None:
    token = await token_for(client, "konsult")
    page = await client.get("/account/tokens", headers=bearer(token), follow_redirects=False)
    assert page.status_code == 303  # to the login page: the token is no session
    assert page.headers["location"].startswith("/login")
    # An unsafe request outside /api/ still needs CSRF, bearer header or not.
    posted = await client.post("/account/tokens", data={"name": "x"}, headers=bearer(token), follow_redirects=False)
    assert posted.status_code == 403
    assert len(await in_app(client, stored_tokens)) == 1


async def test_token_page_create_needs_csrf_and_a_name(client: Client, world: ApiWorld) -> None:
    await log_in(client, "kund")
    without = await client.post("/account/tokens", data={"name": "Excel"})
    assert without.status_code == 403
    page = await client.get("/account/tokens")
    nameless = await client.post("/account/tokens", data={"name": "   ", "_csrf_token": csrf_field(page.text)})
    assert nameless.status_code == 400
    assert "Ge nyckeln ett namn." in nameless.text
    assert await in_app(client, stored_tokens) == []


async def test_shoppers_have_no_tokens_page_and_no_results_api(client: Client, world: ApiWorld) -> None:
    await log_in(client, "shopper")
    assert (await client.get("/account/tokens")).status_code == 403
    answer = await client.get("/api/v1/organisations")
    assert answer.status_code == 403
    assert answer.json()["status_code"] == 403


async def test_another_accounts_token_cannot_be_revoked(client: Client, world: ApiWorld) -> None:
    await token_for(client, "konsult")
    (row,) = await in_app(client, stored_tokens)
    await log_in(client, "kund")
    page = await client.get("/account/tokens")
    answer = await client.post(f"/account/tokens/{row['id']}/revoke", data={"_csrf_token": csrf_field(page.text)})
    assert answer.status_code == 404
    assert [token["revoked_at"] for token in await in_app(client, stored_tokens)] == [None]


async def test_bearer_unsafe_requests_skip_csrf_but_sessions_do_not(client: Client, world: ApiWorld) -> None:
    """A bearer PUT reaches the handler's own checks without any CSRF token (here: the visit sync's shopper-only
    guard refuses a consultant with 403 for the role, not for CSRF); a session PUT without the CSRF header is
    refused by the CSRF check before anything else."""
    token = await token_for(client, "konsult")
    visit = "/api/v1/visits/00000000-0000-4000-8000-000000000001"
    by_token = await client.put(visit, json={}, headers=bearer(token))
    assert by_token.status_code == 403
    assert "CSRF" not in by_token.json()["detail"]
    assert "shopper" in by_token.json()["detail"]

    csrf = await log_in(client, "shopper")
    by_session = await client.put(visit, json={})
    assert by_session.status_code == 403
    assert by_session.json()["detail"] == "CSRF token verification failed"
    with_header = await client.put(visit, json={}, headers={"x-csrftoken": csrf})
    assert with_header.status_code in {400, 422}  # past CSRF: the empty visit is refused for its content


async def test_the_openapi_document_is_served_without_a_viewer_from_other_hosts(client: Client) -> None:
    document = await client.get("/schema/openapi.json")
    assert document.status_code == 200
    assert document.json()["info"]["title"] == "ServiceScore API"
    assert (await client.get("/schema")).json() == document.json()
    assert (await client.get("/schema/swagger")).status_code == 404


async def test_a_deactivated_accounts_token_stops_working(client: Client, world: ApiWorld) -> None:
    token = await token_for(client, "kund")
    assert (await client.get("/api/v1/organisations", headers=bearer(token))).status_code == 200

    async def deactivate() -> None:
        await User.update({User.active: False}).where(User.username == "kund").run()

    await in_app(client, deactivate)
    assert (await client.get("/api/v1/organisations", headers=bearer(token))).status_code == 401
