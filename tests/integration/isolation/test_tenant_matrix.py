"""Tenant isolation as a matrix: every route of the app × every role × (own, another tenant's, missing) object.

Each route is classified below; a route nobody classified fails the first test, so a new endpoint cannot skip
the matrix. For a role the route is not for: anonymous visitors are sent to log in (401 on the API), other roles
get 403. For a role it is for: their own object works (no 404, no 5xx), and another tenant's object answers
exactly like one that does not exist — 404 with the same heading or JSON.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from httpx import Response as HttpResponse
from litestar import Litestar

from servicescore.definitions import load_instruments
from servicescore.identity import Role
from servicescore.mail.transport import OutboxTransport, outbox_name
from servicescore.settings import Settings
from servicescore.web.auth import SESSION_COOKIE
from tests.support.demo_world import DATABASE, copy_demo_world
from tests.support.isolation_world import (
    PASSWORD,
    PHOTOS,
    PROBER,
    Client,
    Objects,
    latest_assignment,
    objects,
    seed,
    submitted_visit,
)

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The app's database starts as a copy of the demo world (tests/integration/conftest.py's ``app`` copies it)."""
    return copy_demo_world(tmp_path_factory, tmp_path_factory.mktemp("tenant-matrix")) / DATABASE


CONSULTANT, CLIENT, SHOPPER = frozenset({Role.consultant}), frozenset({Role.client}), frozenset({Role.shopper})
STAFF = frozenset(Role)


@dataclass(frozen=True)
class Route:
    """Who a route is for and how to probe it: ``target`` is the URL with ``{kind}`` where an object goes."""

    roles: frozenset[Role]
    target: str
    methods: tuple[str, ...] = ("GET",)
    kinds: tuple[str, ...] = field(default=())


# Open to everyone by design (respondent links are tokens, tested in tests/integration/respond).
PUBLIC = {
    "/",
    "/healthz",
    "/login",
    "/static/{file_path:path}",
    "/visits/sw.js",
    "/s/{token:str}",
    "/s/{token:str}/done",
    "/s/{token:str}/logo",
    "/s/{token:str}/theme.css",
    "/s/{token:str}/qr.png",
    "/s/{token:str}/qr.svg",
    "/i/{token:str}",
    "/i/{token:str}/done",
    "/i/{token:str}/logo",
    "/i/{token:str}/theme.css",
    "/o/{token:str}",  # the opt-out page of survey e-mails, its token an HMAC of the contact (tests/integration/mail)
}
SCHEMA_PREFIX = "/schema"

CLIENT_OR_CONSULTANT = frozenset({Role.consultant, Role.client})
ORGANISATION, KEY, CASE = ("organisation",), ("organisation_key",), ("case",)

ROUTES: dict[str, Route] = {
    "/logout": Route(STAFF, "/logout", ("POST",)),
    "/account/tokens": Route(CLIENT_OR_CONSULTANT, "/account/tokens", ("GET", "POST")),
    "/account/tokens/{token_id:int}/revoke": Route(
        CLIENT_OR_CONSULTANT, "/account/tokens/{token}/revoke", ("POST",), ("token",)
    ),
    # The consultant's console: every organisation is theirs, so only own and missing objects.
    "/console": Route(CONSULTANT, "/console"),
    "/console/review": Route(CONSULTANT, "/console/review"),
    "/console/review/{visit_id:uuid}": Route(CONSULTANT, "/console/review/{visit}", ("GET", "POST"), ("visit",)),
    "/console/organisations": Route(CONSULTANT, "/console/organisations", ("GET", "POST")),
    "/console/peer-groups": Route(CONSULTANT, "/console/peer-groups", ("POST",)),
    "/console/waves": Route(CONSULTANT, "/console/waves", ("POST",)),
    "/console/peer-groups/{group_id:int}": Route(
        CONSULTANT, "/console/peer-groups/{peer_group}", ("GET", "POST"), ("peer_group",)
    ),
    "/console/peer-groups/{group_id:int}/delete": Route(
        CONSULTANT, "/console/peer-groups/{peer_group}/delete", ("POST",), ("peer_group",)
    ),
    "/console/waves/{wave_id:int}": Route(CONSULTANT, "/console/waves/{wave}", ("GET", "POST"), ("wave",)),
    "/console/waves/{wave_id:int}/delete": Route(CONSULTANT, "/console/waves/{wave}/delete", ("POST",), ("wave",)),
    "/console/organisations/{organisation_id:int}": Route(
        CONSULTANT, "/console/organisations/{organisation}", ("GET", "POST"), ORGANISATION
    ),
    "/console/organisations/{organisation_id:int}/logo": Route(
        CONSULTANT, "/console/organisations/{organisation}/logo", ("GET", "POST"), ORGANISATION
    ),
    "/console/organisations/{organisation_id:int}/case-owner": Route(
        CONSULTANT, "/console/organisations/{organisation}/case-owner", ("POST",), ORGANISATION
    ),
    "/console/organisations/{organisation_id:int}/units": Route(
        CONSULTANT, "/console/organisations/{organisation}/units", ("POST",), ORGANISATION
    ),
    "/console/organisations/{organisation_id:int}/units/{unit_id:int}": Route(
        CONSULTANT, "/console/organisations/{organisation}/units/{unit}", ("GET", "POST"), ("organisation", "unit")
    ),
    "/console/collections": Route(CONSULTANT, "/console/collections", ("GET", "POST")),
    "/console/collections/new": Route(CONSULTANT, "/console/collections/new"),
    "/console/collections/{collection_id:int}": Route(
        CONSULTANT, "/console/collections/{collection}", kinds=("collection",)
    ),
    "/console/collections/{collection_id:int}/invitations": Route(
        CONSULTANT, "/console/collections/{collection}/invitations", ("POST",), ("collection",)
    ),
    "/console/collections/{collection_id:int}/qr/{unit_id:int}/svg": Route(
        CONSULTANT, "/console/collections/{qr}/svg", kinds=("qr",)
    ),
    "/console/collections/{collection_id:int}/qr/{unit_id:int}/png": Route(
        CONSULTANT, "/console/collections/{qr}/png", kinds=("qr",)
    ),
    "/console/collections/{collection_id:int}/contacts": Route(
        CONSULTANT, "/console/collections/{collection}/contacts", ("POST",), ("collection",)
    ),
    "/console/collections/{collection_id:int}/close": Route(
        CONSULTANT, "/console/collections/{collection}/close", ("POST",), ("collection",)
    ),
    "/console/assignments": Route(CONSULTANT, "/console/assignments", ("GET", "POST")),
    "/console/assignments/{assignment_id:int}": Route(
        CONSULTANT, "/console/assignments/{console_assignment}", ("GET", "POST"), ("console_assignment",)
    ),
    "/console/assignments/{assignment_id:int}/cancel": Route(
        CONSULTANT, "/console/assignments/{console_assignment}/cancel", ("POST",), ("console_assignment",)
    ),
    "/console/instruments": Route(CONSULTANT, "/console/instruments", ("GET", "POST")),
    "/console/dashboard": Route(CONSULTANT, "/console/dashboard"),
    "/console/dashboard/{organisation:str}": Route(CONSULTANT, "/console/dashboard/{organisation_key}", kinds=KEY),
    "/console/exports": Route(CONSULTANT, "/console/exports"),
    "/console/exports/answers": Route(
        CONSULTANT, "/console/exports/answers?instrument=visitor-survey&organisation={organisation}", kinds=ORGANISATION
    ),
    "/console/exports/scores": Route(
        CONSULTANT, "/console/exports/scores?instrument=visitor-survey&organisation={organisation}", kinds=ORGANISATION
    ),
    "/console/cases": Route(CONSULTANT, "/console/cases"),
    "/console/cases/{case_id:int}": Route(CONSULTANT, "/console/cases/{case}", kinds=CASE),
    "/console/cases/{case_id:int}/assign": Route(CONSULTANT, "/console/cases/{case}/assign", ("POST",), CASE),
    "/console/cases/{case_id:int}/notes": Route(CONSULTANT, "/console/cases/{case}/notes", ("POST",), CASE),
    "/console/cases/{case_id:int}/contacted": Route(CONSULTANT, "/console/cases/{case}/contacted", ("POST",), CASE),
    "/console/cases/{case_id:int}/close": Route(CONSULTANT, "/console/cases/{case}/close", ("POST",), CASE),
    "/console/reports": Route(CONSULTANT, "/console/reports"),
    "/console/reports/batch": Route(CONSULTANT, "/console/reports/batch", ("POST",)),
    "/console/jobs": Route(CONSULTANT, "/console/jobs"),
    "/console/organisations/{organisation_id:int}/jobs": Route(
        CONSULTANT, "/console/organisations/{organisation}/jobs", kinds=ORGANISATION
    ),
    "/console/outbox": Route(CONSULTANT, "/console/outbox"),
    "/console/outbox/{name:str}": Route(CONSULTANT, "/console/outbox/{outbox}", kinds=("outbox",)),
    "/console/outbox/{name:str}/eml": Route(CONSULTANT, "/console/outbox/{outbox}/eml", kinds=("outbox",)),
    "/console/reports/pdf": Route(
        CONSULTANT, "/console/reports/pdf?report=client&organisation={organisation_key}", kinds=KEY
    ),
    # The client viewer's portal: their own organisation; another's answers like a missing one.
    "/portal": Route(CLIENT, "/portal"),
    # The viewer's own colour and logo; nothing in the URL names an organisation.
    "/portal/theme.css": Route(CLIENT, "/portal/theme.css"),
    "/portal/logo": Route(CLIENT, "/portal/logo"),
    "/portal/dashboard": Route(CLIENT, "/portal/dashboard"),
    "/portal/dashboard/{organisation:str}": Route(CLIENT, "/portal/dashboard/{organisation_key}", kinds=KEY),
    "/portal/exports": Route(CLIENT, "/portal/exports"),
    "/portal/exports/answers": Route(
        CLIENT, "/portal/exports/answers?instrument=visitor-survey&organisation={organisation}", kinds=ORGANISATION
    ),
    "/portal/exports/scores": Route(
        CLIENT, "/portal/exports/scores?instrument=visitor-survey&organisation={organisation}", kinds=ORGANISATION
    ),
    "/portal/cases": Route(CLIENT, "/portal/cases"),
    "/portal/cases/{case_id:int}": Route(CLIENT, "/portal/cases/{case}", kinds=CASE),
    "/portal/cases/{case_id:int}/assign": Route(CLIENT, "/portal/cases/{case}/assign", ("POST",), CASE),
    "/portal/cases/{case_id:int}/notes": Route(CLIENT, "/portal/cases/{case}/notes", ("POST",), CASE),
    "/portal/cases/{case_id:int}/contacted": Route(CLIENT, "/portal/cases/{case}/contacted", ("POST",), CASE),
    "/portal/cases/{case_id:int}/close": Route(CLIENT, "/portal/cases/{case}/close", ("POST",), CASE),
    "/portal/reports": Route(CLIENT, "/portal/reports"),
    "/portal/reports/pdf": Route(
        CLIENT, "/portal/reports/pdf?report=client&organisation={organisation_key}", kinds=KEY
    ),
    # The shopper's visits and the phone's sync.
    "/visits": Route(SHOPPER, "/visits"),
    "/visits/logout": Route(SHOPPER, "/visits/logout"),
    "/visits/{assignment_id:int}": Route(SHOPPER, "/visits/{assignment}", kinds=("assignment",)),
    "/visits/{assignment_id:int}/start": Route(SHOPPER, "/visits/{assignment}/start", ("POST",), ("assignment",)),
    "/visits/{assignment_id:int}/section/{number:int}": Route(
        SHOPPER, "/visits/{assignment}/section/1", ("GET", "POST"), ("assignment",)
    ),
    "/visits/{assignment_id:int}/finish": Route(
        SHOPPER, "/visits/{assignment}/finish", ("GET", "POST"), ("assignment",)
    ),
    "/api/v1/visits/{visit_id:uuid}": Route(SHOPPER, "/api/v1/visits/00000000-0000-4000-8000-000000000001", ("PUT",)),
    "/api/v1/attachments/{sha256:str}": Route(
        frozenset({Role.shopper, Role.consultant}), "/api/v1/attachments/{photo}", kinds=("photo",)
    ),
    # The JSON API for integrations (a session here; a bearer token resolves to the same account).
    "/api/v1/organisations": Route(CLIENT_OR_CONSULTANT, "/api/v1/organisations"),
    "/api/v1/organisations/{organisation_id:int}": Route(
        CLIENT_OR_CONSULTANT, "/api/v1/organisations/{organisation}", kinds=ORGANISATION
    ),
    "/api/v1/collections": Route(CLIENT_OR_CONSULTANT, "/api/v1/collections"),
    "/api/v1/calibration": Route(CONSULTANT, "/api/v1/calibration?instrument=mystery-call"),
    "/console/calibration": Route(CONSULTANT, "/console/calibration", ("GET", "POST")),
    # Exercises are the consultancy's own, not a client's: only who may close one is probed.
    "/console/calibration/{exercise_id:int}/close": Route(CONSULTANT, "/console/calibration/999999/close", ("POST",)),
    "/visits/calibration": Route(SHOPPER, "/visits/calibration"),
    "/visits/calibration/{exercise_id:int}": Route(
        SHOPPER, "/visits/calibration/{exercise}", ("GET", "POST"), ("exercise",)
    ),
    "/visits/calibration/{exercise_id:int}/recording": Route(
        SHOPPER, "/visits/calibration/{exercise}/recording", kinds=("exercise",)
    ),
    "/api/v1/responses": Route(
        CLIENT_OR_CONSULTANT, "/api/v1/responses?instrument=visitor-survey&organisation={organisation_key}", kinds=KEY
    ),
    "/api/v1/scores": Route(
        CLIENT_OR_CONSULTANT, "/api/v1/scores?instrument=visitor-survey&organisation={organisation_key}", kinds=KEY
    ),
    "/api/v1/benchmark": Route(CLIENT_OR_CONSULTANT, "/api/v1/benchmark?instrument=visitor-survey"),
    "/api/v1/reports": Route(CLIENT_OR_CONSULTANT, "/api/v1/reports"),
    "/api/v1/reports/{report:str}": Route(
        CLIENT_OR_CONSULTANT, "/api/v1/reports/client.pdf?organisation={organisation_key}", kinds=KEY
    ),
}


def app_routes(app: Litestar) -> set[str]:
    return {route.path for route in app.routes if not route.path.startswith(SCHEMA_PREFIX)}


def test_every_route_is_in_the_matrix(app: Litestar) -> None:
    routes = app_routes(app)
    unclassified = sorted(routes - PUBLIC - ROUTES.keys())
    assert unclassified == [], f"classify these routes in the tenant matrix: {unclassified}"
    assert sorted(ROUTES.keys() - routes) == [], "the matrix names routes the app no longer has"


async def log_in(client: Client, username: str) -> str:
    """Log in through the form as ``username``; returns the CSRF token for later unsafe requests."""
    client.cookies.delete(SESSION_COOKIE)
    field_ = BeautifulSoup((await client.get("/login")).text, "html.parser").find(
        "input", attrs={"name": "_csrf_token"}
    )
    assert field_ is not None
    token = str(field_["value"])
    answer = await client.post(
        "/login", data={"username": username, "password": PASSWORD, "_csrf_token": token}, follow_redirects=False
    )
    assert answer.status_code == 303, f"{username} could not log in: {answer.status_code}"
    field_ = BeautifulSoup((await client.get("/login")).text, "html.parser").find(
        "input", attrs={"name": "_csrf_token"}
    )  # logging in gave the session its own token
    assert field_ is not None
    return str(field_["value"])


def fingerprint(response: HttpResponse, asked: str) -> object:
    """What a person or a program sees of an error: the JSON, or the page's status line, heading and text. The
    value the request itself named may be echoed back ("no organisation 2"); it tells the asker nothing new."""
    if response.headers.get("content-type", "").startswith("application/json"):
        return response.text.replace(asked, "{asked}")
    main = BeautifulSoup(response.text, "html.parser").find("main")
    return (response.status_code, main.get_text(" ", strip=True).replace(asked, "{asked}") if main else "")


def fill(route: Route, world: dict[str, Objects], choose: str, role: Role) -> str | None:
    """The route's URL with ``choose`` ("own", "other", "missing") objects; None when there is no such object."""
    values = {}
    for kind in route.kinds:
        objects_ = world[kind]
        value = {"own": objects_.own(role), "other": objects_.other(role), "missing": objects_.missing}[choose]
        if value is None:
            return None
        values[kind] = value
    return route.target.format(**values)


@dataclass
class Prober:
    """One logged-in (or anonymous) client probing the routes with the seeded objects."""

    client: Client
    world: dict[str, Objects]
    role: Role = Role.consultant
    csrf: str = ""

    async def request(self, method: str, url: str) -> HttpResponse:
        headers = {"x-csrftoken": self.csrf} if method != "GET" else {}
        if method == "PUT":
            return await self.client.put(url, headers=headers, json={})
        return await self.client.request(method, url, headers=headers, follow_redirects=False)

    async def anonymous(self) -> list[str]:
        """Nobody logged in: pages send to the login, the API answers 401; unsafe methods may stop at CSRF (403)."""
        self.client.cookies.delete(SESSION_COOKIE)
        problems = []
        for path, route in ROUTES.items():
            for method in route.methods:
                url = fill(route, self.world, "own", Role.consultant)
                assert url is not None
                answer = await self.request(method, url)
                expected = {401 if path.startswith("/api/") else 303} | ({403} if method != "GET" else set())
                if answer.status_code not in expected:
                    problems.append(f"anonymous {method} {url}: {answer.status_code}, expected {sorted(expected)}")
        return problems

    async def as_role(self, role: Role) -> list[str]:
        self.role, self.csrf = role, await log_in(self.client, PROBER[role])
        problems = []
        for path, route in ROUTES.items():
            if path == "/logout":
                continue  # probing it would end the session the other probes use; anonymous probing covers it
            for method in route.methods:
                if role in route.roles:
                    problems += await self.objects(route, method)
                    continue
                url = fill(route, self.world, "own", role)
                assert url is not None
                answer = await self.request(method, url)
                if answer.status_code != 403:
                    problems.append(f"{role} {method} {url}: {answer.status_code}, expected 403")
        return problems

    async def objects(self, route: Route, method: str) -> list[str]:
        """A role the route is for: own works; missing is 404; another tenant's looks exactly like missing."""
        role, problems = self.role, []
        own_url, missing_url = fill(route, self.world, "own", role), fill(route, self.world, "missing", role)
        assert own_url is not None
        assert missing_url is not None
        own = await self.request(method, own_url)
        if own.status_code == 404 or own.status_code >= 500:
            problems.append(f"{role} {method} {own_url} (own): {own.status_code}")
        if not route.kinds:
            return problems
        missing = await self.request(method, missing_url)
        if missing.status_code != 404:
            problems.append(f"{role} {method} {missing_url} (missing): {missing.status_code}")
        other_url = fill(route, self.world, "other", role)
        if other_url is not None:
            other = await self.request(method, other_url)
            seen_other = fingerprint(other, self.world[route.kinds[-1]].other(role) or "")
            seen_missing = fingerprint(missing, self.world[route.kinds[-1]].missing)
            if seen_other != seen_missing:
                problems.append(f"{role} {method} {other_url} (another tenant's): {seen_other}, "
                                f"missing gives {seen_missing}")  # fmt: skip
        return problems


async def submit_photos_and_a_visit(client: Client, settings: Settings) -> None:
    """Each shopper uploads a photo; the second submits a visit, so the review queue has one."""
    csrf = ""
    for shopper, data in PHOTOS.items():
        csrf = await log_in(client, shopper)
        digest = hashlib.sha256(data).hexdigest()
        uploaded = await client.put(f"/api/v1/attachments/{digest}", content=data, headers={"x-csrftoken": csrf})
        assert uploaded.status_code == 201, uploaded.text
    guided_tour = next(item for item in load_instruments(settings.surveys_dir) if item.id == "guided-tour")
    assignment = client.blocking_portal.call(latest_assignment, "shopper2")
    visit = submitted_visit(guided_tour, assignment)
    sent = await client.put(f"/api/v1/visits/{uuid.uuid4()}", json=visit, headers={"x-csrftoken": csrf})
    assert sent.status_code == 201, sent.text


def kept_message(settings: Settings) -> str:
    """One message in the outbox folder; its file name."""
    message = EmailMessage()
    message["To"], message["Subject"], message["Message-ID"] = "anna@example.org", "Inbjudan", "<m1@example.org>"
    message.set_content("Hej!")
    OutboxTransport(settings.outbox_dir).send(message)
    return outbox_name(message)


async def test_tenant_matrix(client: Client, settings: Settings) -> None:
    client.blocking_portal.call(seed, client, settings)
    await submit_photos_and_a_visit(client, settings)
    world = client.blocking_portal.call(objects)
    world["outbox"] = Objects({"konsult": kept_message(settings)}, "missing.eml")
    prober = Prober(client, world)
    problems = await prober.anonymous()
    for role in Role:
        problems += await prober.as_role(role)
    assert problems == [], "\n".join(problems)
