"""The ``/api/v1`` read API: guards, security, error shape and tags set once for every endpoint."""

from __future__ import annotations

from litestar import Router

from servicescore.identity import Role
from servicescore.web.api.analytics import list_benchmark, list_responses, list_scores
from servicescore.web.api.calibration import get_calibration
from servicescore.web.api.directory import get_organisation, list_collections, list_organisations
from servicescore.web.api.problems import EXCEPTION_HANDLERS
from servicescore.web.api.reports import list_reports, report_file
from servicescore.web.auth import requires_role

BEARER_SCHEME = "bearerToken"

# Mystery shoppers have no business with results: 403 (their own visit sync lives beside, in web.visits.api).
read_api = Router(
    path="/api/v1",
    guards=[requires_role(Role.consultant, Role.client)],
    route_handlers=[
        list_organisations,
        get_organisation,
        list_collections,
        list_responses,
        list_scores,
        list_benchmark,
        get_calibration,
        list_reports,
        report_file,
    ],
    exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]  # a dict is invariant in its key type
    security=[{BEARER_SCHEME: []}],
    tags=["results"],
)
