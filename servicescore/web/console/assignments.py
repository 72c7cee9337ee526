"""``/console/assignments``: every assignment with its status, a new one that honours the rotation rule, and
``/console/assignments/{id}``: changing (shopper, window, brief) or cancelling one whose visit has not started."""

from __future__ import annotations

from typing import Any

from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from servicescore.db.assignment_overview import all_assignments, scorecards_in_database, shoppers, unit_paths
from servicescore.db.assignments import (
    AssignmentLocked,
    AssignmentMissing,
    AssignmentRejected,
    AssignmentRequest,
    assignment,
    cancel_assignment,
    create_assignment,
    update_assignment,
)
from servicescore.db.organisations import waves
from servicescore.definitions import DefinitionError, Instrument, load_instruments
from servicescore.definitions.text import Language
from servicescore.formats import local
from servicescore.identity import Account
from servicescore.instrument_folders import instrument_folders
from servicescore.settings import Settings
from servicescore.texts import translate
from servicescore.web.console.forms import AnyRequest, Form, moment, read_form, text
from servicescore.web.pages import page
from servicescore.web.titles import titles_in

SCENARIO_MAX = 3000
# create_assignment names the option at fault the way the command line spells it; the form shows it at its field.
_FIELD_OF_OPTION = {"--shopper": "shopper", "--unit": "unit", "--instrument": "instrument", "--to": "window_end"}


def definitions_of(settings: Settings) -> dict[str, Instrument]:
    try:
        return {instrument.id: instrument for instrument in load_instruments(*instrument_folders(settings))}
    except DefinitionError:
        return {}  # a broken surveys folder must not stop assigning scorecards the database already has


async def _titles(settings: Settings, definitions: dict[str, Instrument], language: Language) -> dict[str, str]:
    """Instrument id → its title in the page's language: stored ones, and those of the surveys folder."""
    return await titles_in(settings, language) | {key: found.title.pick(language) for key, found in definitions.items()}


async def _page(request: AnyRequest, settings: Settings, language: Language, form: Form, status: int = 200) -> Template:
    definitions = definitions_of(settings)
    titles = await _titles(settings, definitions, language)
    keys = {key for key, found in definitions.items() if found.kind == "scorecard"} | set(
        await scorecards_in_database()
    )
    scorecards = sorted(((key, titles.get(key, key)) for key in keys), key=lambda pair: (pair[1], pair[0]))
    return page(request, "console/assignments.html", status_code=status, form=form,
                assignments=await all_assignments(), shoppers=await shoppers(), units=await unit_paths(),
                scorecards=scorecards, titles=titles, waves=await waves(),
                rotation_days=settings.visit_rotation_days, done=request.query_params.get("done", ""))  # fmt: skip


@get("/assignments")
async def list_assignments(
    request: AnyRequest, settings: NamedDependency[Settings], language: NamedDependency[Language]
) -> Template:
    return await _page(request, settings, language, Form("assign"))


@post("/assignments")
async def assign(
    request: AnyRequest,
    account: NamedDependency[Account],
    settings: NamedDependency[Settings],
    language: NamedDependency[Language],
) -> Response[Any]:
    data, form = await read_form(request), Form("assign")
    shopper, unit = text(data, form, "shopper", max_length=80), text(data, form, "unit", max_length=161)
    instrument, wave = text(data, form, "instrument", max_length=80), text(data, form, "wave", max_length=40)
    scenario = text(data, form, "scenario", required=False, max_length=SCENARIO_MAX)
    start, end = moment(data, form, "window_start"), moment(data, form, "window_end")
    if start and end and end <= start:
        form.fail("window_end", "console.error.ends_before_start")
    if wave and wave not in {found.key for found in await waves()}:
        form.fail("wave", "console.error.unknown_choice")
    if not form.ok or start is None or end is None:
        return await _page(request, settings, language, form, 400)
    request_ = AssignmentRequest(shopper=shopper, unit=unit, instrument=instrument, wave=wave,
                                 window_start=start, window_end=end, scenario=scenario)  # fmt: skip
    try:
        await create_assignment(request.app.state.engine, request_, definitions_of(settings),
                                min_days_between=settings.visit_rotation_days, actor_id=account.id)  # fmt: skip
    except AssignmentRejected as rejected:
        message = str(rejected)
        if message.startswith("rotation rule"):
            form.fail("window_start", "console.assign.rotation", days=settings.visit_rotation_days,
                      detail=message.partition(": ")[2])  # fmt: skip
            return await _page(request, settings, language, form, 409)
        option = message.split(":", 1)[0]
        form.fail(_FIELD_OF_OPTION.get(option, "shopper"), "console.error.unknown_choice")
        return await _page(request, settings, language, form, 400)
    return Redirect("/console/assignments?done=created", status_code=303)


async def _edit_page(
    request: AnyRequest, settings: Settings, language: Language, assignment_id: int, form: Form | None = None,
    *, status: int = 200, problem: str = "",
) -> Template:  # fmt: skip
    found = await assignment(assignment_id)
    if found is None:
        raise NotFoundException()
    values = {"shopper": found.shopper_username, "scenario": found.scenario,
              "window_start": local(found.window_start).strftime("%Y-%m-%dT%H:%M"),
              "window_end": local(found.window_end).strftime("%Y-%m-%dT%H:%M")}  # fmt: skip
    titles = await _titles(settings, definitions_of(settings), language)
    return page(request, "console/assignment.html", status_code=status, assignment=found,
                title=titles.get(found.instrument, found.instrument), shoppers=await shoppers(),
                form=form or Form("edit", values=values), problem=problem,
                changeable=found.status == "due")  # fmt: skip


@get("/assignments/{assignment_id:int}")
async def show_assignment(
    request: AnyRequest,
    assignment_id: FromPath[int],
    settings: NamedDependency[Settings],
    language: NamedDependency[Language],
) -> Template:
    return await _edit_page(request, settings, language, assignment_id)


@post("/assignments/{assignment_id:int}")
async def edit_assignment(
    request: AnyRequest,
    assignment_id: FromPath[int],
    account: NamedDependency[Account],
    settings: NamedDependency[Settings],
    language: NamedDependency[Language],
) -> Response[Any]:
    data, form = await read_form(request), Form("edit")
    shopper = text(data, form, "shopper", max_length=80)
    scenario = text(data, form, "scenario", required=False, max_length=SCENARIO_MAX)
    start, end = moment(data, form, "window_start"), moment(data, form, "window_end")
    if start and end and end <= start:
        form.fail("window_end", "console.error.ends_before_start")
    if not form.ok or start is None or end is None:
        return await _edit_page(request, settings, language, assignment_id, form, status=400)
    try:
        await update_assignment(request.app.state.engine, assignment_id, shopper=shopper, window_start=start,
                                window_end=end, scenario=scenario, min_days_between=settings.visit_rotation_days,
                                actor_id=account.id)  # fmt: skip
    except AssignmentMissing:
        raise NotFoundException() from None
    except AssignmentLocked:
        problem = translate("console.assign.locked", language)
        return await _edit_page(request, settings, language, assignment_id, form, status=409, problem=problem)
    except AssignmentRejected as rejected:
        message = str(rejected)
        if message.startswith("rotation rule"):
            form.fail("window_start", "console.assign.rotation", days=settings.visit_rotation_days,
                      detail=message.partition(": ")[2])  # fmt: skip
            return await _edit_page(request, settings, language, assignment_id, form, status=409)
        form.fail("shopper", "console.error.unknown_choice")
        return await _edit_page(request, settings, language, assignment_id, form, status=400)
    return Redirect("/console/assignments?done=saved", status_code=303)


@post("/assignments/{assignment_id:int}/cancel")
async def cancel(
    request: AnyRequest,
    assignment_id: FromPath[int],
    account: NamedDependency[Account],
    settings: NamedDependency[Settings],
    language: NamedDependency[Language],
) -> Response[Any]:
    try:
        await cancel_assignment(request.app.state.engine, assignment_id, actor_id=account.id)
    except AssignmentMissing:
        raise NotFoundException() from None
    except AssignmentLocked:
        problem = translate("console.assign.locked", language)
        return await _edit_page(request, settings, language, assignment_id, status=409, problem=problem)
    return Redirect("/console/assignments?done=cancelled", status_code=303)


HANDLERS = [list_assignments, assign, show_assignment, edit_assignment, cancel]
