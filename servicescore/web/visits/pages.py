"""The shopper's pages: the list of visits, the brief, scoring section by section, and submitting.

They work without JavaScript (each section is a form the server saves through the same sync write the phone
uses); with JavaScript, ``static/shopper/visits.js`` keeps the visit on the phone and syncs when it can.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from typing import Any

from litestar import Request, Response, Router, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from pydantic import ValidationError

from servicescore.db import attachments as photos
from servicescore.db.assignments import AssignmentView, assignment, assignments_of
from servicescore.db.instruments import definition_of
from servicescore.db.visits import MissingPhotos, VisitInvalid, VisitRecord, sync_visit, visit_of_assignment
from servicescore.definitions import Instrument, PhotoItem
from servicescore.identity import Account
from servicescore.ids import uuid7
from servicescore.settings import Settings
from servicescore.storage import storage_for
from servicescore.visits.content import content_sha256
from servicescore.visits.forms import section_answers
from servicescore.visits.images import PhotoRejected, reencode
from servicescore.visits.payload import VisitPayload
from servicescore.visits.sync import EDITABLE
from servicescore.visits.validation import Problem, check_visit
from servicescore.web.auth import shopper_only
from servicescore.web.pages import page, request_language
from servicescore.web.refused_form import SENT, forget_refused, refused_cookie, refused_form
from servicescore.web.visits.problems import explain, phone_checks, said

AnyRequest = Request[Any, Any, Any]
# The list: what the phone still holds first (the script fills that group), then what is to do, what came back, what
# is done; finished groups folded, and the visits awaiting review when there are more than a screenful's few.
GROUPS = ("due", "in_progress", "returned", "submitted", "approved", "rejected")
FOLDED = ("approved", "rejected")
SUBMITTED_SHOWN = 3
MAX_FORM_BYTES = 20_000_000


def _now() -> datetime:
    return datetime.now(UTC)


async def _mine(assignment_id: int, account: Account) -> AssignmentView:
    target = await assignment(assignment_id, shopper_id=account.id)
    if target is None:
        raise NotFoundException()
    return target


@get("/")
async def visit_list(request: AnyRequest, account: NamedDependency[Account]) -> Template:
    groups: dict[str, list[tuple[AssignmentView, VisitRecord | None]]] = {group: [] for group in GROUPS}
    sent = request.query_params.get("sent", "")
    confirmed = False
    for target in await assignments_of(account.id):
        record = await visit_of_assignment(target)
        status = target.status if target.status in groups else "due"
        groups[status].append((target, record))
        confirmed = confirmed or (str(target.id) == sent and record is not None and record.status == "submitted")
    collapsed = (*FOLDED, "submitted") if len(groups["submitted"]) > SUBMITTED_SHOWN else FOLDED
    return page(request, "visits/list.html", groups=groups, group_order=GROUPS, collapsed=collapsed,
                sent_confirmed=confirmed)  # fmt: skip


async def _context(target: AssignmentView) -> tuple[Instrument, VisitRecord | None]:
    return await definition_of(target.version_id), await visit_of_assignment(target)


@get("/{assignment_id:int}")
async def brief(request: AnyRequest, assignment_id: FromPath[int], account: NamedDependency[Account]) -> Template:
    target = await _mine(assignment_id, account)
    definition, record = await _context(target)
    return page(request, "visits/brief.html", target=target, definition=definition, record=record,
                payload_json=_payload_json(record), editable=_editable(record))  # fmt: skip


def _payload_json(record: VisitRecord | None) -> str:
    if record is None:
        return ""
    return VisitPayload.model_dump_json(record.payload)


def _editable(record: VisitRecord | None) -> bool:
    return record is None or record.status in EDITABLE


async def _save(request: AnyRequest, account: Account, payload: VisitPayload,
                visit_id: uuid.UUID) -> list[Problem]:  # fmt: skip
    settings: Settings = request.app.state.settings
    try:
        result = await sync_visit(
            request.app.state.engine, visit_id, payload, content_sha256(payload), shopper_id=account.id, now=_now(),
            stored_photo=lambda digest: photos.stored_photo(storage_for(settings), digest),
        )  # fmt: skip
    except VisitInvalid as error:
        return error.problems
    except MissingPhotos as error:
        return [Problem("photos", str(error), "photos_missing")]
    if result.decision.outcome.value == "conflict":
        return [Problem("visit", result.decision.reason, "conflict")]
    return []


@post("/{assignment_id:int}/start")
async def start(request: AnyRequest, assignment_id: FromPath[int], account: NamedDependency[Account]) -> Response[Any]:
    target = await _mine(assignment_id, account)
    _, record = await _context(target)
    if record is None:
        payload = VisitPayload(assignment_id=target.id, status="draft", started_at=_now())
        await _save(request, account, payload, uuid7())
    return Redirect(f"/visits/{target.id}/section/1", status_code=303)


@get("/{assignment_id:int}/section/{number:int}")
async def section_form(
    request: AnyRequest, assignment_id: FromPath[int], number: FromPath[int], account: NamedDependency[Account]
) -> Template:
    target = await _mine(assignment_id, account)
    definition, record = await _context(target)
    if (refused := _refused(request, record)) is None:
        return _section_page(request, target, definition, record, number=number, problems=[])
    problems, typed = refused
    if typed is not None and record is not None:  # the section as sent, the others as saved
        section = {item.id for item in definition.sections[number - 1].items}
        saved = {k: v.model_dump() for k, v in record.payload.answers.items() if k not in section}
        typed = {**saved, **typed}
    return _section_page(request, target, definition, record, number=number, problems=problems, typed=typed)


def _sent_back(request: AnyRequest, record: VisitRecord, problems: list[Problem],
               typed: dict[str, dict[str, Any]] | None = None) -> Redirect | None:  # fmt: skip
    """A redirect to this page, which shows ``problems`` and what was ``typed`` (`web.refused_form`: so Back and
    reload never send the form again), or None when they do not fit in a cookie."""
    path = request.url.path
    kept = {"typed": typed, "problems": [[problem.field, problem.message, problem.code] for problem in problems]}
    cookie = refused_cookie(request, path, (path, record.id, record.revision), kept)
    return None if cookie is None else Redirect(f"{path}?{SENT}", status_code=303, cookies=[cookie])


def _refused(request: AnyRequest, record: VisitRecord | None) -> tuple[list[Problem], Any] | None:
    """The problems and typed answers `_sent_back` kept for this page, while the visit is as it was then."""
    if record is None:
        return None
    kept = refused_form(request, (request.url.path, record.id, record.revision))
    if not isinstance(kept, dict):
        return None
    try:
        return [Problem(str(f), str(m), str(c)) for f, m, c in kept["problems"]], kept["typed"]
    except (KeyError, TypeError, ValueError):
        return None


def _section_page(request: AnyRequest, target: AssignmentView, definition: Instrument, record: VisitRecord | None,
                  *, number: int, problems: list[Problem], status_code: int = 200,
                  typed: dict[str, dict[str, Any]] | None = None) -> Template:  # fmt: skip
    """The section's form with the saved answers, or, when ``typed`` is given (a refused save), with what the
    shopper sent, so that the marked field shows the value the message is about."""
    if not 1 <= number <= len(definition.sections):
        raise NotFoundException()
    answers = {} if record is None else {k: v.model_dump() for k, v in record.payload.answers.items()}
    if typed is not None:
        answers = typed
    return page(
        request, "visits/section.html", status_code=status_code, target=target, definition=definition,
        record=record, number=number, section=definition.sections[number - 1], answers=answers,
        problems=said(problems, definition, request_language(request)), editable=_editable(record),
        payload_json=_payload_json(record),
    )  # fmt: skip


@post("/{assignment_id:int}/section/{number:int}", request_max_body_size=MAX_FORM_BYTES)
async def section_save(
    request: AnyRequest, assignment_id: FromPath[int], number: FromPath[int], account: NamedDependency[Account]
) -> Response[Any]:
    target = await _mine(assignment_id, account)
    definition, record = await _context(target)
    if record is None or not _editable(record) or not 1 <= number <= len(definition.sections):
        raise NotFoundException()
    form = await request.form()
    section = definition.sections[number - 1]
    texts = {key: value for key, value in form.items() if isinstance(value, str)}
    earlier = {k: v.model_dump() for k, v in record.payload.answers.items()}
    answers, problems = section_answers(section, texts, earlier)
    problems += await _take_photos(request, section.items, form, answers, account)
    merged = {**earlier, **answers}
    for item in section.items:  # an item cleared in the form is cleared in the visit
        if item.id not in answers:
            merged.pop(item.id, None)
    try:
        payload = VisitPayload.model_validate(
            {**record.payload.model_dump(), "answers": merged, "revision": record.revision + 1, "status": "draft"}
        )
    except ValidationError as error:
        shape = [Problem(".".join(map(str, e["loc"])), e["msg"]) for e in error.errors()]
        return _sent_back(request, record, shape) or _section_page(
            request, target, definition, record, number=number, problems=shape, status_code=422
        )
    problems += check_visit(payload, definition, _now())
    if not problems and merged != earlier:
        problems = await _save(request, account, payload, record.id)
    if problems:
        typed = {item.id: merged[item.id] for item in section.items if item.id in merged}
        return _sent_back(request, record, problems, typed) or _section_page(
            request, target, definition, record, number=number, problems=problems, status_code=422, typed=merged
        )
    last = number == len(definition.sections)
    following = f"/visits/{target.id}/" + ("finish" if last else f"section/{number + 1}")
    return Redirect(following, status_code=303, cookies=forget_refused(request, request.url.path))


async def _take_photos(request: AnyRequest, items: list[Any], form: Any, answers: dict[str, dict[str, Any]],
                       account: Account) -> list[Problem]:  # fmt: skip
    settings: Settings = request.app.state.settings
    problems = []
    for item in items:
        if not isinstance(item, PhotoItem):
            continue
        for upload in form.getall(f"{item.id}.photo", []):
            if not isinstance(upload, UploadFile) or not upload.filename:
                continue
            data = await upload.read()
            if not data:
                continue
            if len(data) > settings.attachment_max_bytes:
                message = f"more than {settings.attachment_max_bytes:,} bytes"
                problems.append(Problem(f"answers.{item.id}.photos", message, "photo_too_large"))
                continue
            try:
                photo = reencode(data)
            except PhotoRejected as error:
                problems.append(Problem(f"answers.{item.id}.photos", str(error), "photo_rejected"))
                continue
            sha = hashlib.sha256(data).hexdigest()
            new = photos.write_photo(storage_for(settings), sha, photo)
            await photos.record_upload(account, sha, photo, new=new)
            answer = answers.setdefault(item.id, {})
            answer["photos"] = [*answer.get("photos", []), sha][-item.max_count :]
    return problems


def _finish_page(request: AnyRequest, target: AssignmentView, definition: Instrument, record: VisitRecord | None,
                 *, problems: list[Problem], status_code: int = 200) -> Template:  # fmt: skip
    language = request_language(request)
    return page(
        request, "visits/finish.html", status_code=status_code, target=target, definition=definition,
        record=record, problems=explain(problems, definition, language, target.id), editable=_editable(record),
        payload_json=_payload_json(record), checks=phone_checks(definition, language, target.id),
    )  # fmt: skip


@get("/{assignment_id:int}/finish")
async def finish_form(request: AnyRequest, assignment_id: FromPath[int], account: NamedDependency[Account]) -> Template:
    target = await _mine(assignment_id, account)
    definition, record = await _context(target)
    refused = _refused(request, record)
    return _finish_page(request, target, definition, record, problems=refused[0] if refused else [])


@post("/{assignment_id:int}/finish")
async def finish(request: AnyRequest, assignment_id: FromPath[int], account: NamedDependency[Account]) -> Response[Any]:
    target = await _mine(assignment_id, account)
    definition, record = await _context(target)
    if record is None or not _editable(record):
        raise NotFoundException()
    payload = record.payload.model_copy(
        update={"status": "submitted", "revision": record.revision + 1, "ended_at": _now()}
    )
    problems = await _save(request, account, VisitPayload.model_validate(payload.model_dump()), record.id)
    if problems:
        return _sent_back(request, record, problems) or _finish_page(
            request, target, definition, record, problems=problems, status_code=422
        )
    return Redirect(f"/visits?sent={target.id}", status_code=303, cookies=forget_refused(request, request.url.path))


@get("/logout")
async def logout_page(request: AnyRequest) -> Template:
    """Before a shopper's session ends, the page script sends what it can, warns about visits that are still
    only on the phone (logging out deletes them only when the shopper confirms), and clears the phone's copy."""
    return page(request, "visits/logout.html")


visits_pages = Router(
    path="/visits",
    guards=[shopper_only],
    route_handlers=[visit_list, logout_page, brief, start, section_form, section_save, finish_form, finish],
)
