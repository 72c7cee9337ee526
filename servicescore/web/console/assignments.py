"""``/console/assignments``: every assignment with its status, and a new one that honours the rotation rule."""

from __future__ import annotations

from typing import Any

from litestar import Response, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template

from servicescore.db.assignment_overview import all_assignments, scorecards_in_database, shoppers, unit_paths
from servicescore.db.assignments import AssignmentRejected, AssignmentRequest, create_assignment
from servicescore.db.organisations import waves
from servicescore.definitions import DefinitionError, Instrument, load_instruments
from servicescore.identity import Account
from servicescore.settings import Settings
from servicescore.web.console.forms import AnyRequest, Form, moment, read_form, text
from servicescore.web.pages import page

SCENARIO_MAX = 3000
# create_assignment names the option at fault the way the command line spells it; the form shows it at its field.
_FIELD_OF_OPTION = {"--shopper": "shopper", "--unit": "unit", "--instrument": "instrument", "--to": "window_end"}


def definitions_of(settings: Settings) -> dict[str, Instrument]:
    try:
        return {instrument.id: instrument for instrument in load_instruments(*settings.instrument_folders)}
    except DefinitionError:
        return {}  # a broken surveys folder must not stop assigning scorecards the database already has


async def _page(request: AnyRequest, settings: Settings, form: Form, status: int = 200) -> Template:
    files = {key for key, found in definitions_of(settings).items() if found.kind == "scorecard"}
    return page(request, "console/assignments.html", status_code=status, form=form,
                assignments=await all_assignments(), shoppers=await shoppers(), units=await unit_paths(),
                scorecards=sorted(files | set(await scorecards_in_database())), waves=await waves(),
                rotation_days=settings.visit_rotation_days, done=request.query_params.get("done", ""))  # fmt: skip


@get("/assignments")
async def list_assignments(request: AnyRequest, settings: NamedDependency[Settings]) -> Template:
    return await _page(request, settings, Form("assign"))


@post("/assignments")
async def assign(
    request: AnyRequest, account: NamedDependency[Account], settings: NamedDependency[Settings]
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
        return await _page(request, settings, form, 400)
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
            return await _page(request, settings, form, 409)
        option = message.split(":", 1)[0]
        form.fail(_FIELD_OF_OPTION.get(option, "shopper"), "console.error.unknown_choice")
        return await _page(request, settings, form, 400)
    return Redirect("/console/assignments?done=created", status_code=303)


HANDLERS = [list_assignments, assign]
