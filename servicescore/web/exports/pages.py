"""``/console/exports`` and ``/portal/exports``: the export form and its two downloads, answers and scores.

One controller serves both roles; the portal's subclass differs only in its path and guard, and `resolve_scope`
is where a client viewer is held to their own organisation.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import Any

from anyio import to_thread
from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.response import Stream, Template

from servicescore import formats
from servicescore.db.audit import record_event
from servicescore.db.engine import write_transaction
from servicescore.db.export_scope import OrganisationRef, organisation, organisations, units, wave_keys
from servicescore.db.names import answered_instruments, instrument_titles
from servicescore.definitions.text import Language
from servicescore.identity import Account, Role
from servicescore.results import FilterError, Viewer
from servicescore.results.exports import AnswerExport, ExportSpec, ExportTable, Kind, Scope, answer_export, score_table
from servicescore.settings import Settings
from servicescore.texts import CATALOGUE, translate
from servicescore.web.auth import client_only, consultant_only
from servicescore.web.exports.downloads import download
from servicescore.web.exports.filters import FORMATS, LEVELS, parse_query
from servicescore.web.pages import page

AnyRequest = Request[Any, Any, Any]
BY_CHOICES = ("organisation", "unit", "segment")


async def resolve_scope(account: Account, spec: ExportSpec) -> Scope:
    """The organisation and unit an export is about. A client viewer's only organisation is their own: any other
    id, like an id that does not exist, is NotFound; a unit outside the scope is an unknown unit."""
    client = account.role == Role.client
    wanted = spec.organisation_id
    if client:
        if account.organisation_id is None or wanted not in (None, account.organisation_id):
            raise NotFoundException()
        wanted = account.organisation_id
    chosen = None if wanted is None else await organisation(wanted)
    if wanted is not None and chosen is None:
        raise NotFoundException()
    unit = None
    if spec.unit_id is not None:
        unit = next((u for u in await units(chosen.id if chosen else None) if u.id == spec.unit_id), None)
        if unit is None:
            raise await _unknown_unit(spec.unit_id, None if client else chosen)
        chosen = chosen or await organisation(unit.organisation_id)
    return Scope(organisation=chosen, unit=unit, client=client)


async def _unknown_unit(unit_id: int, chosen: OrganisationRef | None) -> FilterError:
    """The refusal of a unit outside `chosen`: a consultant's form lists every organisation's units, so one of
    another organisation is named with its own (a client viewer's `chosen` is None: theirs only exist for them)."""
    unit = None if chosen is None else next((u for u in await units() if u.id == unit_id), None)
    owner = None if unit is None else await organisation(unit.organisation_id)
    if chosen is None or unit is None or owner is None:
        return FilterError("unit", value=unit_id)
    return FilterError("unit_elsewhere", unit=unit.name, owner=owner.name, organisation=chosen.name)


async def offered_instruments(settings: Settings, language: Language, client: str | None) -> list[tuple[str, str]]:
    """The instruments the form offers as (id, title in the page's language), by title: every stored one to a
    consultant, to a client viewer only those their organisation (slug `client`) has counted answers to."""
    titles = await to_thread.run_sync(instrument_titles, settings.database)
    if client is not None:
        answered = (await to_thread.run_sync(answered_instruments, settings.database)).get(client, set())
        titles = {key: title for key, title in titles.items() if key in answered}
    return sorted(((key, title[language]) for key, title in titles.items()), key=lambda pair: (pair[1], pair[0]))


def _words(language: Language) -> Any:
    def words(key: str) -> str:
        full = f"exports.sav.{key}"
        return translate(full, language) if full in CATALOGUE else key.removeprefix("column.")

    return words


def _about(
    spec: ExportSpec, scope: Scope, table: ExportTable | AnswerExport, settings: Settings, lang: Language
) -> list[tuple[str, str]]:
    def t(key: str) -> str:
        return translate(f"exports.about.{key}", lang)

    rows = [
        (t("kind"), t(f"kind.{spec.kind}")),
        (t("instrument"), f"{table.instrument.title.pick(lang)} ({spec.instrument})"),
        (t("waves"), ", ".join(spec.waves) or t("all")),
        (t("organisation"), scope.organisation.name if scope.organisation else t("all")),
        (t("unit"), scope.unit.name if scope.unit else t("all")),
        (t("rows"), formats.integer(table.rows, lang)),
        (t("minimum"), formats.integer(settings.min_group_size, lang)),
        (t("created"), translate("exports.about.local_time", lang, moment=formats.when(datetime.now(UTC), lang))),
    ]
    if scope.client:
        rows.append((t("withheld"), formats.integer(table.withheld, lang)))
    return rows


class ConsoleExports(Controller):
    path = "/console/exports"
    guards = [consultant_only]  # noqa: RUF012 (Litestar reads the class attribute)

    @get("/")
    async def form(
        self, request: AnyRequest, account: NamedDependency[Account], language: NamedDependency[Language]
    ) -> Template:
        return await self._form(request, account, language)

    @get("/answers")
    async def answers(
        self, request: AnyRequest, account: NamedDependency[Account], language: NamedDependency[Language]
    ) -> Response[Any]:
        return await self._export(request, account, language, "answers")

    @get("/scores")
    async def scores(
        self, request: AnyRequest, account: NamedDependency[Account], language: NamedDependency[Language]
    ) -> Response[Any]:
        return await self._export(request, account, language, "scores")

    async def _form(
        self,
        request: AnyRequest,
        account: Account,
        language: Language,
        *,
        error: str = "",
        echo: dict[str, list[str]] | None = None,
    ) -> Template:
        settings: Settings = request.app.state.settings
        own = account.organisation_id if account.role == Role.client else None
        if account.role == Role.client and own is None:
            raise NotFoundException()
        shown = await organisations(only=own)
        return page(
            request,
            "exports/exports.html",
            status_code=400 if error else 200,
            error=error,
            echo=echo or {},
            base=self.path,
            client=account.role == Role.client,
            min_n=settings.min_group_size,
            instruments=await offered_instruments(
                settings, language, shown[0].slug if own is not None and shown else None
            ),
            waves=await wave_keys(),
            organisations=shown,
            units=await units(own),
            formats=FORMATS,
            levels=LEVELS,
            by_choices=BY_CHOICES,
        )

    async def _export(self, request: AnyRequest, account: Account, language: Language, kind: Kind) -> Response[Any]:
        settings: Settings = request.app.state.settings
        query = {name: request.query_params.getall(name) for name in request.query_params}
        try:
            spec = parse_query(kind, query)
            scope = await resolve_scope(account, spec)
            own = scope.organisation.slug if scope.client and scope.organisation else None
            viewer = Viewer.of(settings, own)
            build = answer_export if kind == "answers" else score_table
            table: ExportTable | AnswerExport = await to_thread.run_sync(build, settings, spec, scope, viewer)
            about = _about(spec, scope, table, settings, language)
            write = partial(download, table, spec, scope=scope, language=language, words=_words(language), about=about)
            file = await to_thread.run_sync(write)
        except FilterError as refused:
            message = translate(f"exports.error.{refused.key}", language, **refused.values)
            return await self._form(request, account, language, error=message, echo=query)
        async with write_transaction(request.app.state.engine):
            await record_event(f"export.{kind}", actor_id=account.id, object_type="organisation",
                               object_id=scope.organisation.id if scope.organisation else "",
                               detail={"query": spec.echo, "rows": table.rows})  # fmt: skip
        return Stream(
            file.body(),
            media_type=file.media_type,
            headers={"Content-Disposition": file.disposition},  # nosniff and no-store come from the app
        )


class PortalExports(ConsoleExports):
    path = "/portal/exports"
    guards = [client_only]  # noqa: RUF012 (Litestar reads the class attribute)
