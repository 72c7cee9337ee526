"""The shopper's calibration pages (``/visits/calibration``): the exercises they were chosen for, scoring one
(the whole scorecard on one page), and, once the consultant closes it, their own answers beside the panel's
consensus. Another shopper's answers are never shown; before the exercise closes not even the consensus is."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import polars as pl
from litestar import Response, Router, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from servicescore.db.attachments import read_attachment
from servicescore.db.calibration import CalibrationRejected, ExerciseView, answers_to, exercises_of, record_answers
from servicescore.db.instruments import definition_of
from servicescore.definitions import ChoiceItem, Instrument, Item
from servicescore.definitions.text import Language
from servicescore.formats import duration, number
from servicescore.identity import Account
from servicescore.scoring.agreement import MEASUREMENT_OF_TYPE, consensus
from servicescore.scoring.catalogue import items_frame
from servicescore.settings import Settings
from servicescore.storage import storage_for
from servicescore.texts import translate
from servicescore.visits.answers import AnswerRow
from servicescore.visits.forms import section_answers
from servicescore.visits.payload import VisitPayload
from servicescore.visits.validation import Problem, check_visit
from servicescore.web.auth import shopper_only
from servicescore.web.pages import AnyRequest, page, request_language
from servicescore.web.refused_form import SENT, forget_refused, refused_cookie, refused_form
from servicescore.web.visits.problems import said


async def _mine(exercise_id: int, account: Account) -> tuple[ExerciseView, Instrument]:
    found = await exercises_of(account.id, exercise_id)
    if not found:
        raise NotFoundException()  # another shopper's exercise looks exactly like a missing one
    return found[0], await definition_of(found[0].version_id)


def _form_answers(own: pl.DataFrame, definition: Instrument) -> dict[str, dict[str, Any]]:
    """Stored answers in the shape the item template shows (yes/no as booleans, whole numbers as ints)."""
    types = {item.id: item.type for _, item in definition.items()}
    shown: dict[str, dict[str, Any]] = {}
    for row in own.iter_rows(named=True):
        kind, value = types.get(row["item"]), row["value"]
        if row["na"]:
            shown[row["item"]] = {"na": True}
        elif kind == "yes_no" and value is not None:
            shown[row["item"]] = {"value": value == 1.0}
        elif value is not None:
            shown[row["item"]] = {"value": int(value) if float(value).is_integer() else value}
        elif row["text"] is not None:
            shown[row["item"]] = {"value": row["text"]}
    return shown


def _rows(answers: dict[str, dict[str, Any]]) -> list[AnswerRow]:
    rows = []
    for item, answer in sorted(answers.items()):
        value = answer.get("value")
        if isinstance(value, bool):
            rows.append(AnswerRow(item, 1.0 if value else 0.0, False, None))
        elif isinstance(value, int | float):
            rows.append(AnswerRow(item, float(value), False, None))
        elif isinstance(value, str):
            rows.append(AnswerRow(item, None, False, value))
        elif answer.get("na"):
            rows.append(AnswerRow(item, None, True, None))
    return rows


def _shown(item: Item, value: float | None, text: str | None, language: Language) -> str:
    """An answer in the page's words: yes/no, a duration, a choice's label or a number."""
    if text is not None:
        labels = (
            {choice.value: choice.text.pick(language) for choice in item.choices}
            if isinstance(item, ChoiceItem)
            else {}
        )
        return labels.get(text, text)
    if value is None:
        return ""
    if item.type == "yes_no":
        return translate("section.yes" if value == 1.0 else "section.no", language)
    if item.type == "duration":
        return duration(value)
    return number(value, language, 1, trim=True)


def _comparison(
    own: pl.DataFrame, panel: pl.DataFrame, definition: Instrument, language: Language
) -> list[dict[str, str]]:
    """Per measured item: its text, the shopper's own answer and the consensus ("" when there is none)."""
    mine = {row["item"]: row for row in own.iter_rows(named=True)}
    agreed = {row["item"]: row for row in panel.iter_rows(named=True)}
    rows = []
    for _, item in definition.items():
        if item.type not in MEASUREMENT_OF_TYPE:
            continue
        answer, common = mine.get(item.id), agreed.get(item.id)
        own_text = (
            ""
            if answer is None
            else (
                translate("section.na", language)
                if answer["na"]
                else _shown(item, answer["value"], answer["text"], language)
            )
        )
        common_text = "" if common is None else _shown(item, common["value"], common["text"], language)
        rows.append({"item": item.id, "text": item.text.pick(language), "own": own_text, "consensus": common_text})
    return rows


async def _page(request: AnyRequest, account: Account, exercise_id: int, **extra: Any) -> Template:
    view, definition = await _mine(exercise_id, account)
    stored = await answers_to(exercise_id, account.id)
    comparison = None
    if view.status == "closed":
        panel = consensus(await answers_to(exercise_id), items_frame([definition]))
        comparison = _comparison(stored, panel, definition, "en" if request_language(request) == "en" else "sv")
    own = _form_answers(stored, definition)
    context: dict[str, Any] = {"exercise": view, "definition": definition, "answers": own, "problems": {},
                               "comparison": comparison, "editable": view.status == "open"}  # fmt: skip
    return page(request, "visits/calibration.html", **(context | extra))


@get("/")
async def calibration_list(request: AnyRequest, account: NamedDependency[Account]) -> Template:
    return page(request, "visits/calibration_list.html", exercises=await exercises_of(account.id))


@get("/{exercise_id:int}")
async def calibration_form(
    request: AnyRequest, exercise_id: FromPath[int], account: NamedDependency[Account]
) -> Template:
    return await _page(request, account, exercise_id, saved=request.query_params.get("saved") == "1",
                       **_refused(request, account))  # fmt: skip


def _refused(request: AnyRequest, account: Account) -> dict[str, Any]:
    """The answers and problems of a form refused on this page (`web.refused_form`), for this shopper."""
    kept = refused_form(request, (request.url.path, account.id))
    if not isinstance(kept, dict):
        return {}
    answers, problems = kept.get("answers"), kept.get("problems")
    return (
        {"answers": answers, "problems": problems} if isinstance(answers, dict) and isinstance(problems, dict) else {}
    )


@post("/{exercise_id:int}")
async def calibration_save(
    request: AnyRequest, exercise_id: FromPath[int], account: NamedDependency[Account]
) -> Response[Any]:
    view, definition = await _mine(exercise_id, account)
    form = {key: value for key, value in (await request.form()).items() if isinstance(value, str)}
    answers: dict[str, dict[str, Any]] = {}
    found_problems: list[Problem] = []
    for section in definition.sections:
        found, wrong = section_answers(section, form, {})
        answers |= found
        found_problems += wrong
    if not found_problems:  # each answer as a visit's answer is checked: the scale, N/A only where allowed, choices
        draft = VisitPayload(assignment_id=view.id, status="draft", answers=answers)
        found_problems = check_visit(draft, definition, datetime.now(UTC))
    problems = said(found_problems, definition, request_language(request))
    path = request.url.path
    if problems:  # shown on the page a redirect leads to, so Back and reload never send the form again
        kept = {"answers": answers, "problems": problems}
        if (cookie := refused_cookie(request, path, (path, account.id), kept)) is not None:
            return Redirect(f"{path}?{SENT}", status_code=303, cookies=[cookie])
        return await _page(request, account, exercise_id, answers=answers, problems=problems, status_code=400)
    try:
        await record_answers(request.app.state.engine, view.id, account.id, _rows(answers))
    except CalibrationRejected:
        return await _page(request, account, exercise_id, status_code=409)  # closed meanwhile: the page says so
    return Redirect(f"{path}?saved=1", status_code=303, cookies=forget_refused(request, path))


@get("/{exercise_id:int}/recording")
async def calibration_recording(
    exercise_id: FromPath[int], account: NamedDependency[Account], settings: NamedDependency[Settings]
) -> Response[bytes]:
    view, _ = await _mine(exercise_id, account)
    data = read_attachment(storage_for(settings), view.file_sha256) if view.file_sha256 else None
    if data is None:
        raise NotFoundException()
    return Response(data, media_type=view.file_type, headers={"cache-control": "private, max-age=3600"})


calibration_pages = Router(
    path="/visits/calibration",
    guards=[shopper_only],
    route_handlers=[calibration_list, calibration_form, calibration_save, calibration_recording],
)
