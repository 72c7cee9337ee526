"""The respondent's routes: ``/s/{token}`` (a unit's public link) and ``/i/{token}`` (a personal invitation).

GET serves the page to answer (making the response the first time), POST saves one page and redirects, so a
reload never sends twice; ``…/done`` thanks. Links that cannot be answered get a friendly 404/410 page.

Each page carries the version of the answers it was shown from (``_version``; the redirect after a save passes the
new one on as ``?version=``), and a page is saved only on that version. Browsers answering one invitation at once
therefore cannot mix their answers: the first save wins, a browser whose answers changed under it is sent back to
the first page to check them (``?changed=1``), and only the browser whose completion was saved is thanked; the
others are told the invitation was already answered. The same page sent twice from one version is a repeat.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, ClassVar

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import CacheControlHeader, Cookie
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template

from servicescore.collections.answers import VERSION_PATTERN, StoredAnswer
from servicescore.collections.contact import ContactReading, read_contact, split_contact
from servicescore.collections.navigation import Nav, Outcome, Stored, missing_required, page_to_show, submit_page
from servicescore.collections.pages import page_count
from servicescore.collections.reading import FieldError, PageReading, TamperedForm, read_page
from servicescore.collections.segments import segment_of
from servicescore.collections.tokens import invitation_response_id, plausible_token
from servicescore.colours import theme_css
from servicescore.db.cases import has_case
from servicescore.db.collections import LinkKind, SurveyLink, invitation_link, public_link
from servicescore.db.survey_responses import (
    AnswersChanged,
    InvitationUsed,
    ResponseGone,
    ResponseState,
    instrument_for,
    load_response,
    save_page,
    start_response,
)
from servicescore.definitions import Instrument
from servicescore.definitions.text import Language
from servicescore.formats import local_day
from servicescore.ids import uuid7
from servicescore.settings import Settings
from servicescore.web.auth import secure_cookies
from servicescore.web.pages import language_cookies
from servicescore.web.refused_form import SENT, forget_refused, refused_cookie, refused_form
from servicescore.web.respond.contact import open_case_if_wanted, with_contact
from servicescore.web.respond.kept import KeptPages
from servicescore.web.respond.pages import (
    done_page,
    form_page,
    message_page,
    organisation_logo,
    pristine_key,
)
from servicescore.web.respond.qr import qr_png, qr_svg
from servicescore.web.respond.sent import SentPage
from servicescore.web.respond.views import form_values

AnyRequest = Request[Any, Any, Any]
RESPONSE_COOKIE = "servicescore_response"
RESPONSE_COOKIE_DAYS = 30
ASSET_CACHE = CacheControlHeader(max_age=3600, public=True)
MAX_FIELDS = 400  # a page has at most a few dozen questions; more fields is not a browser's form


class _Refusal(Exception):
    """Ends a request with a friendly page: (catalogue key, HTTP status, values)."""

    def __init__(self, key: str, status: int, **values: str) -> None:
        super().__init__(key)
        self.key, self.status, self.values = key, status, values


class _SurveyLinkPages(Controller):
    kind: ClassVar[LinkKind]
    prefix: ClassVar[str]

    # -- shared steps -------------------------------------------------------------------------------------------

    async def _link(self, token: str) -> SurveyLink | None:
        if not plausible_token(token):
            return None
        return await (public_link(token) if self.kind == "public" else invitation_link(token))

    def _base(self, token: str) -> str:
        return f"/{self.prefix}/{token}"

    async def _open_link(self, token: str, language: Language) -> SurveyLink:
        link = await self._link(token)
        if link is None:
            raise _Refusal("unknown", 404)
        state = link.state(datetime.now(UTC))
        if state == "not_yet_open":
            raise _Refusal("not_open", 404, date=local_day(link.opens_at, language))
        if state == "closed":
            raise _Refusal("closed", 410, date=local_day(link.closes_at, language))
        return link

    def _cookie_response_id(self, request: AnyRequest, token: str) -> uuid.UUID | None:
        if self.kind == "invitation":
            return invitation_response_id(token)
        try:
            return uuid.UUID(request.cookies.get(RESPONSE_COOKIE, ""))
        except ValueError:
            return None

    def _cookie(self, request: AnyRequest, token: str, response_id: uuid.UUID) -> list[Cookie]:
        if self.kind == "invitation":
            return []  # the invitation's token already names its one response
        if request.cookies.get(RESPONSE_COOKIE) == str(response_id):
            return []  # the browser has it (set when the response was made); encoding it again cost 4 % of a page
        settings: Settings = request.app.state.settings
        return [
            Cookie(
                key=RESPONSE_COOKIE,
                value=str(response_id),
                path=self._base(token),
                max_age=int(timedelta(days=RESPONSE_COOKIE_DAYS).total_seconds()),
                httponly=True,
                samesite="lax",
                secure=secure_cookies(settings, request),
            )
        ]

    def _refused(self, request: AnyRequest, link: SurveyLink | None, token: str, refusal: _Refusal) -> Response[Any]:
        return message_page(request, link, self._base(token), refusal.key, refusal.status, **refusal.values)

    # -- answering ----------------------------------------------------------------------------------------------

    @get("/{token:str}")
    async def form(
        self,
        request: AnyRequest,
        *,
        token: FromPath[str],
        language: NamedDependency[Language],
        page_number: Annotated[int | None, QueryParameter(name="page", ge=0, le=1000)] = None,
        new: FromQuery[bool] = False,
        check: FromQuery[bool] = False,
        changed: FromQuery[bool] = False,
        version: Annotated[str | None, QueryParameter(pattern=VERSION_PATTERN.pattern)] = None,
    ) -> Response[Any]:
        try:
            link = await self._open_link(token, language)
        except _Refusal as refusal:
            return self._refused(request, await self._link(token), token, refusal)
        response_id = self._cookie_response_id(request, token)
        state = await load_response(link, response_id) if response_id else None
        if self.kind == "invitation" and link.invitation_used and (state is None or state.complete):
            return self._refused(request, link, token, _Refusal("used", 410))
        if state is not None and state.complete and not (new and self.kind == "public"):
            return Redirect(f"{self._base(token)}/done", status_code=303)
        if state is None or state.complete:
            response_id = response_id if self.kind == "invitation" and response_id else uuid7()
            await start_response(link, response_id, language, segment=link.segment)
            state = ResponseState(response_id, "partial", None, {})
        instrument = await instrument_for(link.instrument_version_id)
        page_index = page_to_show(instrument, page_number, state.answers, state.furthest_page)
        errors = missing_required(instrument, page_index, state.answers) if check else {}
        sent = SentPage.of(refused_form(request, SentPage.bound(state.id, page_index, state.version)))
        reading, contact = sent.read(instrument, state.answers) if sent else (None, None)
        return self._render(
            request, link, language, token=token, instrument=instrument, response_id=state.id, page_index=page_index,
            stored=state.answers, errors=errors, version=version or state.version, changed=changed, reading=reading,
            contact=contact,
        )  # fmt: skip

    def _render(
        self,
        request: AnyRequest,
        link: SurveyLink,
        language: Language,
        *,
        token: str,
        instrument: Instrument,
        response_id: uuid.UUID,
        page_index: int,
        stored: dict[str, StoredAnswer],
        version: str,
        changed: bool = False,
        reading: PageReading | None = None,
        errors: dict[str, FieldError] | None = None,
        status: int = 200,
        contact: ContactReading | None = None,
    ) -> Response[Any]:
        section = {item.id for item in instrument.sections[page_index].items}
        others = {k: v for k, v in stored.items() if k not in section}
        answers = {**others, **reading.answers} if reading else stored
        base = self._base(token)
        cookies = self._cookie(request, token, response_id)

        def build() -> Template:
            template = form_page(
                request,
                language,
                link=link,
                base=base,
                instrument=instrument,
                response_id=str(response_id),
                version=version,
                changed=changed,
                page_index=page_index,
                stored=others,
                answers=answers,
                values=reading.raw if reading else form_values(instrument, stored),
                errors=reading.errors if reading else (errors or {}),
                revealed=reading.revealed if reading else (),
                status=status,
                cookies=cookies,
            )
            return with_contact(template, instrument, page_index, language, contact)

        if reading is None and not errors and not changed and section.isdisjoint(stored):
            # Nothing on the page is the respondent's own yet: the same page as everyone's, kept rendered.
            kept: KeptPages = request.app.state.kept_pages
            key = pristine_key(
                request, link, base, language=language, instrument=instrument, page_index=page_index, stored=stored
            )
            personal = {"response_id": str(response_id), "version": version}
            return kept.response(request, key, build, personal, [*cookies, *language_cookies(request)])
        return build()

    @post("/{token:str}")
    async def submit(
        self, request: AnyRequest, token: FromPath[str], language: NamedDependency[Language]
    ) -> Response[Any]:
        link: SurveyLink | None = None
        try:
            link = await self._open_link(token, language)
            return await self._save(request, link, token, language)
        except _Refusal as refusal:
            return self._refused(request, link or await self._link(token), token, refusal)

    async def _save(self, request: AnyRequest, link: SurveyLink, token: str, language: Language) -> Response[Any]:
        form = await request.form()
        fields = list(form.multi_items())
        if len(fields) > MAX_FIELDS:
            raise _Refusal("bad_form", 400, detail=f"{len(fields)} fields")
        if any(not isinstance(value, str) for _, value in fields):
            raise _Refusal("bad_form", 400, detail="a file")
        # Contact details are never answers: they are read apart, and kept only by the case a completion opens.
        fields, posted_contact = split_contact(fields)
        sent_id = form.get("_response")
        response_id = _uuid(sent_id) if sent_id else self._cookie_response_id(request, token)
        if response_id is None or (self.kind == "invitation" and response_id != invitation_response_id(token)):
            raise _Refusal("bad_form", 400, detail="response")
        state = await load_response(link, response_id)
        if state is None:
            raise _Refusal("bad_form", 400, detail="response")
        instrument = await instrument_for(link.instrument_version_id)
        page_index = _page(form.get("_page"), page_count(instrument))
        nav = _nav(form.get("_nav"))
        try:
            reading = read_page(
                instrument, page_index, state.answers, fields, seen=form.getall("_seen", []), lenient=nav == "back"
            )
            contact = read_contact(instrument, page_index, posted_contact)
        except TamperedForm as error:
            raise _Refusal("bad_form", 400, detail=str(error)) from None
        version = str(form.get("_version") or "")
        stored = Stored(state.answers, state.version, state.complete)
        outcome = submit_page(instrument, page_index, nav, reading, contact, sent_version=version, stored=stored)
        if outcome.kind == "show_again":
            sent = SentPage(page_index, nav == "back", fields, form.getall("_seen", []), posted_contact)
            bound = SentPage.bound(response_id, page_index, version)
            if (kept := refused_cookie(request, self._base(token), bound, sent.kept())) is not None:
                return Redirect(f"{self._base(token)}?page={page_index}&{SENT}", status_code=303, cookies=[kept])
            return self._render(
                request, link, language, token=token, instrument=instrument, response_id=response_id,
                page_index=page_index,
                stored=state.answers, version=version, reading=reading, status=422 if outcome.invalid else 200,
                contact=contact,
            )  # fmt: skip
        if outcome.kind == "save":
            try:
                await save_page(
                    request.app.state.engine, link, response_id, reading.answers, reading.remove,
                    language=language, complete=outcome.complete,
                    segment=segment_of(instrument, outcome.answers, link.segment),
                    sent_forward=page_index if nav == "next" else -1, version=version, after=outcome.after,
                )  # fmt: skip
            except InvitationUsed:
                raise _Refusal("used", 410) from None
            except ResponseGone:
                raise _Refusal("bad_form", 400, detail="response") from None
            except AnswersChanged:
                now = await load_response(link, response_id)
                if now is None:
                    raise _Refusal("bad_form", 400, detail="response") from None
                stored = Stored(now.answers, now.version, now.complete)
                outcome = submit_page(
                    instrument, page_index, nav, reading, contact, sent_version=version, stored=stored
                )
        return await self._after(request, token, instrument, response_id, outcome=outcome, contact=contact)

    async def _after(
        self,
        request: AnyRequest,
        token: str,
        instrument: Instrument,
        response_id: uuid.UUID,
        *,
        outcome: Outcome,
        contact: ContactReading,
    ) -> Response[Any]:
        """Where a sent page leads once it is saved, or was not (see `Outcome`): nobody is thanked for answers that
        were dropped, a completed invitation is told it was answered and a completed public response that it was
        sent. A completion (or its repeat: the process may have stopped between the save and the case) opens the
        follow-up case, once."""
        base = self._base(token)
        if outcome.kind == "answered":
            raise _Refusal("used", 410) if self.kind == "invitation" else _Refusal("already_sent", 409)
        if outcome.kind == "changed":
            return Redirect(f"{base}?page={outcome.page}&changed=1", status_code=303)
        if outcome.complete:
            await open_case_if_wanted(request, instrument, response_id, outcome.answers, contact)
        if outcome.page is None:
            target = f"{base}/done"
        else:
            target = f"{base}?page={outcome.page}{'&check=1' if outcome.check else ''}&version={outcome.after}"
        cookies = self._cookie(request, token, response_id) if outcome.kind == "save" else []
        return Redirect(target, status_code=303, cookies=[*cookies, *forget_refused(request, base)])

    @get("/{token:str}/done")
    async def done(
        self, request: AnyRequest, token: FromPath[str], language: NamedDependency[Language]
    ) -> Response[Any]:
        link = await self._link(token)
        if link is None:
            return self._refused(request, None, token, _Refusal("unknown", 404))
        response_id = self._cookie_response_id(request, token)
        state = await load_response(link, response_id) if response_id else None
        if state is None or not state.complete:
            return Redirect(self._base(token), status_code=303)
        return done_page(
            request, language, link, self._base(token), state.submitted_at,
            again=self.kind == "public", in_touch=await has_case(state.id),
        )  # fmt: skip

    # -- assets of the link's organisation ------------------------------------------------------------------------

    @get("/{token:str}/theme.css", cache_control=ASSET_CACHE, media_type="text/css")
    async def theme(self, token: FromPath[str]) -> Response[str]:
        link = await self._link(token)
        if link is None:
            return Response("", status_code=404, media_type="text/css")
        return Response(theme_css(link.brand_colour), media_type="text/css")

    @get("/{token:str}/logo", cache_control=ASSET_CACHE)
    async def logo(self, request: AnyRequest, token: FromPath[str]) -> Response[bytes]:
        link = await self._link(token)
        found = organisation_logo(request.app.state.settings, link) if link else None
        if found is None:
            return Response(b"", status_code=404, media_type="text/plain")
        return Response(found[0], media_type=found[1])


class PublicLinkPages(_SurveyLinkPages):
    path = "/s"
    kind = "public"
    prefix = "s"

    @get("/{token:str}/qr.svg", cache_control=ASSET_CACHE)
    async def qr_code_svg(self, request: AnyRequest, token: FromPath[str]) -> Response[Any]:
        return await self._qr(request, token, "svg")

    @get("/{token:str}/qr.png", cache_control=ASSET_CACHE)
    async def qr_code_png(self, request: AnyRequest, token: FromPath[str]) -> Response[Any]:
        return await self._qr(request, token, "png")

    async def _qr(self, request: AnyRequest, token: str, kind: str) -> Response[Any]:
        link = await self._link(token)
        if link is None:
            return self._refused(request, None, token, _Refusal("unknown", 404))
        url = str(request.base_url).rstrip("/") + self._base(token)
        if kind == "svg":
            return Response(qr_svg(url), media_type="image/svg+xml")
        return Response(qr_png(url), media_type="image/png")


class InvitationPages(_SurveyLinkPages):
    path = "/i"
    kind = "invitation"
    prefix = "i"


def _uuid(text: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(text)) if text else None
    except ValueError:
        return None


def _nav(text: object) -> Nav:
    if text in (None, "", "next"):
        return "next"
    if text == "back":
        return "back"
    raise _Refusal("bad_form", 400, detail="_nav")


def _page(text: object, pages: int) -> int:
    value = str(text or "")
    if not value.isdigit() or len(value) > 4 or int(value) >= pages:
        raise _Refusal("bad_form", 400, detail="_page")
    return int(value)
