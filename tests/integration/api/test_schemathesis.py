"""schemathesis against the running ASGI app with a consultant's bearer token, on the seeded small world: no
server error and every response as the OpenAPI document at /schema/openapi.json says, for each /api/v1 read
endpoint. Examples are limited so the module runs in well under a minute."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.generation.case import Case

from servicescore.app import create_app
from servicescore.db.accounts import find_credentials
from servicescore.db.api_tokens import create_token
from servicescore.db.lifecycle import database
from servicescore.settings import Settings
from servicescore.web.api.tokens_page import new_api_token
from tests.support.api_world import build_api_world

# One worker runs the module, so its seeded API world is made once, not once per worker.
pytestmark = pytest.mark.xdist_group("schemathesis")

# Looked up by name: schemathesis registers its checks lazily in `schemathesis.checks`.
CHECKS = [
    getattr(schemathesis.checks, name)
    for name in ("not_a_server_error", "response_schema_conformance", "status_code_conformance",
                 "content_type_conformance")
]  # fmt: skip
EXAMPLES_PER_ENDPOINT = 30
PDF_EXAMPLES = 6
READ_TIMEOUT_SECONDS = 120


async def seed(settings: Settings) -> str:
    """The small world and a consultant's API token, written before the app starts."""
    async with database(settings, apply_migrations=True) as engine:
        await build_api_world(settings, engine)
        credentials = await find_credentials("konsult")
        assert credentials is not None
        token = new_api_token()
        await create_token(credentials.account, "schemathesis", token)
    return token


@pytest.fixture(scope="module")
def consultant_token(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, str]:
    data = Path(tmp_path_factory.mktemp("schemathesis")) / "data"
    # Always SQLite in a fresh folder: CI's PostgreSQL URL is for the engine tests.
    settings = Settings(data_dir=data, database_url=f"sqlite:///{data / 'servicescore.sqlite3'}")
    return settings, asyncio.run(seed(settings))


@pytest.fixture(scope="module")
def api_schema(consultant_token: tuple[Settings, str]) -> schemathesis.BaseSchema:
    app = create_app(consultant_token[0])
    return schemathesis.openapi.from_asgi("/schema/openapi.json", app)


# The read API's operations (tag "results"); the visit sync beside it is the shoppers' and has its own tests.
PDF = "/api/v1/reports/{report}"
results = schemathesis.pytest.from_fixture("api_schema").include(tag="results").exclude(path=PDF)
pdfs = schemathesis.pytest.from_fixture("api_schema").include(path=PDF)


def call_and_validate(case: Case, token: str) -> None:
    # A first PDF starts the report worker process and renders: longer than schemathesis' 10 s default.
    case.call_and_validate(headers={"authorization": f"Bearer {token}"}, checks=CHECKS, timeout=READ_TIMEOUT_SECONDS)


@results.parametrize()
@settings(max_examples=EXAMPLES_PER_ENDPOINT, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: Case, consultant_token: tuple[Settings, str]) -> None:
    call_and_validate(case, consultant_token[1])


@pdfs.parametrize()
@settings(max_examples=PDF_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_report_pdfs_conform_to_the_schema(case: Case, consultant_token: tuple[Settings, str]) -> None:
    """Fewer examples: each new organisation, wave and language is a real render of a few seconds."""
    call_and_validate(case, consultant_token[1])


def test_the_schema_documents_the_bearer_scheme_and_every_endpoint(api_schema: schemathesis.BaseSchema) -> None:
    document = api_schema.raw_schema
    assert document["components"]["securitySchemes"]["bearerToken"] == {
        "type": "http", "scheme": "bearer", "description": "A personal API token from /account/tokens.",
    }  # fmt: skip
    operations = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    expected = {"/organisations", "/organisations/{organisation_id}", "/collections", "/responses", "/scores",
                "/benchmark", "/reports", "/reports/{report}"}  # fmt: skip
    assert {("GET", f"/api/v1{path}") for path in expected} <= operations
    for path in expected:
        assert document["paths"][f"/api/v1{path}"]["get"]["security"] == [{"bearerToken": []}]
