"""``/console`` (the consultant's start, with the review queue's size) and ``/console/review``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from litestar import Request, Response, Router, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from servicescore.db.visits import (
    REVIEW_ACTIONS,
    SAVED,
    ReviewRefused,
    VisitNotFound,
    VisitRecord,
    definition_for,
    review_visit,
    visit,
    visits_in_status,
)
from servicescore.definitions import Instrument
from servicescore.definitions.items import ChoiceItem, DurationItem, Item, NumberItem
from servicescore.definitions.text import Language
from servicescore.formats import duration, number, plain, when
from servicescore.identity import Account
from servicescore.settings import Settings
from servicescore.texts import translate
from servicescore.visits.flags import Flag, VisitContext, review_flags
from servicescore.web.auth import consultant_only
from servicescore.web.pages import page
from servicescore.web.titles import titles_in

AnyRequest = Request[Any, Any, Any]


@dataclass(frozen=True)
class FlagView:
    code: str
    detail: str  # the evidence in the reader's language: local times, decimal commas in Swedish


def flag_detail(flag: Flag, language: Language) -> str:
    values: dict[str, object] = {}
    for name, value in flag.evidence.items():
        if isinstance(value, datetime):
            values[name] = when(value, language)
        elif isinstance(value, float):
            values[name] = number(value, language, 1, trim=True)
        else:
            values[name] = value
    return translate(f"review.flag.{flag.code}.{flag.kind or 'detail'}", language, **values)


def flag_views(flags: list[Flag], language: Language) -> list[FlagView]:
    """One line per kind of flag: a visit started and ended outside its window is one flag with both moments."""
    details: dict[str, list[str]] = {}
    for flag in flags:
        details.setdefault(flag.code, []).append(flag_detail(flag, language))
    return [FlagView(code, " ".join(texts)) for code, texts in details.items()]


def flag_codes(flags: list[Flag]) -> list[str]:
    """The kinds of flag a visit has, each once, for the queue."""
    return list(dict.fromkeys(flag.code for flag in flags))


@dataclass(frozen=True)
class EventView:
    at: datetime
    by: str
    what: str  # what happened, in the reader's language
    comment: str


def event_view(event: dict[str, Any], language: str) -> EventView:
    """An audit event of the visit as a sentence: "Skickade in version 2", "Skickade tillbaka besöket"."""
    action, detail = str(event["action"]), event.get("detail") or {}
    if action == SAVED:
        status = "submitted" if detail.get("status") == "submitted" else "draft"
        what = translate(f"review.event.saved.{status}", language, revision=detail.get("revision", ""))
    elif action.removeprefix("visit.") in REVIEW_ACTIONS.values():
        what = translate(f"review.event.{action.removeprefix('visit.')}", language)
    else:
        what = action
    return EventView(event["at"], str(event.get("by") or ""), what, str(detail.get("comment") or ""))


def answer_text(item: Item, value: object, language: Language) -> str:
    """An answer's value as the reviewer reads it: a choice by its text, a duration in minutes and seconds, a number
    with the page's decimal mark and the item's unit."""
    if isinstance(item, ChoiceItem):
        texts = {choice.value: choice.text.pick(language) for choice in item.choices}
        chosen = value if isinstance(value, list) else [value]
        return ", ".join(texts.get(str(each), str(each)) for each in chosen)
    if isinstance(item, DurationItem) and isinstance(value, int | float):
        return duration(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        unit = f" {item.unit.pick(language)}" if isinstance(item, NumberItem) and item.unit else ""
        return plain(value, language) + unit
    return str(value)


def visit_page(
    request: AnyRequest, record: VisitRecord, definition: Instrument, language: Language, **context: Any
) -> Template:
    """The visit's page: its answers, flags (each kind once), timing (a duration, or none) and readable history."""
    started, ended = record.payload.started_at, record.payload.ended_at
    taken = duration(ended - started) if started and ended and ended >= started else ""
    shown = {
        item.id: answer_text(item, answer.value, language)
        for _, item in definition.items()
        if (answer := record.payload.answers.get(item.id)) is not None and answer.value is not None
    }
    return page(request, "review/detail.html", record=record, definition=definition, shown=shown,
                flags=flag_views(flags_of(record, definition), language), duration=taken,
                history=[event_view(event, language) for event in record.history], **context)  # fmt: skip


def flags_of(record: VisitRecord, definition: Instrument) -> list[Flag]:
    target = record.assignment
    context = VisitContext(
        window_start=target.window_start,
        window_end=target.window_end,
        unit_latitude=target.unit_latitude,
        unit_longitude=target.unit_longitude,
        unit_is_site=target.unit_kind == "site",
    )
    return review_flags(record.payload, definition, context)


@get("/")
async def console(request: AnyRequest) -> Template:
    waiting = len(await visits_in_status("submitted"))
    return page(request, "review/console.html", waiting=waiting)


@get("/review")
async def queue(
    request: AnyRequest, settings: NamedDependency[Settings], language: NamedDependency[Language]
) -> Template:
    rows = []
    for record in await visits_in_status("submitted"):
        rows.append((record, flag_codes(flags_of(record, await definition_for(record)))))
    return page(request, "review/queue.html", rows=rows, titles=await titles_in(settings, language),
                done=request.query_params.get("done", ""))  # fmt: skip


@get("/review/{visit_id:uuid}")
async def detail(request: AnyRequest, visit_id: FromPath[uuid.UUID], language: NamedDependency[Language]) -> Template:
    record = await visit(visit_id)
    if record is None:
        raise NotFoundException()
    return visit_page(request, record, await definition_for(record), language, problem="")


@post("/review/{visit_id:uuid}")
async def decide(
    request: AnyRequest,
    visit_id: FromPath[uuid.UUID],
    account: NamedDependency[Account],
    language: NamedDependency[Language],
) -> Response[Any]:
    form = await request.form()
    action, comment = str(form.get("action", "")), str(form.get("comment", ""))[:3000]
    if action not in REVIEW_ACTIONS:
        # A form without a decision is the consultant's slip, not a missing visit: say so on the visit's page.
        return await _refused(request, language, visit_id, 400, translate("review.choose_action", language))
    try:
        status = await review_visit(request.app.state.engine, visit_id, action, consultant_id=account.id,
                                    comment=comment, now=datetime.now(UTC))  # fmt: skip
    except VisitNotFound:
        raise NotFoundException() from None
    except ReviewRefused as error:
        status = translate(f"status.{error.status}", language) if error.status else ""
        return await _refused(request, language, visit_id, 409,
                              translate(f"review.refused.{error.code}", language, status=status))  # fmt: skip
    return Redirect(f"/console/review?done={status}", status_code=303)


async def _refused(
    request: AnyRequest, language: Language, visit_id: uuid.UUID, status_code: int, problem: str
) -> Template:
    record = await visit(visit_id)
    if record is None:
        raise NotFoundException()
    return visit_page(request, record, await definition_for(record), language, status_code=status_code,
                      problem=problem)  # fmt: skip


console_pages = Router(path="/console", guards=[consultant_only], route_handlers=[console, queue, detail, decide])
