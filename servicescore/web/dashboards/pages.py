"""Dashboard pages: ``/console/dashboard`` (a consultant, any organisation), ``/portal`` (a client viewer, their own).

Handlers only parse and render; the numbers come from `reporting.live.dashboard`, built in a worker thread
(scoring and the snapshot's reads are blocking). Another organisation's key in a client viewer's URL answers
404 exactly like a key nobody has; a filter naming a wave, unit or segment the organisation has no answers in
answers 400 with what could be chosen instead.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any, Final

import anyio.to_thread
from litestar import Request, Router, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from servicescore.db.cases import cases
from servicescore.db.organisations import names, slug_and_name
from servicescore.definitions.text import Language
from servicescore.identity import Account
from servicescore.reporting.context import NoData
from servicescore.reporting.dashboard import DashboardRequest, FilterRefused, Filters
from servicescore.reporting.live import UnknownOrganisation, dashboard
from servicescore.settings import Settings
from servicescore.texts import translate
from servicescore.web.auth import client_only, consultant_only
from servicescore.web.dashboards import brand
from servicescore.web.pages import page

AnyRequest = Request[Any, Any, Any]
MAX_FILTER_LENGTH: Final[int] = 100  # longer than any slug or wave key; shown back in the message cut to this


def asked_filters(request: AnyRequest) -> Filters:
    """The query's wave, unit and segment; empty means not filtered."""

    def one(name: str) -> str | None:
        value = (request.query_params.get(name) or "").strip()
        return value[:MAX_FILTER_LENGTH] or None

    return Filters(wave=one("wave"), unit=one("unit"), segment=one("segment"))


def refusal_message(refused: FilterRefused, name: str, lang: str) -> str:
    choices = ", ".join(refused.choices) or translate("dashboard.error.none", lang)
    return translate(f"dashboard.error.{refused.field}", lang, name=name, value=refused.value, choices=choices)


async def dashboard_page(
    request: AnyRequest,
    settings: Settings,
    lang: Language,
    organisation: str,
    *,
    consultant: bool,
    name: str,
    **context: Any,
) -> Template:
    """The dashboard of ``organisation`` named ``name`` (404 when the snapshot's names have no such key)."""
    asked = DashboardRequest(organisation, asked_filters(request), lang, consultant, settings.min_group_size)
    started = time.perf_counter()
    problem, built = "", None
    try:
        built = await anyio.to_thread.run_sync(dashboard, settings, asked)
    except UnknownOrganisation:
        raise NotFoundException() from None
    except NoData:
        pass  # the page says there is nothing to show yet
    except FilterRefused as refused:
        problem = refusal_message(refused, name, lang)
    elapsed = (time.perf_counter() - started) * 1000
    name = built["focus"] if built else name
    response = page(
        request,
        "dashboard/dashboard.html",
        status_code=400 if problem else 200,
        d=built,
        name=name,
        problem=problem,
        consultant=consultant,
        organisation=organisation,
        min_n=settings.min_group_size,
        **context,
    )
    # How long the numbers took, for a developer's network panel and the benchmarks (W3C Server Timing).
    response.headers["server-timing"] = f"dashboard;dur={elapsed:.1f}"
    return response


# The client viewer's portal ------------------------------------------------------------------------------------


async def own_organisation(account: Account) -> tuple[str, str]:
    """The client viewer's organisation (slug, name)."""
    own = await slug_and_name(account.organisation_id)
    if own is None:
        raise NotFoundException()
    return own


def key_figures(settings: Settings, asked: DashboardRequest) -> dict[str, Any] | None:
    """The organisation's headline of the latest wave (the dashboard's executive summary: index with interval,
    change since the previous wave, rank among the anonymised peers, through the one privacy rule), with the wave
    and instrument it is about; None while there are no answers."""
    try:
        built = dashboard(settings, asked)
    except NoData:
        return None
    summary = next((block for block in built["blocks"] if block["type"] == "executive_summary"), None)
    if summary is None:
        return None
    return {"overall": summary["overall"], "wave": built["wave"], "instrument": built["instrument"]["title"]}


@get("/")
async def portal_start(
    request: AnyRequest,
    account: NamedDependency[Account],
    settings: NamedDependency[Settings],
    language: NamedDependency[Language],
) -> Template:
    own, name = await own_organisation(account)
    asked = DashboardRequest(own, Filters(), language, False, settings.min_group_size)
    figures = await anyio.to_thread.run_sync(key_figures, settings, asked)
    waiting = await cases(account.organisation_id, "open")
    now = datetime.now(UTC)
    overdue = sum(1 for case in waiting if case.first_contact_at is None and case.due_at < now)
    return page(request, "dashboard/portal.html", name=name, figures=figures,
                open_cases=len(waiting), overdue=overdue)  # fmt: skip


@get("/dashboard")
async def portal_dashboard(
    request: AnyRequest,
    account: NamedDependency[Account],
    settings: NamedDependency[Settings],
    language: NamedDependency[Language],
) -> Template:
    own, name = await own_organisation(account)
    asked = request.query_params.get("organisation")
    if asked is not None and asked != own:
        raise NotFoundException()
    return await dashboard_page(
        request, settings, language, own, consultant=False, name=name, form_action="/portal/dashboard"
    )


@get("/dashboard/{organisation:str}")
async def portal_dashboard_of(
    request: AnyRequest,
    organisation: FromPath[str],
    account: NamedDependency[Account],
    settings: NamedDependency[Settings],
    language: NamedDependency[Language],
) -> Template:
    own, name = await own_organisation(account)
    if organisation != own:
        raise NotFoundException()
    return await dashboard_page(
        request, settings, language, own, consultant=False, name=name, form_action="/portal/dashboard"
    )


portal_router = Router(
    path="/portal",
    guards=[client_only],
    route_handlers=[portal_start, portal_dashboard, portal_dashboard_of, *brand.HANDLERS],
)


# The consultant's dashboard -------------------------------------------------------------------------------------


@get("/")
async def console_dashboard(
    request: AnyRequest, settings: NamedDependency[Settings], language: NamedDependency[Language]
) -> Template:
    organisations = await names()
    chosen = (request.query_params.get("organisation") or "").strip()
    if not chosen:
        return page(request, "dashboard/choose.html", organisations=organisations)
    return await console_page(request, settings, language, chosen, organisations)


@get("/{organisation:str}")
async def console_dashboard_of(
    request: AnyRequest,
    organisation: FromPath[str],
    settings: NamedDependency[Settings],
    language: NamedDependency[Language],
) -> Template:
    return await console_page(request, settings, language, organisation, await names())


async def console_page(
    request: AnyRequest, settings: Settings, language: Language, organisation: str, organisations: list[tuple[str, str]]
) -> Template:
    if organisation not in dict(organisations):
        raise NotFoundException()
    return await dashboard_page(
        request, settings, language, organisation, consultant=True, organisations=organisations,
        name=dict(organisations)[organisation], form_action="/console/dashboard",
    )  # fmt: skip


console_router = Router(
    path="/console/dashboard", guards=[consultant_only], route_handlers=[console_dashboard, console_dashboard_of]
)
