"""``/console/cases`` (a consultant: every organisation) and ``/portal/cases`` (a client viewer: their own).

The same handlers under two paths; the subclass says whose cases are in scope. A case outside the scope is a 404
exactly like a missing one. Every change is a POST with the CSRF field, answered by a redirect to the case.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, Literal

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from servicescore.db.cases import (
    CaseNotFound,
    CaseRefused,
    StateFilter,
    add_note,
    assign_case,
    assignable_users,
    case_detail,
    case_times_frame,
    cases,
    close_case,
    mark_contacted,
)
from servicescore.db.survey_responses import instrument_for
from servicescore.definitions.text import Language
from servicescore.identity import Account, Role
from servicescore.scoring.case_times import case_times
from servicescore.web.auth import client_only, consultant_only
from servicescore.web.cases.views import answer_groups, time_rows
from servicescore.web.pages import page

AnyRequest = Request[Any, Any, Any]
DONE = frozenset({"assigned", "noted", "contacted", "closed"})
NO_ORGANISATION = -1  # a client viewer without an organisation sees no cases at all


class _CasePages(Controller):
    base: ClassVar[str]

    def scope(self, account: Account) -> int | None:
        """None: every organisation (a consultant); else the client viewer's own."""
        if account.role == Role.consultant:
            return None
        return account.organisation_id if account.organisation_id is not None else NO_ORGANISATION

    @get("/")
    async def list_cases(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        language: NamedDependency[Language],
        shown: Annotated[Literal["open", "closed", "all"], QueryParameter(name="state")] = "open",
    ) -> Template:
        scope, now = self.scope(account), datetime.now(UTC)
        rows = await cases(scope, shown)
        summary = case_times(await case_times_frame(scope), now).to_dicts()
        return page(request, "cases/list.html", base=self.base, state=shown, cases=rows, now=now,
                    overdue=sum(row["overdue"] for row in summary), times=time_rows(summary, language))  # fmt: skip

    @get("/{case_id:int}")
    async def show_case(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        language: NamedDependency[Language],
        case_id: FromPath[int],
    ) -> Template:
        return await self._detail(request, account, language, case_id)

    async def _detail(
        self,
        request: AnyRequest,
        account: Account,
        language: Language,
        case_id: int,
        *,
        problem: str = "",
        status: int = 200,
    ) -> Template:
        try:
            detail = await case_detail(case_id, self.scope(account))
        except CaseNotFound:
            raise NotFoundException() from None
        instrument = await instrument_for(detail.instrument_version_id)
        done = request.query_params.get("done", "")
        return page(
            request, "cases/detail.html", status_code=status, base=self.base, detail=detail, case=detail.case,
            instrument_title=instrument.title.pick(language),
            groups=answer_groups(instrument, detail.answers, language),
            assignees=await assignable_users(detail.case.organisation_id), now=datetime.now(UTC),
            done=done if done in DONE else "", problem=problem,
        )  # fmt: skip

    async def _change(
        self, request: AnyRequest, account: Account, language: Language, case_id: int, *, done: str, change: Any
    ) -> Response[Any]:
        try:
            await change
        except CaseNotFound:
            raise NotFoundException() from None
        except CaseRefused as refusal:
            status = 409 if refusal.key in ("closed", "contacted") else 422
            problem = f"cases.refused.{refusal.key}"
            return await self._detail(request, account, language, case_id, problem=problem, status=status)
        return Redirect(f"{self.base}/{case_id}?done={done}", status_code=303)

    @post("/{case_id:int}/assign")
    async def assign(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        language: NamedDependency[Language],
        case_id: FromPath[int],
    ) -> Response[Any]:
        value = str((await request.form()).get("assignee", "")).strip()
        assignee = int(value) if value.isdigit() and len(value) < 12 else -1
        change = assign_case(request.app.state.engine, case_id, self.scope(account), assignee_id=assignee,
                             actor_id=account.id)  # fmt: skip
        return await self._change(request, account, language, case_id, done="assigned", change=change)

    @post("/{case_id:int}/notes")
    async def note(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        language: NamedDependency[Language],
        case_id: FromPath[int],
    ) -> Response[Any]:
        text = str((await request.form()).get("note", ""))
        change = add_note(request.app.state.engine, case_id, self.scope(account), text=text, author=account.name,
                          actor_id=account.id, now=datetime.now(UTC))  # fmt: skip
        return await self._change(request, account, language, case_id, done="noted", change=change)

    @post("/{case_id:int}/contacted")
    async def contacted(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        language: NamedDependency[Language],
        case_id: FromPath[int],
    ) -> Response[Any]:
        change = mark_contacted(request.app.state.engine, case_id, self.scope(account), actor_id=account.id,
                                now=datetime.now(UTC))  # fmt: skip
        return await self._change(request, account, language, case_id, done="contacted", change=change)

    @post("/{case_id:int}/close")
    async def close(
        self,
        request: AnyRequest,
        account: NamedDependency[Account],
        language: NamedDependency[Language],
        case_id: FromPath[int],
    ) -> Response[Any]:
        change = close_case(request.app.state.engine, case_id, self.scope(account), actor_id=account.id,
                            now=datetime.now(UTC))  # fmt: skip
        return await self._change(request, account, language, case_id, done="closed", change=change)


class ConsoleCases(_CasePages):
    path = "/console/cases"
    guards = [consultant_only]  # noqa: RUF012 - Litestar reads it as a class attribute
    base = "/console/cases"


class PortalCases(_CasePages):
    path = "/portal/cases"
    guards = [client_only]  # noqa: RUF012 - Litestar reads it as a class attribute
    base = "/portal/cases"


__all__ = ["ConsoleCases", "PortalCases", "StateFilter"]
