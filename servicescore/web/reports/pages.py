"""``/console/reports`` (a consultant picks report, organisations, wave, language) and ``/portal/reports`` (a
client viewer's own reports). Both download through `reporting.on_demand.report_pdf`: checked, rendered in the
worker process, cached by the data they were made from."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, Router, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template

from servicescore.db.organisations import names, slug_and_name
from servicescore.db.report_viewers import answered_by_wave, waves_with_answers
from servicescore.definitions.text import Language
from servicescore.identity import Account
from servicescore.jobs.reports import BatchRefused, start_report_batch
from servicescore.reporting.on_demand import (
    ReportRefused,
    ReportSpec,
    content_disposition,
    download_name,
    report_choices,
    report_pdf,
)
from servicescore.settings import Settings
from servicescore.texts import translate
from servicescore.web.auth import client_only, consultant_only
from servicescore.web.i18n import LANGUAGE_NAMES
from servicescore.web.pages import page

AnyRequest = Request[Any, Any, Any]


def _spec_from_query(request: AnyRequest, language: Language, viewer: str | None = None) -> ReportSpec:
    query = request.query_params
    return ReportSpec(
        report=query.get("report", ""),
        organisations=tuple(o for o in query.getall("organisation", []) if o),
        wave=query.get("wave") or None,
        lang=query.get("language") or language,  # "lang" switches the interface
        viewer_organisation=viewer,
        adjust_shoppers=query.get("adjust_shoppers") == "true",  # a client viewer asking is refused (403)
    )


def refusal_text(error: ReportRefused, lang: str) -> str:
    """The refusal in the page's language, naming the field and what may be chosen instead."""
    return translate(f"reports.error.{error.reason}", lang, value=error.value, choices=", ".join(error.choices))


def _pdf(data: bytes, name: str) -> Response[bytes]:
    return Response(
        data, media_type="application/pdf", headers={"content-disposition": content_disposition("attachment", name)}
    )


async def _console_page(
    request: AnyRequest, settings: Settings, lang: Language, status: int = 200, **extra: Any
) -> Template:
    reports = [(key, d.title.pick(lang), d.kind) for key, d in report_choices(settings).items()]
    return page(
        request, "reports/console.html", status_code=status, reports=reports, organisations=await names(),
        waves=await waves_with_answers(), languages=LANGUAGE_NAMES, chosen=_spec_from_query(request, lang),
        problem=extra.get("problem", ""), problem_field=extra.get("problem_field", ""),
    )  # fmt: skip


@get("/")
async def console_reports(
    request: AnyRequest, settings: NamedDependency[Settings], language: NamedDependency[Language]
) -> Template:
    return await _console_page(request, settings, language)


@get("/pdf")
async def console_download(
    request: AnyRequest, settings: NamedDependency[Settings], language: NamedDependency[Language]
) -> Response[bytes] | Template:
    spec = _spec_from_query(request, language)
    try:
        pdf = await report_pdf(settings, spec)
    except ReportRefused as error:
        field = {"no_organisation": "organisation", "too_few": "compare", "no_data": "wave"}.get(error.reason)
        problem = refusal_text(error, language)
        return await _console_page(
            request, settings, language, error.status, problem=problem, problem_field=field or error.reason
        )
    return _pdf(pdf, download_name(spec))


@post("/batch")
async def console_batch(
    request: AnyRequest, settings: NamedDependency[Settings], language: NamedDependency[Language]
) -> Redirect | Template:
    """Every organisation's report as background jobs; then the jobs page follows the batch."""
    form = await request.form()
    report, wave, lang = form.get("report", ""), form.get("wave") or None, form.get("language") or language
    try:
        batch = await start_report_batch(settings, report, wave, lang)
    except BatchRefused as error:
        problem = translate(error.text, language, value=error.value, choices=", ".join(error.choices))
        return await _console_page(request, settings, language, 400, problem=problem, problem_field=error.field)
    return Redirect(f"/console/jobs?batch={batch}", status_code=303)


async def _viewer_organisation(account: Account) -> str:
    own = await slug_and_name(account.organisation_id)
    if own is None:
        raise NotFoundException()
    return own[0]


async def _portal_page(
    request: AnyRequest, settings: Settings, language: Language, own: str, *, status: int = 200, problem: str = ""
) -> Template:
    """The viewer's reports by wave, newest first: a report only in a wave where the organisation has answers to
    one of its instruments (anything else would be a "no answers" refusal), in each language."""
    answered = await answered_by_wave(own)
    choices = report_choices(settings, viewer=True)
    offers = [
        (wave, [(key, d.title.pick(language)) for key, d in choices.items() if answered[wave] & set(d.instrument)])
        for wave in sorted(answered, reverse=True)
    ]
    return page(request, "reports/portal.html", status_code=status, offers=[o for o in offers if o[1]],
                languages=LANGUAGE_NAMES, problem=problem)  # fmt: skip


@get("/")
async def portal_reports(
    request: AnyRequest,
    settings: NamedDependency[Settings],
    account: NamedDependency[Account],
    language: NamedDependency[Language],
) -> Template:
    return await _portal_page(request, settings, language, await _viewer_organisation(account))


@get("/pdf")
async def portal_download(
    request: AnyRequest,
    settings: NamedDependency[Settings],
    account: NamedDependency[Account],
    language: NamedDependency[Language],
) -> Response[bytes] | Template:
    own = await _viewer_organisation(account)
    spec = _spec_from_query(request, language, viewer=own)
    try:
        pdf = await report_pdf(settings, spec)
    except ReportRefused as error:
        if error.reason == "organisation":
            raise NotFoundException() from None  # another tenant's organisation is a missing one
        return await _portal_page(request, settings, language, own, status=error.status,
                                  problem=refusal_text(error, language))  # fmt: skip
    return _pdf(pdf, download_name(spec, (own,)))


console_reports_router = Router(
    path="/console/reports", guards=[consultant_only], route_handlers=[console_reports, console_download, console_batch]
)
portal_reports_router = Router(
    path="/portal/reports", guards=[client_only], route_handlers=[portal_reports, portal_download]
)
