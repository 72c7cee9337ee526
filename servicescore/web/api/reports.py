"""``/api/v1/reports`` and ``/api/v1/reports/{report}.pdf``: report definitions and their PDFs.

PDFs come from ``reporting.on_demand`` (checked, rendered in a worker process, cached on disk by the data they
are made from), the same cache the web downloads use.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from anyio import to_thread
from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.params import Parameter

from servicescore.identity import Account, Role
from servicescore.reporting.on_demand import (
    ReportRefused,
    ReportSpec,
    content_disposition,
    download_name,
    report_choices,
    report_pdf,
)
from servicescore.settings import Settings
from servicescore.web.api.access import viewer_for
from servicescore.web.api.analytics import Key, WaveParam
from servicescore.web.api.models import ReportOut
from servicescore.web.api.problems import ApiProblem, error_responses

PDF_SUFFIX = ".pdf"
# Which parameter each refusal is about, and the API's status for it (another tenant's organisation: 404, as a
# missing one; a report with nothing to show for valid parameters: 422).
_REFUSALS: dict[str, tuple[str, int]] = {
    "report": ("report", 404), "organisation": ("organisation", 404), "no_organisation": ("organisation", 400),
    "too_few": ("organisation", 400), "wave": ("wave", 404), "lang": ("lang", 400), "no_data": ("organisation", 422),
    "adjust": ("adjust_shoppers", 403),
}  # fmt: skip


@get("/reports", summary="Report definitions you may ask for", responses=error_responses())
async def list_reports(
    request: Request[Any, Any, Any], settings: NamedDependency[Settings], account: NamedDependency[Account]
) -> list[ReportOut]:
    """Consultants get every report; client viewers the client reports that anonymise peers."""
    choices = await to_thread.run_sync(report_choices, settings, account.role is Role.client)
    base = str(request.base_url).rstrip("/")
    return [
        ReportOut(
            id=key,
            kind=d.kind,
            title=d.title.pick("en" if account.language == "en" else "sv"),
            instruments=list(d.instrument),
            peers=d.peers,
            url=f"{base}/api/v1/reports/{key}{PDF_SUFFIX}",
        )
        for key, d in sorted(choices.items())
    ]


@get(
    "/reports/{report:str}",
    summary="A report as PDF",
    media_type="application/pdf",
    responses={
        200: ResponseSpec(data_container=bytes, media_type="application/pdf", description="The PDF"),
        **error_responses(422),
    },
)
async def report_file(
    *,
    settings: NamedDependency[Settings],
    account: NamedDependency[Account],
    report: Annotated[
        str,
        Parameter(
            pattern=r"^[a-z0-9][a-z0-9_-]{0,79}\.pdf$",
            description="A report's id and `.pdf`.",
            examples=[Example(value="client.pdf")],
        ),
    ],
    organisation: Annotated[
        list[Key] | None,
        Parameter(
            description="Organisation slug; repeat for a comparison. Client viewers: their own (default).",
            examples=[Example(value=["zorngarden"])],
        ),
    ] = None,
    wave: WaveParam = None,
    lang: Annotated[Literal["sv", "en"] | None, Parameter(description="Default: the account's language.")] = None,
    adjust_shoppers: Annotated[
        bool,
        Parameter(
            description="Consultants: also print scorecard indices adjusted for mystery-shopper leniency, beside "
            "the unadjusted ones (client viewers: 403)."
        ),
    ] = False,
) -> Response[bytes]:
    """Rendered on first request and cached until the answers it is made from change. The latest wave with
    answers unless ``wave`` is given."""
    viewer = await viewer_for(account, settings)
    spec = ReportSpec(report.removesuffix(PDF_SUFFIX), tuple(organisation or ()), wave, lang or account.language,
                      viewer_organisation=viewer.organisation, adjust_shoppers=adjust_shoppers)  # fmt: skip
    try:
        pdf = await report_pdf(settings, spec)
    except ReportRefused as refused:
        field, status = _REFUSALS[refused.reason]
        raise ApiProblem(status, field, str(refused), "not found" if status == 404 else "") from None
    disposition = content_disposition("inline", download_name(spec))
    return Response(pdf, media_type="application/pdf", headers={"content-disposition": disposition})
