"""The OpenAPI document at ``/schema/openapi.json`` (also ``/schema`` and ``/schema/openapi.yaml``), with the bearer
scheme. No HTML viewer: Litestar's load their scripts from a CDN, which the pages' Content-Security-Policy forbids."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, YamlRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme

from servicescore.web.api.router import BEARER_SCHEME

DESCRIPTION = """\
Read ServiceScore's results from other systems. Authenticate with a personal API token (made on
`/account/tokens`) as `Authorization: Bearer <token>`; it acts with its owner's role and organisation. A logged-in
browser session works too, and then unsafe methods need the `x-csrftoken` header. Errors are
`{"status_code", "detail", "errors": [{"field", "message"}]}`; another organisation's object answers 404 exactly
like a missing one.
"""


def _version() -> str:
    try:
        return version("servicescore")
    except PackageNotFoundError:  # running from a checkout without installing
        return "0"


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="ServiceScore API",
        version=_version(),
        description=DESCRIPTION,
        render_plugins=[JsonRenderPlugin(path=["/", "/openapi.json"]), YamlRenderPlugin()],
        components=Components(
            security_schemes={
                BEARER_SCHEME: SecurityScheme(
                    type="http", scheme="bearer", description="A personal API token from /account/tokens."
                )
            }
        ),
    )
